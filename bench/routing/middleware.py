"""The "no tenant routing" baseline: every request gets the same tenant, no lookup, no SET."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tenants.models import Tenant


class PinnedTenantMiddleware:
    """Hands every request the tenant whose schema the connection was pinned to when it opened.

    The rest of the project's stack reads ``request.tenant`` (time zone, language, status), so the
    baseline keeps it, loaded once per process.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.tenant: Tenant | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.tenant is None:
            self.tenant = Tenant.objects.get(schema_name=settings.PINNED_SCHEMA)
        request.tenant = self.tenant  # type: ignore[attr-defined]
        return self.get_response(request)
