"""Check-in rules on the server: geofence, window in the regency's zone, idempotency, flags."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context, tenant_context

from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Pegawai
from modules.presensi.models import Presensi
from modules.presensi.services import presensi_catat, shift_assign
from modules.presensi.tests.conftest import KANTOR_LAT, KANTOR_LON, kantor_setup, selfie
from tenants.models import Tenant

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
MONDAY = datetime.date(2026, 12, 7)


def _wib(hour: int, minute: int, day: datetime.date = MONDAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=WIB)


def _catat(
    kantor, *, at, jenis="masuk", lat=KANTOR_LAT, lon=KANTOR_LON, akurasi=10.0, client_uuid=None, **kw
):
    return presensi_catat(
        user=kantor.user,
        client_uuid=client_uuid or uuid.uuid4(),
        jenis=jenis,
        latitude=lat,
        longitude=lon,
        akurasi_m=akurasi,
        waktu_perangkat=kw.pop("waktu_perangkat", at),
        dikirim_perangkat=kw.pop("dikirim_perangkat", at),
        swafoto=kw.pop("swafoto", selfie()),
        now=at,
        **kw,
    )


def test_check_in_inside_geofence_is_accepted_with_selfie_under_tenant_prefix(kantor):
    # given an employee at the office at 07:12 WIB on a Monday
    # when they check in
    row, created = _catat(kantor, at=_wib(7, 12))
    # then it is stored once, accepted, for that day, selfie under the tenant's prefix
    assert created is True
    assert (row.status, row.tanggal, row.tanda, row.lokasi_id) == ("diterima", MONDAY, [], kantor.lokasi.pk)
    assert row.swafoto.name.startswith("tenants/sumedang/presensi/swafoto/2026/12/07/")
    assert default_storage.exists(row.swafoto.name)
    assert Presensi.objects.count() == 1


def test_replay_with_same_client_uuid_returns_the_stored_row_and_writes_nothing(kantor):
    client_uuid = uuid.uuid4()
    first, created_first = _catat(kantor, at=_wib(7, 12), client_uuid=client_uuid)
    second, created_second = _catat(kantor, at=_wib(7, 40), client_uuid=client_uuid)
    assert (created_first, created_second, second.pk) == (True, False, first.pk)
    assert Presensi.objects.filter(client_uuid=client_uuid).count() == 1


def test_client_uuid_of_another_employees_check_in_is_refused_and_nothing_is_kept(kantor):
    # given the head of the unit has checked in with a UUID
    client_uuid = uuid.uuid4()
    theirs, _ = presensi_catat(
        user=kantor.kepala_user,
        client_uuid=client_uuid,
        jenis="masuk",
        latitude=KANTOR_LAT,
        longitude=KANTOR_LON,
        akurasi_m=10.0,
        waktu_perangkat=_wib(7, 5),
        dikirim_perangkat=_wib(7, 5),
        swafoto=selfie(),
        now=_wib(7, 5),
    )
    selfies_before = default_storage.listdir(theirs.swafoto.name.rsplit("/", 1)[0])[1]
    # when a staff member's phone sends the same UUID (the database refuses the second row)
    with pytest.raises(ApplicationError) as refused:
        _catat(kantor, at=_wib(7, 12), client_uuid=client_uuid)
    # then it is refused by name, the head's row stays theirs and the second selfie is not kept
    assert (refused.value.code, refused.value.status) == ("uuid_bentrok", 409)
    assert list(Presensi.objects.values_list("client_uuid", "pegawai_id")) == [
        (client_uuid, kantor.kepala.pk)
    ]
    assert default_storage.listdir(theirs.swafoto.name.rsplit("/", 1)[0])[1] == selfies_before


def test_check_in_costs_two_statements_once_the_schedule_is_cached(kantor, django_assert_num_queries):
    # given the unit's schedule, calendar and locations already read by an earlier check-in
    presensi_catat(
        user=kantor.kepala_user,
        client_uuid=uuid.uuid4(),
        jenis="masuk",
        latitude=KANTOR_LAT,
        longitude=KANTOR_LON,
        akurasi_m=10.0,
        waktu_perangkat=_wib(7, 5),
        dikirim_perangkat=_wib(7, 5),
        swafoto=selfie(),
        now=_wib(7, 5),
    )
    # when a colleague of the same unit checks in during the morning surge
    # then the check-in reads its employee, history and shifts in one statement and inserts in one
    # (as in a request, the regency is the connection's tenant)
    with tenant_context(kantor.tenant), django_assert_num_queries(2):
        row, created = _catat(kantor, at=_wib(7, 12))
    assert created is True
    assert Presensi.objects.get(pk=row.pk).pegawai_id == kantor.pegawai.pk


def test_check_in_outside_geofence_is_refused_with_distance(kantor):
    # 0.003° of latitude ≈ 334 m away
    with pytest.raises(ApplicationError) as exc:
        _catat(kantor, at=_wib(7, 12), lat=KANTOR_LAT - Decimal("0.003"))
    assert exc.value.code == "di_luar_geofence"
    assert exc.value.status == 422
    assert "334 m dari Kantor Diskominfo" in exc.value.message
    assert Presensi.objects.count() == 0


def test_off_site_dl_check_in_is_accepted_for_review(kantor):
    row, _ = _catat(kantor, at=_wib(7, 12), lat=KANTOR_LAT - Decimal("0.05"), alasan="dl")
    assert (row.status, row.tanda, row.alasan) == ("perlu_tinjauan", ["luar_geofence"], "dl")


def test_poor_accuracy_is_flagged_and_only_credited_up_to_the_cap(kantor):
    # 150 m away, accuracy 500 m: credited 100 m, so inside (150 - 100 <= 100) but flagged
    row, _ = _catat(kantor, at=_wib(7, 12), lat=KANTOR_LAT - Decimal("0.00135"), akurasi=500.0)
    assert (row.status, row.tanda) == ("perlu_tinjauan", ["akurasi_buruk"])


def test_device_clock_far_from_server_is_flagged_and_time_corrected(kantor):
    server = _wib(7, 12)
    device = server + datetime.timedelta(minutes=45)  # phone clock 45 min fast
    row, _ = _catat(kantor, at=server, waktu_perangkat=device, dikirim_perangkat=device)
    assert row.tanda == ["jam_perangkat"]
    assert (row.waktu, row.waktu_perangkat, row.waktu_server) == (server, device, server)


def test_offline_check_in_replayed_later_keeps_its_real_time(kantor):
    # tapped offline at 07:10, sent at 07:55 when the signal came back; clocks agree
    tapped, sent = _wib(7, 10), _wib(7, 55)
    row, _ = _catat(kantor, at=sent, waktu_perangkat=tapped, dikirim_perangkat=sent)
    assert (row.waktu, row.waktu_server, row.tanda, row.status) == (tapped, sent, ["tertunda"], "diterima")


def test_impossible_travel_is_flagged(kantor):
    # given a DL check-in 111 km away at 07:35, then a check-out at the office 20 minutes later
    _catat(kantor, at=_wib(7, 35), jenis="masuk", lat=KANTOR_LAT - Decimal("1.0"), alasan="dl")
    row, _ = _catat(kantor, at=_wib(7, 55), jenis="pulang")
    assert "perjalanan_mustahil" in row.tanda


@pytest.mark.parametrize(
    ("hour", "minute", "jenis", "allowed"),
    [
        (5, 29, "masuk", False),
        (5, 30, "masuk", True),
        (15, 59, "masuk", True),
        (16, 1, "masuk", False),
        (7, 29, "pulang", False),
        (16, 0, "pulang", True),
        (22, 0, "pulang", True),
        (22, 1, "pulang", False),
    ],
)
def test_schedule_window_edges_in_wib(kantor, hour, minute, jenis, allowed):
    at = _wib(hour, minute)
    if allowed:
        row, _ = _catat(kantor, at=at, jenis=jenis)
        assert row.tanggal == MONDAY
    else:
        with pytest.raises(ApplicationError) as exc:
            _catat(kantor, at=at, jenis=jenis)
        assert exc.value.code == "di_luar_jadwal"


def test_window_is_judged_in_the_regency_zone_wita(kendari):
    # given Kendari (WITA): 07:00 WITA is 06:00 WIB, inside Kendari's window (opens 05:30 WITA)
    with schema_context(kendari.schema_name):
        kantor = kantor_setup(kendari)
        at = datetime.datetime(2026, 12, 7, 5, 29, tzinfo=WITA)
        with pytest.raises(ApplicationError):
            _catat(kantor, at=at)
        row, _ = _catat(kantor, at=datetime.datetime(2026, 12, 7, 5, 30, tzinfo=WITA))
        assert row.tanggal == MONDAY


def test_second_check_in_same_day_is_refused(kantor):
    _catat(kantor, at=_wib(7, 12))
    with pytest.raises(ApplicationError) as exc:
        _catat(kantor, at=_wib(7, 20))
    assert (exc.value.code, exc.value.status, exc.value.message) == (
        "sudah_masuk",
        409,
        "Anda sudah presensi masuk hari ini pukul 07:12.",
    )


def test_holiday_is_refused_with_its_name(kantor):
    with pytest.raises(ApplicationError) as exc:
        _catat(kantor, at=_wib(7, 12, datetime.date(2026, 8, 17)))
    assert exc.value.code == "bukan_hari_kerja"
    assert "Kemerdekaan" in exc.value.message


def test_inactive_employee_is_refused(kantor):
    Pegawai.objects.filter(pk=kantor.pegawai.pk).update(status=Pegawai.Status.PENSIUN)
    with pytest.raises(ApplicationError) as exc:
        _catat(kantor, at=_wib(7, 12))
    assert (exc.value.code, exc.value.status) == ("pegawai_tidak_aktif", 403)


def test_selfie_that_is_not_an_image_is_refused(kantor):
    with pytest.raises(ApplicationError) as exc:
        _catat(kantor, at=_wib(7, 12), swafoto=SimpleUploadedFile("x.jpg", b"not an image at all"))
    assert (exc.value.code, exc.value.fields) == ("swafoto_bukan_gambar", {"swafoto": [exc.value.message]})
    assert Presensi.objects.count() == 0


def test_ramadan_season_starts_at_eight(kantor):
    # given a Monday in Ramadan 2026 (season 18 Feb–19 Mar); window opens 06:00
    day = datetime.date(2026, 3, 2)
    with pytest.raises(ApplicationError):
        _catat(kantor, at=_wib(5, 59, day))
    row, _ = _catat(kantor, at=_wib(6, 0, day))
    assert row.tanggal == day


def test_night_shift_assigned_by_admin_allows_check_out_after_midnight(kantor):
    # given a night shift Monday 22:00 – Tuesday 06:00
    shift_assign(
        actor=None,
        pegawai=kantor.pegawai,
        tanggal=MONDAY,
        nama_shift="Malam",
        jam_masuk=datetime.time(22, 0),
        jam_pulang=datetime.time(6, 0),
    )
    masuk, _ = _catat(kantor, at=_wib(21, 55))
    # when they check out at 06:10 on Tuesday
    pulang, _ = _catat(kantor, at=_wib(6, 10, MONDAY + datetime.timedelta(days=1)), jenis="pulang")
    # then both count for Monday's shift
    assert (masuk.tanggal, pulang.tanggal) == (MONDAY, MONDAY)


def test_shift_with_equal_start_and_end_is_refused(kantor):
    with pytest.raises(ApplicationError) as exc:
        shift_assign(
            actor=None,
            pegawai=kantor.pegawai,
            tanggal=MONDAY,
            nama_shift="X",
            jam_masuk=datetime.time(8, 0),
            jam_pulang=datetime.time(8, 0),
        )
    assert exc.value.fields == {"jam_pulang": ["Sama dengan jam masuk."]}


def test_regency_config_decides_off_site_review_and_accuracy_cap(sumedang):
    # given a regency that accepts no off-site check-ins and credits accuracy only up to 20 m
    Tenant.objects.filter(pk=sumedang.pk).update(
        config={**sumedang.config, "presensi": {"alasan_luar_kantor": [], "akurasi_maks_m": 20}}
    )
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        # DL far away: refused instead of "needs review"
        with pytest.raises(ApplicationError) as exc:
            _catat(kantor, at=_wib(7, 12), lat=KANTOR_LAT - Decimal("0.05"), alasan="dl")
        assert exc.value.code == "di_luar_geofence"
        # 150 m away with ±100 m: only 20 m credited, so outside
        with pytest.raises(ApplicationError):
            _catat(kantor, at=_wib(7, 12), lat=KANTOR_LAT - Decimal("0.00135"), akurasi=100.0)
        assert Presensi.objects.count() == 0
