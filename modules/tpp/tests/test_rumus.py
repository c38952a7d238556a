"""The TPP arithmetic, one parameter at a time, with the expected rupiah worked out by hand."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from modules.tpp.rumus import (
    Besaran,
    HariDisiplin,
    JenisHukdis,
    MasukanPegawai,
    ParameterTpp,
    hitung_tpp,
    rupiah,
)

D = datetime.date
BAND = {("tl", 1): "0.5", ("tl", 2): "1", ("tl", 3): "1.5", ("tl", 4): "2"}


def perbup(**changes) -> ParameterTpp:
    base = ParameterTpp(
        besaran=(
            Besaran(9, "", "", 5_000_000),
            Besaran(9, "fungsional", "", 5_500_000),
            Besaran(9, "", "kecamatan", 5_200_000),
            Besaran(9, "fungsional", "puskesmas", 6_000_000),
            Besaran(5, "", "", 3_333_333),
        ),
        bobot_kinerja=Decimal(60),
        bobot_disiplin=Decimal(40),
        band={
            **{k: Decimal(v) for k, v in BAND.items()},
            **{("psw", b): Decimal(v) for (_j, b), v in BAND.items()},
        },
        potongan_tk_per_hari=Decimal(3),
        potongan_izin_per_hari=Decimal(0),
        potongan_disiplin_maks=Decimal(100),
        persen_cpns=Decimal(80),
        bpjs_persen_total=Decimal(5),
        bpjs_persen_pegawai=Decimal(1),
        bpjs_batas_atas=12_000_000,
        pajak_dipotong=True,
        tarif_pph_gol_iv=Decimal(15),
        tarif_pph_gol_iii=Decimal(5),
        tarif_pph_lainnya=Decimal(0),
        hukdis={"teguran_tertulis": JenisHukdis("teguran_tertulis", "teguran tertulis", Decimal(30), 2)},
    )
    return dataclasses.replace(base, **changes)


def pegawai(**changes) -> MasukanPegawai:
    base = MasukanPegawai(
        jenis_pegawai="pns",
        golongan="III/a",
        kelas_jabatan=9,
        jenis_jabatan="pelaksana",
        jenis_unit="dinas",
        kinerja_nilai=Decimal(100),
        gaji_pokok=3_000_000,
    )
    return dataclasses.replace(base, **changes)


MARET = (
    HariDisiplin(D(2026, 3, 3), "hadir", tl=2),
    HariDisiplin(D(2026, 3, 5), "hadir", psw=1),
    HariDisiplin(D(2026, 3, 10), "tk"),
)


@pytest.mark.parametrize(
    ("name", "parameter", "masukan", "expected"),
    [
        # 5,000,000 × 60% = 3,000,000 kinerja; × 40% = 2,000,000 disiplin; BPJS 1% × (8,000,000 − 3,000,000)
        # = 50,000; PPh III 5% × 5,000,000 = 250,000; netto 4,700,000.
        (
            "bersih",
            perbup(),
            pegawai(),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 0, 50_000, 250_000, 4_700_000),
        ),
        # kinerja 85.5: 3,000,000 × 0.855 = 2,565,000; TL2 1% + PSW1 0.5% + TK 3% = 4.5%:
        # 2,000,000 × 0.955 = 1,910,000; bruto 4,475,000; BPJS 44,750; PPh 223,750; netto 4,206,500.
        (
            "kinerja_dan_disiplin",
            perbup(),
            pegawai(kinerja_nilai=Decimal("85.5"), hari=MARET),
            (5_000_000, 2_565_000, 1_910_000, 4_475_000, 0, 44_750, 223_750, 4_206_500),
        ),
        # CPNS 80%: base 4,000,000 → 2,400,000 + 1,600,000; no gaji on record: BPJS 1% × 4,000,000.
        (
            "cpns",
            perbup(),
            pegawai(jenis_pegawai="cpns", gaji_pokok=0),
            (5_000_000, 2_400_000, 1_600_000, 4_000_000, 0, 40_000, 200_000, 3_760_000),
        ),
        # 3 TK days at 40% = 120%, capped at 100%: disiplin 0; BPJS 1% × 3,000,000; PPh 150,000.
        (
            "batas_potongan",
            perbup(potongan_tk_per_hari=Decimal(40)),
            pegawai(hari=tuple(HariDisiplin(D(2026, 3, d), "tk") for d in (2, 3, 4))),
            (5_000_000, 3_000_000, 0, 3_000_000, 0, 30_000, 150_000, 2_820_000),
        ),
        # teguran tertulis 30% of 5,000,000 = 1,500,000; BPJS 1% × 3,500,000; PPh 5% × 3,500,000.
        (
            "hukdis",
            perbup(),
            pegawai(hukdis_kode=("teguran_tertulis",)),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 1_500_000, 35_000, 175_000, 3_290_000),
        ),
        # BPJS cap: gaji 10,000,000 leaves 2,000,000 under the 12,000,000 cap → 20,000; PPh IV 15% = 750,000.
        (
            "bpjs_batas_gol_iv",
            perbup(),
            pegawai(golongan="IV/a", gaji_pokok=10_000_000),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 0, 20_000, 750_000, 4_230_000),
        ),
        # gaji above the cap: no BPJS from TPP.
        (
            "bpjs_di_atas_batas",
            perbup(),
            pegawai(golongan="IV/a", gaji_pokok=13_000_000),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 0, 0, 750_000, 4_250_000),
        ),
        # PPh borne by the pemda: not deducted.
        (
            "pajak_ditanggung",
            perbup(pajak_dipotong=False),
            pegawai(),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 0, 50_000, 0, 4_950_000),
        ),
        # Rounding: 3,333,333 × 60% × 77.77% = 1,555,399.84… → 1,555,400; × 40% = 1,333,333.2 → 1,333,333;
        # BPJS 1% × 2,888,733 = 28,887.33 → 28,887; golongan II: PPh 0%.
        (
            "pembulatan",
            perbup(),
            pegawai(kelas_jabatan=5, golongan="II/a", kinerja_nilai=Decimal("77.77"), gaji_pokok=2_184_000),
            (3_333_333, 1_555_400, 1_333_333, 2_888_733, 0, 28_887, 0, 2_859_846),
        ),
        # Izin 2% per day (a Perbup that cuts izin): 2 days = 4% → 2,000,000 × 0.96 = 1,920,000.
        (
            "izin",
            perbup(potongan_izin_per_hari=Decimal(2)),
            pegawai(hari=(HariDisiplin(D(2026, 3, 2), "izin"), HariDisiplin(D(2026, 3, 9), "izin"))),
            (5_000_000, 3_000_000, 1_920_000, 4_920_000, 0, 49_200, 246_000, 4_624_800),
        ),
        # Weights 80/20 and TL4 2%: 4,000,000 + 1,000,000 × 0.98 = 980,000.
        (
            "bobot_80_20",
            perbup(bobot_kinerja=Decimal(80), bobot_disiplin=Decimal(20)),
            pegawai(hari=(HariDisiplin(D(2026, 3, 2), "hadir", tl=4),)),
            (5_000_000, 4_000_000, 980_000, 4_980_000, 0, 49_800, 249_000, 4_681_200),
        ),
        # PPPK (golongan IX): the "lainnya" tax rate, 0%.
        (
            "pppk",
            perbup(),
            pegawai(jenis_pegawai="pppk", golongan="IX"),
            (5_000_000, 3_000_000, 2_000_000, 5_000_000, 0, 50_000, 0, 4_950_000),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_hitung_tpp(name, parameter, masukan, expected):
    # when
    hasil = hitung_tpp(parameter=parameter, masukan=masukan)

    # then
    assert (
        hasil.besaran,
        hasil.komponen_kinerja,
        hasil.komponen_disiplin,
        hasil.bruto,
        hasil.potongan_hukdis,
        hasil.potongan_bpjs,
        hasil.potongan_pph,
        hasil.netto,
    ) == expected


@pytest.mark.parametrize(
    ("jenis_jabatan", "jenis_unit", "expected"),
    [
        ("pelaksana", "dinas", 5_000_000),
        ("fungsional", "dinas", 5_500_000),
        ("pelaksana", "kecamatan", 5_200_000),
        ("fungsional", "puskesmas", 6_000_000),  # both match: the most specific row wins
    ],
)
def test_besaran_most_specific_row_wins(jenis_jabatan, jenis_unit, expected):
    assert (
        perbup().besaran_untuk(kelas_jabatan=9, jenis_jabatan=jenis_jabatan, jenis_unit=jenis_unit)
        == expected
    )


def test_every_deduction_is_a_line_of_the_slip():
    # when
    hasil = hitung_tpp(
        parameter=perbup(),
        masukan=pegawai(kinerja_nilai=Decimal("85.5"), hari=MARET, hukdis_kode=("teguran_tertulis",)),
    )

    # then
    assert hasil.rincian == [
        {"kode": "besaran", "kelas": 9, "nominal": 5_000_000},
        {"kode": "kinerja", "bobot": "60", "nilai": "85.5", "nominal": 2_565_000},
        {"kode": "tl", "band": 2, "tanggal": "2026-03-03", "persen": "1"},
        {"kode": "psw", "band": 1, "tanggal": "2026-03-05", "persen": "0.5"},
        {"kode": "tk", "tanggal": "2026-03-10", "persen": "3"},
        {"kode": "disiplin", "bobot": "40", "persen": "4.5", "nominal": 1_910_000},
        {"kode": "bruto", "nominal": 4_475_000},
        {"kode": "hukdis", "nama": "teguran tertulis", "persen": "30", "nominal": -1_342_500},
        {"kode": "bpjs", "persen": "1", "dasar": 3_132_500, "nominal": -31_325},
        {"kode": "pph", "persen": "5", "nominal": -156_625},
        {"kode": "netto", "nominal": 2_944_550},
    ]


def test_missing_kinerja_counts_zero_and_is_flagged():
    # when
    hasil = hitung_tpp(parameter=perbup(), masukan=pegawai(kinerja_nilai=None))

    # then
    assert (hasil.komponen_kinerja, hasil.komponen_disiplin, hasil.perlu_perhatian) == (0, 2_000_000, True)


def test_no_besaran_for_kelas_pays_nothing_and_is_flagged():
    # when
    hasil = hitung_tpp(parameter=perbup(), masukan=pegawai(kelas_jabatan=12))

    # then
    assert (hasil.netto, hasil.perlu_perhatian, hasil.rincian) == (
        0,
        True,
        [{"kode": "tanpa_besaran", "kelas": 12}],
    )


@pytest.mark.parametrize(("amount", "expected"), [("0.5", 1), ("1.49", 1), ("2.5", 3), ("28887.33", 28_887)])
def test_rupiah_rounds_half_up(amount, expected):
    assert rupiah(Decimal(amount)) == expected


def _komponen(hasil):
    return (
        hasil.komponen_kinerja,
        hasil.komponen_disiplin,
        hasil.komponen_serapan,
        hasil.bruto,
        hasil.potongan_bpjs,
        hasil.potongan_pph,
        hasil.netto,
        hasil.perlu_perhatian,
    )


BOBOT_80_10_10 = {"bobot_kinerja": Decimal(80), "bobot_disiplin": Decimal(10), "bobot_serapan": Decimal(10)}


@pytest.mark.parametrize(
    ("name", "parameter", "masukan", "expected"),
    [
        # 80/10/10: kinerja 5,000,000 × 80% × 85.5% = 3,420,000; disiplin 500,000 × (100 − 4.5)% = 477,500;
        # serapan 500,000 × 92.5% = 462,500; bruto 4,360,000; BPJS 1% × 4,360,000 = 43,600;
        # PPh III 5% = 218,000; netto 4,098,400.
        (
            "80_10_10",
            perbup(**BOBOT_80_10_10),
            pegawai(kinerja_nilai=Decimal("85.5"), hari=MARET, serapan_nilai=Decimal("92.5")),
            (3_420_000, 477_500, 462_500, 4_360_000, 43_600, 218_000, 4_098_400, False),
        ),
        # The OPD's serapan not entered: the component counts 0 and the line needs attention, like a
        # missing kinerja. 4,000,000 + 500,000 + 0; BPJS 45,000; PPh 225,000.
        (
            "serapan_kosong",
            perbup(**BOBOT_80_10_10),
            pegawai(serapan_nilai=None),
            (4_000_000, 500_000, 0, 4_500_000, 45_000, 225_000, 4_230_000, True),
        ),
        # A 60/40 Perbup ignores a serapan value: same as the "bersih" case above.
        (
            "bobot_serapan_nol",
            perbup(),
            pegawai(serapan_nilai=Decimal(50)),
            (3_000_000, 2_000_000, 0, 5_000_000, 50_000, 250_000, 4_700_000, False),
        ),
        # CPNS 80% of 5,000,000 = 4,000,000 → 3,200,000 + 400,000 + 400,000 (serapan 100%); no gaji:
        # BPJS 1% × 4,000,000 = 40,000; PPh 200,000.
        (
            "cpns_serapan_penuh",
            perbup(**BOBOT_80_10_10),
            pegawai(jenis_pegawai="cpns", gaji_pokok=0, serapan_nilai=Decimal(100)),
            (3_200_000, 400_000, 400_000, 4_000_000, 40_000, 200_000, 3_760_000, False),
        ),
        # Rounding once per component: 3,333,333 × 80% = 2,666,666.4 → 2,666,666; × 10% = 333,333.3
        # → 333,333; × 10% × 77.77% = 259,233.307… → 259,233; bruto 3,259,232; BPJS 32,592.32 → 32,592;
        # golongan II: PPh 0%.
        (
            "serapan_pembulatan",
            perbup(**BOBOT_80_10_10),
            pegawai(kelas_jabatan=5, golongan="II/a", gaji_pokok=2_184_000, serapan_nilai=Decimal("77.77")),
            (2_666_666, 333_333, 259_233, 3_259_232, 32_592, 0, 3_226_640, False),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_hitung_tpp_dengan_serapan_anggaran(name, parameter, masukan, expected):
    # when
    hasil = hitung_tpp(parameter=parameter, masukan=masukan)

    # then
    assert _komponen(hasil) == expected


def test_serapan_is_a_line_of_the_slip_naming_opd_and_month():
    # given Dinas X absorbed 92.5% of its March 2026 budget under an 80/10/10 Perbup
    masukan = pegawai(serapan_nilai=Decimal("92.5"), nama_opd="Dinas X", tahun=2026, bulan=3)

    # when
    hasil = hitung_tpp(parameter=perbup(**BOBOT_80_10_10), masukan=masukan)

    # then
    assert hasil.rincian[2:5] == [
        {"kode": "disiplin", "bobot": "10", "persen": "0", "nominal": 500_000},
        {
            "kode": "serapan",
            "bobot": "10",
            "nilai": "92.5",
            "nominal": 462_500,
            "opd": "Dinas X",
            "tahun": 2026,
            "bulan": 3,
        },
        {"kode": "bruto", "nominal": 4_962_500},
    ]


def test_missing_serapan_says_so_on_the_slip():
    # when
    hasil = hitung_tpp(
        parameter=perbup(**BOBOT_80_10_10),
        masukan=pegawai(serapan_nilai=None, nama_opd="Dinas X", tahun=2026, bulan=3),
    )

    # then
    assert {"kode": "serapan_kosong", "bobot": "10", "opd": "Dinas X", "tahun": 2026, "bulan": 3} in (
        hasil.rincian
    )
    assert not [line for line in hasil.rincian if line["kode"] == "serapan"]
