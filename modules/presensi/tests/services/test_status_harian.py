"""Daily status computed from check-ins in the regency's zone, holidays, Ramadan, corrections."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context

from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Pegawai
from modules.presensi.models import HariLibur, KoreksiPresensi, Presensi, ShiftPegawai, StatusHarian
from modules.presensi.services import (
    koreksi_ajukan,
    koreksi_putus,
    status_harian_hitung,
    status_harian_hitung_tanggal,
)
from modules.presensi.tests.conftest import kantor_setup
from tenants.models import Tenant

MONDAY = datetime.date(2026, 12, 7)
FRIDAY = datetime.date(2026, 12, 11)
RAMADAN_MONDAY = datetime.date(2026, 3, 2)


def _presensi(kantor, jenis: str, tanggal: datetime.date, jam: str, zone: str) -> Presensi:
    hour, minute = (int(x) for x in jam.split(":"))
    waktu = datetime.datetime.combine(tanggal, datetime.time(hour, minute), tzinfo=ZoneInfo(zone))
    return Presensi.objects.create(
        client_uuid=uuid.uuid4(),
        pegawai=kantor.pegawai,
        jenis=jenis,
        tanggal=tanggal,
        waktu=waktu,
        waktu_perangkat=waktu,
        waktu_server=waktu,
        latitude=Decimal("-6.8586"),
        longitude=Decimal("107.9196"),
        akurasi_m=10,
    )


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
@pytest.mark.parametrize(
    ("tanggal", "masuk", "pulang", "expected"),
    [
        (MONDAY, "07:30", "16:00", ("hadir", 0, 0)),
        (MONDAY, "07:45", "16:00", ("hadir", 1, 0)),
        (MONDAY, "08:31", "15:59", ("hadir", 3, 1)),
        (MONDAY, "09:10", None, ("hadir", 4, 4)),
        (MONDAY, None, None, ("tk", 0, 0)),
        (FRIDAY, "07:30", "16:00", ("hadir", 0, 1)),  # Friday ends 16:30
        (FRIDAY, "07:30", "16:30", ("hadir", 0, 0)),
        (RAMADAN_MONDAY, "08:00", "15:00", ("hadir", 0, 0)),  # Ramadan: 08:00–15:00
        (RAMADAN_MONDAY, "08:31", "15:00", ("hadir", 2, 0)),
        (datetime.date(2026, 12, 12), None, None, ("libur", 0, 0)),  # Saturday, 5-day week
        (datetime.date(2026, 8, 17), None, None, ("libur", 0, 0)),  # Hari Kemerdekaan
        (datetime.date(2026, 12, 24), None, None, ("libur", 0, 0)),  # cuti bersama Natal
    ],
)
def test_status_is_judged_in_the_regency_zone(sumedang, zone, tanggal, masuk, pulang, expected):
    # given the regency in this zone and check-ins at these local times
    Tenant.objects.filter(pk=sumedang.pk).update(timezone=zone)
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        if masuk:
            _presensi(kantor, "masuk", tanggal, masuk, zone)
        if pulang:
            _presensi(kantor, "pulang", tanggal, pulang, zone)
        # when the day is computed
        row = status_harian_hitung(pegawai=kantor.pegawai, tanggal=tanggal)
        # then
        assert (row.status, row.tl, row.psw) == expected


def test_tenant_override_makes_a_national_holiday_a_working_day_and_adds_a_regional_one(kantor):
    HariLibur.objects.create(tanggal=datetime.date(2026, 8, 17), nama="Masuk", jenis=HariLibur.Jenis.MASUK)
    HariLibur.objects.create(tanggal=MONDAY, nama="Hari Jadi Sumedang", jenis=HariLibur.Jenis.DAERAH)
    assert status_harian_hitung(pegawai=kantor.pegawai, tanggal=datetime.date(2026, 8, 17)).status == "tk"
    row = status_harian_hitung(pegawai=kantor.pegawai, tanggal=MONDAY)
    assert (row.status, row.keterangan) == ("libur", "Hari Jadi Sumedang")


def test_whole_regency_day_is_computed_in_bulk_and_idempotent(kantor):
    # given the regency's active employees (the demo ones too) and one check-in
    _presensi(kantor, "masuk", MONDAY, "07:20", "Asia/Jakarta")
    active = Pegawai.objects.filter(status=Pegawai.Status.AKTIF).count()
    # when the day is computed twice
    assert status_harian_hitung_tanggal(tanggal=MONDAY) == active
    assert status_harian_hitung_tanggal(tanggal=MONDAY) == active
    # then one row per employee, ours judged from their check-ins
    assert StatusHarian.objects.filter(tanggal=MONDAY).count() == active
    statuses = dict(
        StatusHarian.objects.filter(tanggal=MONDAY, pegawai__unit=kantor.unit).values_list(
            "pegawai_id", "status"
        )
    )
    assert statuses == {kantor.pegawai.pk: "hadir", kantor.kepala.pk: "tk"}


def test_forgot_check_out_correction_approved_by_superior_recomputes_the_day(kantor):
    # given a past day with a check-in but no check-out (PSW4)
    past_monday = datetime.date(2026, 11, 30)
    _presensi(kantor, "masuk", past_monday, "07:20", "Asia/Jakarta")
    assert status_harian_hitung(pegawai=kantor.pegawai, tanggal=past_monday).psw == 4
    # when the employee asks for a correction and their head approves it
    koreksi = koreksi_ajukan(
        user=kantor.user,
        tanggal=past_monday,
        jenis="lupa_pulang",
        jam=datetime.time(16, 5),
        alasan="Lupa menekan",
    )
    assert koreksi.penyetuju_id == kantor.kepala.pk
    koreksi_putus(user=kantor.kepala_user, koreksi=koreksi, setuju=True)
    # then the day is hadir without bands
    row = StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=past_monday)
    assert (row.status, row.tl, row.psw) == ("hadir", 0, 0)


def test_dl_correction_gives_dl_with_its_document(kantor):
    koreksi = koreksi_ajukan(
        user=kantor.user,
        tanggal=MONDAY,
        jenis="dl",
        alasan="Rapat di provinsi",
        nomor_dokumen="094/55/Diskominfo",
    )
    koreksi_putus(user=kantor.kepala_user, koreksi=koreksi, setuju=True)
    row = StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=MONDAY)
    assert (row.status, row.dokumen) == ("dl", "094/55/Diskominfo")


def test_only_the_superior_may_decide_and_nothing_changes_otherwise(kantor):
    koreksi = koreksi_ajukan(user=kantor.user, tanggal=MONDAY, jenis="wfh", alasan="Banjir")
    with pytest.raises(ApplicationError) as exc:
        koreksi_putus(user=kantor.user, koreksi=koreksi, setuju=True)
    assert (exc.value.code, exc.value.status) == ("bukan_atasan", 403)
    koreksi.refresh_from_db()
    assert koreksi.status == KoreksiPresensi.Status.DIAJUKAN
    assert not StatusHarian.objects.filter(pegawai=kantor.pegawai, tanggal=MONDAY).exists()


def test_rejected_correction_leaves_tk(kantor):
    koreksi = koreksi_ajukan(user=kantor.user, tanggal=MONDAY, jenis="izin", alasan="Urusan keluarga")
    koreksi_putus(user=kantor.kepala_user, koreksi=koreksi, setuju=False, catatan="Tanpa surat")
    assert StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=MONDAY).status == "tk"


def test_forgot_check_in_correction_for_a_future_date_is_refused(kantor):
    with pytest.raises(ApplicationError) as exc:
        koreksi_ajukan(
            user=kantor.user, tanggal=MONDAY, jenis="lupa_masuk", jam=datetime.time(7, 0), alasan="x"
        )
    assert exc.value.fields == {"tanggal": ["Tanggal di masa depan."]}
    assert KoreksiPresensi.objects.count() == 0


def test_bulk_day_on_a_holiday_is_libur_except_for_an_employee_on_shift(kantor):
    # given Hari Kemerdekaan, with the head assigned a shift that day and checking in on time
    holiday = datetime.date(2026, 8, 17)
    ShiftPegawai.objects.create(
        pegawai=kantor.kepala,
        tanggal=holiday,
        nama_shift="Pagi",
        jam_masuk=datetime.time(7),
        jam_pulang=datetime.time(15),
    )
    Presensi.objects.create(
        client_uuid=uuid.uuid4(),
        pegawai=kantor.kepala,
        jenis="masuk",
        tanggal=holiday,
        waktu=datetime.datetime(2026, 8, 17, 6, 55, tzinfo=ZoneInfo("Asia/Jakarta")),
        waktu_perangkat=datetime.datetime(2026, 8, 17, 6, 55, tzinfo=ZoneInfo("Asia/Jakarta")),
        waktu_server=datetime.datetime(2026, 8, 17, 6, 55, tzinfo=ZoneInfo("Asia/Jakarta")),
        latitude=Decimal("-6.8586"),
        longitude=Decimal("107.9196"),
        akurasi_m=10,
    )
    # when the whole regency's day is computed
    status_harian_hitung_tanggal(tanggal=holiday)
    # then
    statuses = {
        pk: (status, psw)
        for pk, status, psw in StatusHarian.objects.filter(
            tanggal=holiday, pegawai__unit=kantor.unit
        ).values_list("pegawai_id", "status", "psw")
    }
    assert statuses == {kantor.pegawai.pk: ("libur", 0), kantor.kepala.pk: ("hadir", 4)}


def test_forgot_check_out_without_time_is_refused_naming_the_field(kantor):
    with pytest.raises(ApplicationError) as exc:
        koreksi_ajukan(
            user=kantor.user, tanggal=datetime.date(2026, 11, 30), jenis="lupa_pulang", alasan="Lupa"
        )
    assert exc.value.fields == {"jam": ["Isi jam masuk atau pulang Anda."]}
    assert KoreksiPresensi.objects.count() == 0
