from typing import Any

from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError


def request_user(request: Any) -> User:
    """The signed-in user of a page or API request (login_required / IsAuthenticated ran first)."""
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError(_("Silakan masuk terlebih dahulu."), code="not_authenticated", status=401)
    return user
