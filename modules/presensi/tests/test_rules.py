"""The attendance rules as tables (DOMAIN.md "Presensi")."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from modules.presensi import rules

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (240, 4), (-5, 0)],
)
def test_band_edges_follow_30_minute_bands(minutes, expected):
    assert rules.band(minutes) == expected


@pytest.mark.parametrize(
    ("distance", "radius", "accuracy", "cap", "inside"),
    [
        (90, 100, 5, 100, True),
        (100, 100, 0, 100, True),
        (101, 100, 0, 100, False),
        (140, 100, 50, 100, True),  # the accuracy circle reaches the fence
        (151, 100, 50, 100, False),
        (600, 100, 2000, 100, False),  # accuracy is credited only up to the cap
        (200, 100, 2000, 100, True),
    ],
)
def test_inside_geofence_credits_accuracy_up_to_the_cap(distance, radius, accuracy, cap, inside):
    assert (
        rules.inside_geofence(distance=distance, radius_m=radius, accuracy_m=accuracy, accuracy_cap_m=cap)
        is inside
    )


def test_distance_between_two_known_points_is_haversine():
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert round(rules.distance_m(-6.8586, 107.9196, -6.8596, 107.9196)) == 111
    assert rules.distance_m(-6.8586, 107.9196, -6.8586, 107.9196) == 0


def _at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, 7, hour, minute, second, tzinfo=WIB)


JENDELA = rules.Jendela(masuk=_at(7, 30), pulang=_at(16, 0))


@pytest.mark.parametrize(
    ("masuk", "pulang", "status", "tl", "psw", "late", "early"),
    [
        (_at(7, 15), _at(16, 5), "hadir", 0, 0, 0, 0),
        (_at(7, 30, 59), _at(16, 0), "hadir", 0, 0, 0, 0),
        (_at(7, 31), _at(16, 0), "hadir", 1, 0, 1, 0),
        (_at(8, 0), _at(15, 30), "hadir", 1, 1, 30, 30),
        (_at(8, 1), _at(15, 29), "hadir", 2, 2, 31, 31),
        (_at(9, 0), _at(14, 30), "hadir", 3, 3, 90, 90),
        (_at(9, 1), _at(14, 29), "hadir", 4, 4, 91, 91),
        (_at(7, 0), None, "hadir", 0, 4, 0, 0),
        (None, _at(16, 10), "hadir", 4, 0, 0, 0),
        (None, None, "tk", 0, 0, 0, 0),
    ],
)
def test_judge_day_bands_and_missing_check_ins(masuk, pulang, status, tl, psw, late, early):
    putusan = rules.judge_day(jendela=JENDELA, libur=None, masuk=masuk, pulang=pulang)
    assert (putusan.status, putusan.tl, putusan.psw, putusan.terlambat_menit, putusan.pulang_cepat_menit) == (
        status,
        tl,
        psw,
        late,
        early,
    )


def test_holiday_and_day_without_schedule_are_libur_even_without_check_ins():
    assert (
        rules.judge_day(jendela=JENDELA, libur="Hari Kemerdekaan", masuk=None, pulang=None).status == "libur"
    )
    assert rules.judge_day(jendela=None, libur=None, masuk=None, pulang=None).status == "libur"


def test_excuse_wins_over_missing_check_ins_and_carries_its_document():
    excuse = rules.Pengecualian(status="cuti", jenis_cuti="CT", dokumen="800/12/BKPSDM")
    putusan = rules.judge_day(jendela=JENDELA, libur=None, masuk=None, pulang=None, pengecualian=excuse)
    assert (putusan.status, putusan.jenis_cuti, putusan.dokumen, putusan.tl, putusan.psw) == (
        "cuti",
        "CT",
        "800/12/BKPSDM",
        0,
        0,
    )


def test_off_site_check_in_as_dl_is_dl_without_bands():
    putusan = rules.judge_day(jendela=JENDELA, libur=None, masuk=_at(10, 0), pulang=None, alasan_luar="dl")
    assert (putusan.status, putusan.tl, putusan.psw) == ("dl", 0, 0)
