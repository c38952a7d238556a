"""jadwal_update: a schedule's name, hours, dates and on/off switch change in one audited step,
only inside the admin's units, and the check-in path's cached copy is dropped."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import UnitFactory
from modules.presensi.models import JadwalKerja
from modules.presensi.selectors import jadwal_for
from modules.presensi.services import HariKerja, jadwal_create, jadwal_update

MONDAY = datetime.date(2026, 12, 7)
T = datetime.time


def _hours(jadwal: JadwalKerja) -> list[tuple[int, str, str]]:
    return [(h.hari, f"{h.jam_masuk:%H:%M}", f"{h.jam_pulang:%H:%M}") for h in jadwal.hari.order_by("hari")]


def _week(masuk: datetime.time, pulang: datetime.time, jumat_pulang: datetime.time) -> list[HariKerja]:
    return [HariKerja(h, masuk, jumat_pulang if h == 4 else pulang) for h in range(5)]


def _unit_jadwal(unit) -> JadwalKerja:
    return jadwal_create(
        actor=None, nama="Jadwal Diskominfo", unit=unit, hari=_week(T(8, 0), T(15, 0), T(15, 30))
    )


def _admin_opd(unit, username: str) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@uji.go.id", password="x", peran=User.Peran.ADMIN_OPD
    )
    AksesUnit.objects.create(user=user, unit=unit)
    return user


@pytest.mark.django_db
def test_update_changes_hours_name_and_dates_with_one_audit_row(kantor):
    # given a unit's schedule 08:00–15:00 (Fri 15:30) and the regency admin
    jadwal = _unit_jadwal(kantor.unit)
    admin = User.objects.get(username="admin.sumedang")

    # when the admin moves it to 07:30–16:00 (Fri 16:30), renames it and gives it dates
    updated = jadwal_update(
        actor=admin,
        jadwal=jadwal,
        nama="Jadwal Diskominfo 2027",
        berlaku_mulai=datetime.date(2027, 1, 1),
        berlaku_sampai=None,
        hari=_week(T(7, 30), T(16, 0), T(16, 30)),
    )

    # then the stored schedule and its days say so
    updated.refresh_from_db()
    assert (updated.nama, updated.berlaku_mulai, updated.berlaku_sampai, updated.aktif) == (
        "Jadwal Diskominfo 2027",
        datetime.date(2027, 1, 1),
        None,
        True,
    )
    assert _hours(updated) == [
        (0, "07:30", "16:00"),
        (1, "07:30", "16:00"),
        (2, "07:30", "16:00"),
        (3, "07:30", "16:00"),
        (4, "07:30", "16:30"),
    ]
    # and one audit row holds before and after
    event = AuditEvent.objects.get(action="presensi.jadwal_update", target_id=str(jadwal.pk))
    assert event.actor_id == admin.pk
    assert (event.before["nama"], event.after["nama"]) == ("Jadwal Diskominfo", "Jadwal Diskominfo 2027")
    assert (event.before["berlaku_mulai"], event.after["berlaku_mulai"]) == ("None", "2027-01-01")
    assert event.before["hari"][0] == "0 08:00–15:00"
    assert event.after["hari"][4] == "4 07:30–16:30"


@pytest.mark.django_db
def test_turning_a_unit_schedule_off_brings_back_the_regency_schedule_at_once(kantor):
    # given the unit's own hours, read once through the check-in path's cache
    jadwal = _unit_jadwal(kantor.unit)
    before = jadwal_for(pegawai=kantor.pegawai, tanggal=MONDAY, cached=True)
    assert before is not None and before.jadwal.pk == jadwal.pk

    # when the schedule is turned off
    jadwal_update(actor=None, jadwal=jadwal, aktif=False)

    # then the very next cached read (same process) finds the regency-wide Perpres schedule
    after = jadwal_for(pegawai=kantor.pegawai, tanggal=MONDAY, cached=True)
    assert after is not None and after.jadwal.unit_id is None
    assert f"{after.jendela.masuk.astimezone(ZoneInfo('Asia/Jakarta')):%H:%M}" == "07:30"
    jadwal.refresh_from_db()
    assert jadwal.aktif is False
    assert _hours(jadwal)[0] == (0, "08:00", "15:00")  # the hours were not touched
    event = AuditEvent.objects.get(action="presensi.jadwal_update", target_id=str(jadwal.pk))
    assert (event.before["aktif"], event.after["aktif"]) == ("True", "False")


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        (
            {"hari": _week(T(8, 0), T(7, 0), T(15, 30))},
            "Jam pulang harus sesudah jam masuk (hari ke-0).",
            "pulang_0",
        ),
        (
            {"hari": _week(T(8, 0), T(15, 0), T(15, 30))[:4]},
            "Jadwal 5 hari kerja harus berisi tepat 5 hari kerja.",
            "hari",
        ),
        (
            {"berlaku_mulai": datetime.date(2027, 2, 1), "berlaku_sampai": datetime.date(2027, 1, 1)},
            "Tanggal 'berlaku sampai' tidak boleh sebelum 'berlaku mulai'.",
            "__all__",
        ),
        ({"nama": ""}, "Field ini tidak boleh kosong.", "nama"),
    ],
)
@pytest.mark.django_db
def test_invalid_update_is_refused_with_the_field_and_nothing_changes(kantor, changes, message, field):
    jadwal = _unit_jadwal(kantor.unit)
    with pytest.raises(ApplicationError) as caught:
        jadwal_update(actor=None, jadwal=jadwal, **changes)
    assert caught.value.message == message
    assert field in caught.value.fields
    jadwal.refresh_from_db()
    assert (jadwal.nama, jadwal.berlaku_mulai, jadwal.berlaku_sampai) == ("Jadwal Diskominfo", None, None)
    assert _hours(jadwal)[0] == (0, "08:00", "15:00")
    assert not AuditEvent.objects.filter(action="presensi.jadwal_update").exists()


@pytest.mark.django_db
def test_ramadan_schedule_keeps_its_dates(kantor):
    ramadan = JadwalKerja.objects.filter(
        musim=JadwalKerja.Musim.RAMADAN, unit__isnull=True, berlaku_mulai=datetime.date(2026, 2, 18)
    ).first()
    assert ramadan is not None
    with pytest.raises(ApplicationError) as caught:
        jadwal_update(actor=None, jadwal=ramadan, berlaku_sampai=None)
    assert caught.value.message == "Jadwal Ramadan harus punya tanggal mulai dan tanggal selesai."
    ramadan.refresh_from_db()
    assert ramadan.berlaku_sampai == datetime.date(2026, 3, 19)


@pytest.mark.django_db
def test_admin_opd_cannot_change_another_units_or_the_regency_schedule(kantor):
    # given an admin OPD of another unit
    lain = UnitFactory(nama="Dinas Pendidikan")
    opd = _admin_opd(lain, "admin.opd.lain")
    jadwal = _unit_jadwal(kantor.unit)
    regency = JadwalKerja.objects.filter(
        musim=JadwalKerja.Musim.NORMAL, unit__isnull=True, aktif=True
    ).first()
    assert regency is not None

    regency_nama = regency.nama
    # when they try to change the Diskominfo schedule or the regency-wide one, they are refused
    for target in (jadwal, regency):
        with pytest.raises(ApplicationError) as caught:
            jadwal_update(actor=opd, jadwal=target, nama="Diambil alih", aktif=False)
        assert caught.value.status == 403

    # and nothing changed, nothing was audited
    jadwal.refresh_from_db()
    regency.refresh_from_db()
    assert (jadwal.nama, jadwal.aktif) == ("Jadwal Diskominfo", True)
    assert (regency.nama, regency.aktif) == (regency_nama, True)
    assert not AuditEvent.objects.filter(action="presensi.jadwal_update").exists()


@pytest.mark.django_db
def test_admin_opd_changes_their_own_units_schedule(kantor):
    opd = _admin_opd(kantor.unit, "admin.opd.diskominfo")
    jadwal = _unit_jadwal(kantor.unit)
    jadwal_update(actor=opd, jadwal=jadwal, nama="Jadwal Diskominfo baru")
    jadwal.refresh_from_db()
    assert jadwal.nama == "Jadwal Diskominfo baru"


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_no_audit_row(kantor):
    jadwal = _unit_jadwal(kantor.unit)
    jadwal_update(
        actor=None, jadwal=jadwal, nama="Jadwal Diskominfo", hari=_week(T(8, 0), T(15, 0), T(15, 30))
    )
    assert not AuditEvent.objects.filter(action="presensi.jadwal_update").exists()
