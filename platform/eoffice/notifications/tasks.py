"""The e-mail copy of a notification. Runs in the schema of the regency that queued it
(tenant-schemas-celery puts the schema in the message headers)."""

from celery import shared_task


@shared_task(name="notifikasi.email_kirim", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifikasi_email_task(*, notifikasi_id: int) -> bool:
    """Send one notification by e-mail; True when sent now (see `notifikasi_email_kirim`)."""
    from eoffice.notifications.services import notifikasi_email_kirim

    return notifikasi_email_kirim(notifikasi_id=notifikasi_id)
