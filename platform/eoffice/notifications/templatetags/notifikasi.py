"""The bell's count in the page header: `{% notifikasi_belum_dibaca as jumlah %}`."""

from typing import Any

from django import template

from eoffice.accounts.models import User
from eoffice.notifications.selectors import notifikasi_belum_dibaca_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifikasi_belum_dibaca(context: dict[str, Any]) -> int | None:
    """Unread count of the signed-in user on a regency's host; None elsewhere (anonymous visitors,
    the platform's own site, whose schema has no notifications) so the bell is not shown."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.is_public or not isinstance(user, User) or not user.is_authenticated:
        return None
    return notifikasi_belum_dibaca_count(user=user)
