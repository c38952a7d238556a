"""Background work of kepegawaian: applying a big import file (queue `imports`)."""

import uuid

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from modules.kepegawaian.models import ImportBerkas


def import_run(*, upload_id: uuid.UUID | str) -> ImportBerkas:
    """Apply an uploaded file once (a repeated call finds it done and does nothing)."""
    from modules.kepegawaian import imports

    with transaction.atomic():
        upload = (
            ImportBerkas.objects.select_for_update(of=("self",))
            .select_related("dibuat_oleh")
            .get(pk=upload_id)
        )
        if upload.status in (ImportBerkas.Status.SELESAI, ImportBerkas.Status.GAGAL):
            return upload
        upload.status = ImportBerkas.Status.DIPROSES
        upload.save(update_fields=["status"])
    with upload.berkas.open("rb") as handle:
        content = handle.read()
    if upload.dibuat_oleh is None:
        # The uploader's account is gone; nobody's permissions can vouch for the file any more.
        ImportBerkas.objects.filter(pk=upload.pk).update(
            status=ImportBerkas.Status.GAGAL, selesai_at=timezone.now()
        )
        upload.refresh_from_db()
        return upload
    apply = imports.pegawai_apply if upload.jenis == ImportBerkas.Jenis.PEGAWAI else imports.unit_apply
    try:
        hasil = apply(user=upload.dibuat_oleh, content=content, nama_berkas=upload.nama_berkas)
    except Exception:
        ImportBerkas.objects.filter(pk=upload.pk).update(
            status=ImportBerkas.Status.GAGAL, selesai_at=timezone.now()
        )
        raise
    upload.status = ImportBerkas.Status.SELESAI
    upload.jumlah_diterapkan = hasil.diterapkan
    upload.masalah = hasil.masalah
    upload.selesai_at = timezone.now()
    upload.save(update_fields=["status", "jumlah_diterapkan", "masalah", "selesai_at"])
    return upload


@shared_task(name="imports.kepegawaian_apply")
def import_apply(upload_id: str) -> None:
    import_run(upload_id=upload_id)
