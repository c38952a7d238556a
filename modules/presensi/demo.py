"""Demo data for the demo regencies: an office location and the national default schedule."""

import datetime
from decimal import Decimal

import holidays

from modules.kepegawaian.models import Unit
from modules.presensi.models import LokasiKantor
from modules.presensi.services import jadwal_default_ensure, lokasi_create

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
