"""Multi-factor authentication is mandatory for administrators.

Admin pemda and admin OPD can change a whole regency's (or OPD's) personnel data, and platform
operators (staff on the root host) can reach every regency's configuration, so a stolen password
alone must not be enough. Until such a user has a TOTP authenticator, every page sends them to
the TOTP set-up page (allauth.mfa also gives them recovery codes), and the API answers 403.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.api import error_response

# Sign-in, sign-out, password reset and the MFA pages themselves must stay reachable.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/", "/favicon")


def mfa_required_for(user: User, *, public_schema: bool) -> bool:
    if public_schema:
        return bool(user.is_staff)
    return user.peran in (User.Peran.ADMIN_PEMDA, User.Peran.ADMIN_OPD)


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            getattr(settings, "MFA_ENFORCE_FOR_ADMINS", True)
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            tenant = getattr(request, "tenant", None)
            public = tenant is None or tenant.schema_name == "public"
            if mfa_required_for(user, public_schema=public) and not has_totp(user):
                if request.path.startswith("/api/"):
                    return error_response(
                        code="mfa_required",
                        message=_(
                            "Peran Anda mewajibkan autentikasi dua faktor. Aktifkan dahulu di halaman akun."
                        ),
                        status=403,
                    )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
