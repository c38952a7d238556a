"""Periodic KGB job. Runs inside one tenant's schema (tenant-schemas-celery), judged by its local date."""

from celery import shared_task
from django.utils import timezone

from eoffice.core.db import connection


@shared_task(name="kgb.pengingat_harian")
def pengingat_harian() -> dict[str, int]:
    """Draft surat pemberitahuan at T−120 days and alert at T−60 days, by the regency's own date
    (WIB, WITA or WIT). Idempotent: a draft or alert already made is never repeated."""
    from modules.kgb.services import kgb_pengingat_jalankan
    from modules.presensi.selectors import tenant_zone

    if connection.schema_name == "public":
        return {"draf_baru": 0, "peringatan": 0}
    hari_ini = timezone.localtime(timezone.now(), tenant_zone()).date()
    hasil = kgb_pengingat_jalankan(hari_ini=hari_ini)
    return {"draf_baru": hasil.draf_baru, "peringatan": hasil.peringatan}
