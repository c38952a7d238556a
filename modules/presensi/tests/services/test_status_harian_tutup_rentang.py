"""Closing a range of days at once: only the working days presensi never closed, admin pemda only."""

import datetime

import pytest
from django.utils import timezone

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.presensi.models import PenutupanHari, StatusHarian
from modules.presensi.selectors import tenant_zone
from modules.presensi.services import status_harian_tutup_rentang

D = datetime.date
pytestmark = pytest.mark.django_db

# 10–21 August 2026: two weekends, Hari Kemerdekaan on Monday the 17th.
MULAI, SAMPAI = D(2026, 8, 10), D(2026, 8, 21)


@pytest.fixture
def agustus(kantor):
    """The range with only Wednesday the 12th closed (its recorded head count marks it untouched)."""
    PenutupanHari.objects.filter(tanggal__range=(MULAI, SAMPAI)).delete()
    StatusHarian.objects.filter(tanggal__range=(MULAI, SAMPAI)).delete()
    PenutupanHari.objects.create(tanggal=D(2026, 8, 12), jumlah_pegawai=999)
    return kantor


def _admin():
    return User.objects.get(username="admin.sumedang")


def test_closes_exactly_the_working_days_not_closed(agustus):
    # when
    jumlah = status_harian_tutup_rentang(actor=_admin(), mulai=MULAI, sampai=SAMPAI)

    # then the eight working days left open are closed, each with its employees' statuses
    hari = [D(2026, 8, d) for d in (10, 11, 13, 14, 18, 19, 20, 21)]
    assert jumlah == 8
    assert sorted(
        PenutupanHari.objects.filter(tanggal__range=(MULAI, SAMPAI)).values_list("tanggal", flat=True)
    ) == sorted([*hari, D(2026, 8, 12)])
    assert PenutupanHari.objects.get(tanggal=D(2026, 8, 12)).jumlah_pegawai == 999
    assert set(
        StatusHarian.objects.filter(pegawai=agustus.pegawai, tanggal__range=(MULAI, SAMPAI)).values_list(
            "tanggal", "status"
        )
    ) == {(d, "tk") for d in hari}
    # and one audit row lists them
    event = AuditEvent.objects.get(action="presensi.status_harian_tutup_rentang")
    assert event.after == {
        "mulai": "2026-08-10",
        "sampai": "2026-08-21",
        "hari": [d.isoformat() for d in hari],
    }


def test_calling_again_closes_nothing(agustus):
    # given
    status_harian_tutup_rentang(actor=_admin(), mulai=MULAI, sampai=SAMPAI)
    closed_at = dict(PenutupanHari.objects.values_list("tanggal", "selesai_pada"))

    # when
    jumlah = status_harian_tutup_rentang(actor=_admin(), mulai=MULAI, sampai=SAMPAI)

    # then nothing recomputed, no second audit row
    assert jumlah == 0
    assert dict(PenutupanHari.objects.values_list("tanggal", "selesai_pada")) == closed_at
    assert AuditEvent.objects.filter(action="presensi.status_harian_tutup_rentang").count() == 1


@pytest.mark.parametrize("peran", [User.Peran.ADMIN_OPD, User.Peran.PIMPINAN, User.Peran.PEGAWAI])
def test_refused_for_anyone_but_admin_pemda_and_nothing_changes(agustus, peran):
    # given
    user = agustus.kepala_user
    user.peran = peran
    user.save(update_fields=["peran"])

    # when
    with pytest.raises(ApplicationError) as caught:
        status_harian_tutup_rentang(actor=user, mulai=MULAI, sampai=SAMPAI)

    # then
    assert caught.value.status == 403
    assert list(
        PenutupanHari.objects.filter(tanggal__range=(MULAI, SAMPAI)).values_list("tanggal", flat=True)
    ) == [D(2026, 8, 12)]
    assert not StatusHarian.objects.filter(tanggal__range=(MULAI, SAMPAI)).exists()
    assert not AuditEvent.objects.filter(action="presensi.status_harian_tutup_rentang").exists()


def test_today_is_refused_it_closes_tonight(kantor):
    # given
    hari_ini = timezone.localdate(timezone=tenant_zone())
    PenutupanHari.objects.filter(tanggal=hari_ini).delete()

    # when
    with pytest.raises(ApplicationError) as caught:
        status_harian_tutup_rentang(
            actor=_admin(), mulai=hari_ini - datetime.timedelta(days=3), sampai=hari_ini
        )

    # then
    assert caught.value.fields == {
        "sampai": ["Presensi hanya dapat ditutup sampai kemarin; hari ini ditutup otomatis malam nanti."]
    }
    assert not PenutupanHari.objects.filter(tanggal=hari_ini).exists()
