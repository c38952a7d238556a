"""The periodic jobs: closing the day after the regency's local closing time (staggered, once),
and deleting selfies after the retention period."""

import datetime
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from modules.presensi import tasks
from modules.presensi.models import PenutupanHari, Presensi, StatusHarian
from modules.presensi.services import swafoto_hapus_kedaluwarsa
from modules.presensi.tests.conftest import KANTOR_LAT, KANTOR_LON, jpeg_bytes

WIB = ZoneInfo("Asia/Jakarta")


def _at_wib(hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, 7, hour, minute, tzinfo=WIB)


def test_day_closes_once_after_closing_time_plus_the_regency_stagger(kantor):
    stagger = tasks._stagger_minutes("sumedang")
    closing = _at_wib(22, 0) + datetime.timedelta(minutes=stagger)
    with mock.patch("django.utils.timezone.now", return_value=closing - datetime.timedelta(minutes=1)):
        assert tasks.tutup_hari() == 0
    assert not PenutupanHari.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=closing):
        closed = tasks.tutup_hari()
        assert closed == StatusHarian.objects.filter(tanggal=datetime.date(2026, 12, 7)).count() > 0
        assert tasks.tutup_hari() == 0  # idempotent: the next tick does nothing
    assert list(PenutupanHari.objects.values_list("tanggal", flat=True)) == [datetime.date(2026, 12, 7)]
    assert StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=datetime.date(2026, 12, 7)).status == "tk"


def test_stagger_spreads_regencies_over_an_hour():
    minutes = {tasks._stagger_minutes(f"kab_{n}") for n in range(200)}
    assert min(minutes) >= 0 and max(minutes) <= 59
    assert len(minutes) > 40


def test_selfies_older_than_retention_are_deleted_but_rows_stay(kantor):
    def row(days_ago: int) -> Presensi:
        waktu = _at_wib(7, 0) - datetime.timedelta(days=days_ago)
        p = Presensi(
            client_uuid=uuid.uuid4(),
            pegawai=kantor.pegawai,
            jenis="masuk",
            tanggal=waktu.date(),
            waktu=waktu,
            waktu_perangkat=waktu,
            waktu_server=waktu,
            latitude=KANTOR_LAT,
            longitude=KANTOR_LON,
            akurasi_m=10,
        )
        p.swafoto.save("x.jpg", ContentFile(jpeg_bytes()), save=False)
        p.save()
        return p

    old, recent = row(91), row(89)
    old_name = old.swafoto.name
    with mock.patch("django.utils.timezone.now", return_value=_at_wib(7, 0)):
        assert swafoto_hapus_kedaluwarsa() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.swafoto.name, default_storage.exists(old_name)) == ("", False)
    assert default_storage.exists(recent.swafoto.name)
