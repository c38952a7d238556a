"""Reads on notifications: always the signed-in user's own."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from eoffice.notifications.models import Notifikasi


def notifikasi_list_for(*, user: User) -> QuerySet[Notifikasi]:
    """The user's notifications, newest first."""
    return Notifikasi.objects.filter(penerima=user).order_by("-created_at", "-id")


def notifikasi_get_for(*, user: User, notifikasi_id: int) -> Notifikasi:
    """One of the user's own notifications; anyone else's is "not found" (404)."""
    notifikasi = Notifikasi.objects.filter(penerima=user, pk=notifikasi_id).first()
    if notifikasi is None:
        raise ApplicationError(_("Notifikasi tidak ditemukan."), code="not_found", status=404)
    return notifikasi


def notifikasi_belum_dibaca_count(*, user: User) -> int:
    """How many of the user's notifications are unread: one COUNT on a partial index."""
    return Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).count()
