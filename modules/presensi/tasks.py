"""Periodic presensi jobs. Each runs inside one tenant's schema (tenant-schemas-celery)."""

import datetime
import zlib

from celery import shared_task
from django.db import connection
from django.utils import timezone


def schema_name() -> str:
    return str(connection.schema_name)  # type: ignore[attr-defined]


def _stagger_minutes(schema_name: str) -> int:
    # Spread 200 regencies over an hour after closing time instead of one spike at 22:00.
    return zlib.crc32(schema_name.encode()) % 60


@shared_task(name="presensi.tutup_hari")
def tutup_hari() -> int:
    """Close today's attendance once the regency's local closing time (plus its stagger) has
    passed; idempotent, so every beat tick may call it."""
    from modules.presensi.config import presensi_config
    from modules.presensi.models import PenutupanHari
    from modules.presensi.selectors import tenant_zone
    from modules.presensi.services import status_harian_hitung_tanggal
    from tenants.selectors import tenant_current

    if schema_name() == "public":
        return 0
    cfg = presensi_config(tenant_current())
    local = timezone.localtime(timezone.now(), tenant_zone())
    closes = local.replace(hour=cfg.jam_tutup_hari, minute=0, second=0, microsecond=0) + datetime.timedelta(
        minutes=_stagger_minutes(schema_name())
    )
    if local < closes or PenutupanHari.objects.filter(tanggal=local.date()).exists():
        return 0
    return status_harian_hitung_tanggal(tanggal=local.date())


@shared_task(name="presensi.hitung_tanggal")
def hitung_tanggal(tanggal: str) -> int:
    """On demand: recompute a date for the whole regency (from the admin page)."""
    from modules.presensi.services import status_harian_hitung_tanggal

    return status_harian_hitung_tanggal(tanggal=datetime.date.fromisoformat(tanggal))


@shared_task(name="presensi.hapus_swafoto")
def hapus_swafoto() -> int:
    from modules.presensi.services import swafoto_hapus_kedaluwarsa

    if schema_name() == "public":
        return 0
    return swafoto_hapus_kedaluwarsa()
