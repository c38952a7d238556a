import datetime

import pytest
from django.core.exceptions import ValidationError

from modules.kepegawaian.validators import (
    nik_parse,
    nik_problems,
    nip_parse,
    nip_problems,
    normalise_number,
    pegawai_identity_problems,
)

NIP_CASES = [
    # (nip, jenis_pegawai, expected problems)
    ("198609262015051001", "pns", []),
    ("199001152019032002", "pns", []),
    ("197001012000121999", "pns", []),
    ("20000229202001 1001".replace(" ", ""), "pns", []),  # leap day
    ("19860926201505100", "pns", ["NIP harus 18 digit angka."]),
    ("1986092620150510011", "pns", ["NIP harus 18 digit angka."]),
    ("19860926201505100A", "pns", ["NIP harus 18 digit angka."]),
    ("", "pns", ["NIP harus 18 digit angka."]),
    ("198613262015051001", "pns", ["Tanggal lahir pada NIP tidak valid."]),
    ("198602302015051001", "pns", ["Tanggal lahir pada NIP tidak valid."]),
    ("199902292019051001", "pns", ["Tanggal lahir pada NIP tidak valid."]),  # 1999 not leap
    ("198600002015051001", "pns", ["Tanggal lahir pada NIP tidak valid."]),
    ("189001012015051001", "pns", ["Tanggal lahir pada NIP tidak valid."]),
    ("198609262015001001", "pns", ["Bulan TMT CPNS pada NIP harus 01–12."]),
    ("198609262015131001", "pns", ["Bulan TMT CPNS pada NIP harus 01–12."]),
    ("198609262000011001", "pns", ["TMT CPNS pada NIP kurang dari 18 tahun setelah tanggal lahir."]),
    ("198609262004081001", "pns", ["TMT CPNS pada NIP kurang dari 18 tahun setelah tanggal lahir."]),
    ("198609262004091001", "pns", []),  # exactly 18 years by month
    ("198609269999121001", "pns", ["TMT CPNS pada NIP tidak valid."]),
    ("198609262015053001", "pns", ["Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan)."]),
    ("198609262015050001", "pns", ["Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan)."]),
    ("198609262015051000", "pns", ["Nomor urut pada NIP tidak boleh 000."]),
    (
        "198613262015133000",
        "pns",
        [
            "Tanggal lahir pada NIP tidak valid.",
            "Bulan TMT CPNS pada NIP harus 01–12.",
            "Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan).",
            "Nomor urut pada NIP tidak boleh 000.",
        ],
    ),
    # NI PPPK: birth date, appointment year, 2-digit code, gender, sequence. Digits 13–14 are a code.
    ("199203122021212001", "pppk", []),
    ("199203122024241015", "pppk", []),
    ("199203122021992001", "pppk", []),  # code 99 would be an invalid PNS month
    ("199203122021212001", "pns", ["Bulan TMT CPNS pada NIP harus 01–12."]),
    ("199213122021212001", "pppk", ["Tanggal lahir pada NIP tidak valid."]),
    (
        "199203122005212001",
        "pppk",
        ["Tahun pengangkatan pada NI PPPK kurang dari 18 tahun setelah tanggal lahir."],
    ),
    ("199203129999212001", "pppk", ["Tahun pengangkatan pada NI PPPK tidak valid."]),
    ("199203122021002001", "pppk", ["Kode pengadaan pada NI PPPK tidak valid."]),
    ("199203122021213001", "pppk", ["Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan)."]),
    ("199203122021212000", "pppk", ["Nomor urut pada NIP tidak boleh 000."]),
]


@pytest.mark.parametrize(("nip", "jenis", "expected"), NIP_CASES)
def test_nip_problems(nip, jenis, expected):
    # given a NIP / NI PPPK, when validated, then exactly the expected problems are reported
    assert nip_problems(nip, jenis_pegawai=jenis) == expected


def test_nip_parse_reads_birth_date_tmt_gender_and_sequence():
    info = nip_parse("199001152019032002")
    assert info.tanggal_lahir == datetime.date(1990, 1, 15)
    assert info.tmt == datetime.date(2019, 3, 1)
    assert info.jenis_kelamin == "P"
    assert info.urut == 2


def test_nip_parse_pppk_uses_appointment_year():
    info = nip_parse("199203122024241015", jenis_pegawai="pppk")
    assert (info.tanggal_lahir, info.tmt, info.jenis_kelamin, info.urut) == (
        datetime.date(1992, 3, 12),
        datetime.date(2024, 1, 1),
        "L",
        15,
    )


def test_nip_parse_raises_on_field_nip():
    with pytest.raises(ValidationError) as exc:
        nip_parse("198613262015051001")
    assert exc.value.message_dict == {"nip": ["Tanggal lahir pada NIP tidak valid."]}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("19860926 201505 1 001", "198609262015051001"), ("3211.0123-0590.0001", "3211012305900001"), ("", "")],
)
def test_normalise_number(typed, stored):
    assert normalise_number(typed) == stored


KNOWN_KECAMATAN = {"32.11.01", "74.71.01"}

NIK_CASES = [
    ("3211012609860001", []),  # man born 26-09-1986 in Sumedang
    ("7471015501900002", []),  # woman born 15-01-1990 (55 = 15 + 40) in Kendari
    ("3211016102000003", []),  # woman born 21-02-2000
    ("3211012902000001", []),  # 29-02-2000 (leap)
    ("321101260986000", ["NIK harus 16 digit angka."]),
    ("32110126098600011", ["NIK harus 16 digit angka."]),
    ("32110126098600x1", ["NIK harus 16 digit angka."]),
    ("3299012609860001", ["Kode wilayah 32.99.01 pada NIK tidak terdaftar sebagai kecamatan."]),
    (
        "3211993209860001",
        [
            "Kode wilayah 32.11.99 pada NIK tidak terdaftar sebagai kecamatan.",
            "Tanggal lahir pada NIK tidak valid.",
        ],
    ),
    ("3211013209860001", ["Tanggal lahir pada NIK tidak valid."]),  # day 32
    ("3211017209860001", ["Tanggal lahir pada NIK tidak valid."]),  # day 72 (woman 32)
    ("3211010013860001", ["Tanggal lahir pada NIK tidak valid."]),  # day 00, month 13
    ("3211012613860001", ["Tanggal lahir pada NIK tidak valid."]),  # month 13
    ("3211012902990001", ["Tanggal lahir pada NIK tidak valid."]),  # 29-02-1999
    ("3211014000860001", ["Tanggal lahir pada NIK tidak valid."]),  # day 40
    ("3211012609860000", ["Nomor urut pada NIK tidak boleh 0000."]),
]


@pytest.mark.parametrize(("nik", "expected"), NIK_CASES)
def test_nik_problems(nik, expected):
    assert nik_problems(nik, kecamatan_exists=KNOWN_KECAMATAN.__contains__) == expected


def test_nik_parse_women_day_plus_40():
    info = nik_parse("7471015501900002")
    assert (info.kode_kecamatan, info.tanggal_lahir, info.jenis_kelamin) == (
        "74.71.01",
        datetime.date(1990, 1, 15),
        "P",
    )


def test_nik_two_digit_year_never_in_future():
    assert nik_parse("3211012609300001").tanggal_lahir == datetime.date(1930, 9, 26)
    assert nik_parse("3211012609050001").tanggal_lahir == datetime.date(2005, 9, 26)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"nip": "198609262015051001", "tanggal_lahir": datetime.date(1986, 9, 26), "jenis_kelamin": "L"},
            {},
        ),
        (
            {"nip": "198609262015051001", "tanggal_lahir": datetime.date(1986, 9, 27), "jenis_kelamin": "L"},
            {"tanggal_lahir": ["Tanggal lahir tidak sesuai dengan tanggal lahir pada NIP."]},
        ),
        (
            {"nip": "198609262015051001", "tanggal_lahir": None, "jenis_kelamin": "P"},
            {"jenis_kelamin": ["Jenis kelamin tidak sesuai dengan digit jenis kelamin pada NIP."]},
        ),
        (
            {
                "nip": "198609262015051001",
                "tanggal_lahir": datetime.date(1986, 9, 26),
                "jenis_kelamin": "L",
                "nik": "3211016609860001",
            },
            {"nik": ["Jenis kelamin pada NIK tidak sesuai dengan data pegawai."]},
        ),
        (
            {
                "nip": "198609262015051001",
                "tanggal_lahir": datetime.date(1986, 9, 26),
                "jenis_kelamin": "L",
                "nik": "3211012509860001",
            },
            {"nik": ["Tanggal lahir pada NIK tidak sesuai dengan data pegawai."]},
        ),
        (
            {"nip": "1986", "tanggal_lahir": None, "jenis_kelamin": "L", "nik": "12"},
            {"nip": ["NIP harus 18 digit angka."], "nik": ["NIK harus 16 digit angka."]},
        ),
    ],
)
def test_pegawai_identity_problems(kwargs, expected):
    assert (
        pegawai_identity_problems(
            jenis_pegawai="pns", kecamatan_exists=KNOWN_KECAMATAN.__contains__, **kwargs
        )
        == expected
    )
