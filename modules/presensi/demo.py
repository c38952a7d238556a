"""Demo data for the demo regencies: an office location and the national default schedule, and
for `make run` last month's attendance."""

import datetime
import random
import uuid
from decimal import Decimal

import holidays
from django.db import transaction
from django.utils import timezone

from modules.kepegawaian.models import Pegawai, Unit
from modules.presensi.models import LokasiKantor, PenutupanHari, Presensi
from modules.presensi.selectors import jadwal_for, tenant_zone
from modules.presensi.services import jadwal_default_ensure, lokasi_create, status_harian_hitung_tanggal

# Approximate centres of the regents' and mayor's offices; demo data only.
DEMO_KANTOR = {
    "sumedang": ("Kantor Bupati Sumedang", Decimal("-6.858600"), Decimal("107.919600")),
    "kendari": ("Balai Kota Kendari", Decimal("-3.969800"), Decimal("122.514900")),
}
DEFAULT_KANTOR = ("Kantor Pemerintah Daerah", Decimal("-6.200000"), Decimal("106.816700"))


def ramadan_estimate(tahun: int) -> tuple[datetime.date, datetime.date] | None:
    """Ramadan of the year estimated from Idul Fitri in the `holidays` package (30 days before);
    the regency confirms the dates from the government's isbat decision."""
    # Future years carry the package's "(estimated)" suffix.
    dates = [
        tanggal
        for tanggal, nama in holidays.country_holidays("ID", years=tahun).items()
        if nama.removesuffix(" (estimated)") == "Eid al-Fitr"
    ]
    if not dates:
        return None
    idul_fitri = min(dates)
    return idul_fitri - datetime.timedelta(days=30), idul_fitri - datetime.timedelta(days=1)


def demo_seed(tenant: object) -> None:
    schema = getattr(tenant, "schema_name", "")
    nama, lat, lon = DEMO_KANTOR.get(schema, DEFAULT_KANTOR)
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if not LokasiKantor.objects.exists():
        lokasi_create(actor=None, nama=nama, latitude=lat, longitude=lon, radius_m=100, unit=root)
    tahun = datetime.date.today().year  # noqa: DTZ011 - only picks which year's season to seed
    for year in (tahun, tahun + 1):
        jadwal_default_ensure(actor=None, ramadan=ramadan_estimate(year))


def demo_history(tenant: object) -> None:
    """Last month and this month up to yesterday: each active employee checks in and out on their
    working days at the office (mostly on time; now and then late, leaving early or absent),
    and each day is closed as the nightly job does, so the daily statuses, the recap and a TPP
    month can be shown at once. Deterministic per regency."""
    if PenutupanHari.objects.exists():
        return
    zone = tenant_zone()
    today = timezone.localdate(timezone=zone)
    mulai = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    lokasi = LokasiKantor.objects.order_by("pk").first()
    if lokasi is None:
        return
    rng = random.Random(getattr(tenant, "schema_name", ""))
    pegawai_list = list(Pegawai.objects.filter(status=Pegawai.Status.AKTIF).select_related("unit"))
    days = [mulai + datetime.timedelta(days=n) for n in range((today - mulai).days)]
    rows = []
    for day in days:
        for pegawai in pegawai_list:
            jadwal = jadwal_for(pegawai=pegawai, tanggal=day, zone=zone)
            if jadwal is None or rng.random() < 0.03:  # a day off, or absent without a word
                continue
            late = rng.choice([0] * 12 + [12, 35, 75])
            masuk = jadwal.jendela.masuk + datetime.timedelta(minutes=late or -rng.randint(5, 25))
            early = rng.choice([0] * 20 + [20])
            pulang = jadwal.jendela.pulang + datetime.timedelta(minutes=-early or rng.randint(0, 30))
            for jenis, waktu in ((Presensi.Jenis.MASUK, masuk), (Presensi.Jenis.PULANG, pulang)):
                rows.append(
                    Presensi(
                        client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        pegawai=pegawai,
                        jenis=jenis,
                        tanggal=day,
                        waktu=waktu,
                        waktu_perangkat=waktu,
                        waktu_server=waktu + datetime.timedelta(seconds=rng.randint(1, 4)),
                        latitude=lokasi.latitude,
                        longitude=lokasi.longitude,
                        akurasi_m=rng.randint(5, 30),
                        lokasi=lokasi,
                        jarak_m=rng.randint(3, 60),
                    )
                )
    with transaction.atomic():
        Presensi.objects.bulk_create(rows, batch_size=1000)
        for day in days:
            status_harian_hitung_tanggal(tanggal=day)
