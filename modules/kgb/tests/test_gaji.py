"""Salary lookups and KGB dates, hand-checked against the PP 5/2024 table rows (data/*.csv)."""

import datetime

import pytest

from eoffice.core.errors import ApplicationError
from modules.kgb.gaji import gaji_pokok_lookup, kgb_berikutnya, mkg_kgb_berikutnya, tambah_bulan

D = datetime.date


@pytest.mark.parametrize(
    ("golongan", "mkg", "cpns", "gaji", "row", "melewati", "sebelum"),
    [
        # first step of each table shape
        ("I/a", 0, False, 1_685_700, 0, False, False),
        ("II/a", 0, False, 2_184_000, 0, False, False),
        ("II/b", 3, False, 2_385_000, 3, False, False),
        ("III/a", 0, False, 2_785_700, 0, False, False),
        # between two steps: the lower step
        ("I/a", 1, False, 1_685_700, 0, False, False),
        ("II/a", 2, False, 2_218_400, 1, False, False),
        ("III/a", 5, False, 2_964_000, 4, False, False),
        # exactly the last row
        ("I/a", 26, False, 2_522_600, 26, False, False),
        ("II/a", 33, False, 3_633_400, 33, False, False),
        ("IV/e", 32, False, 6_373_200, 32, False, False),
        # past the last row: the last row, flagged (the II/b MKG 33 gap)
        ("II/b", 33, False, 3_681_600, 31, True, False),
        ("I/a", 27, False, 2_522_600, 26, True, False),
        ("IV/e", 40, False, 6_373_200, 32, True, False),
        # below the first row of a table starting at MKG 3: the first row, flagged
        ("II/c", 0, False, 2_485_900, 3, False, True),
        # CPNS 80%: 2,785,700 × 80 / 100 = 2,228,560; 2,184,000 × 0.8 = 1,747,200
        ("III/a", 0, True, 2_228_560, 0, False, False),
        ("II/a", 1, True, 1_774_720, 1, False, False),
    ],
)
def test_gaji_pokok_lookup_at_table_edges(golongan, mkg, cpns, gaji, row, melewati, sebelum):
    # when
    result = gaji_pokok_lookup(golongan=golongan, mkg_tahun=mkg, cpns=cpns)

    # then
    assert (result.gaji_pokok, result.mkg_tabel, result.melewati_tabel, result.sebelum_tabel) == (
        gaji,
        row,
        melewati,
        sebelum,
    )


def test_lookup_past_last_row_says_so_in_indonesian():
    # when
    result = gaji_pokok_lookup(golongan="II/b", mkg_tahun=33)

    # then
    assert result.catatan == (
        "MKG 33 tahun melewati baris terakhir tabel golongan II/b; "
        "gaji pokok baris terakhir (MKG 31 tahun) dipakai."
    )


def test_lookup_on_a_row_has_no_note():
    assert gaji_pokok_lookup(golongan="III/c", mkg_tahun=10).catatan == ""


def test_lookup_rejects_unknown_golongan_naming_the_field():
    # when
    with pytest.raises(ApplicationError) as caught:
        gaji_pokok_lookup(golongan="V/a", mkg_tahun=3)

    # then
    assert caught.value.fields == {"golongan": ["Golongan tidak dikenal untuk PNS."]}


@pytest.mark.parametrize(
    ("golongan", "mkg", "expected"),
    [
        ("III/a", 0, 2),
        ("III/a", 5, 6),  # off-step after a promotion: the next row
        ("II/a", 0, 1),  # II/a's table steps 0 → 1
        ("II/a", 1, 3),
        ("I/b", 3, 5),
        ("II/c", 0, 5),  # below the first row (3, same salary): the first raise is at 5
        ("II/b", 31, 33),  # the missing MKG 33 row: the rhythm goes on
        ("II/d", 33, None),  # highest MKG of golongan II
        ("IV/e", 32, None),
        ("I/a", 26, None),  # group I tops at 27, I/a's next even step would be 28
    ],
)
def test_mkg_of_next_kgb(golongan, mkg, expected):
    assert mkg_kgb_berikutnya(golongan=golongan, mkg_tahun=mkg) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap February
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 12, 1), 1, D(2026, 1, 1)),
        (D(2025, 11, 1), 1, D(2025, 12, 1)),
    ],
)
def test_tambah_bulan(start, months, expected):
    assert tambah_bulan(start, months) == expected


@pytest.mark.parametrize(
    ("golongan", "mkg_tahun", "mkg_bulan", "acuan", "cpns", "tmt", "gaji_lama", "gaji_baru"),
    [
        # two years from MKG 0 on a 1st: same day two years on
        ("III/a", 0, 0, D(2024, 3, 1), False, D(2026, 3, 1), 2_785_700, 2_873_500),
        # 4 y 7 m on 1 Jan 2024 → MKG 6 after 17 months: 1 Jun 2025
        ("III/a", 4, 7, D(2024, 1, 1), False, D(2025, 6, 1), 2_964_000, 3_057_300),
        # reference on 29 Feb (leap): +24 months is 28 Feb 2026, TMT the 1st after: 1 Mar 2026
        ("III/b", 0, 0, D(2024, 2, 29), False, D(2026, 3, 1), 2_903_600, 2_995_000),
        # reference mid-month: TMT moves to the next 1st
        ("II/a", 0, 0, D(2020, 1, 15), False, D(2021, 2, 1), 2_184_000, 2_218_400),
        # CPNS: 80% of both rows
        ("III/a", 0, 0, D(2025, 2, 1), True, D(2027, 2, 1), 2_228_560, 2_298_800),
        # the II/b MKG 33 gap: a raise date, the last row's salary
        ("II/b", 31, 0, D(2025, 1, 1), False, D(2027, 1, 1), 3_681_600, 3_681_600),
    ],
)
def test_next_kgb_date_and_salary(golongan, mkg_tahun, mkg_bulan, acuan, cpns, tmt, gaji_lama, gaji_baru):
    # when
    result = kgb_berikutnya(
        golongan=golongan, mkg_tahun=mkg_tahun, mkg_bulan=mkg_bulan, tmt_acuan=acuan, cpns=cpns
    )

    # then
    assert result is not None
    assert (result.tmt, result.gaji_lama.gaji_pokok, result.gaji_baru.gaji_pokok) == (
        tmt,
        gaji_lama,
        gaji_baru,
    )


def test_next_kgb_none_at_top_of_table():
    assert kgb_berikutnya(golongan="IV/e", mkg_tahun=32, mkg_bulan=0, tmt_acuan=D(2025, 1, 1)) is None


def test_next_kgb_rejects_month_outside_0_11():
    with pytest.raises(ApplicationError) as caught:
        kgb_berikutnya(golongan="III/a", mkg_tahun=2, mkg_bulan=12, tmt_acuan=D(2025, 1, 1))
    assert caught.value.fields == {"mkg_bulan": ["Harus antara 0 dan 11."]}
