"""Request routing: the host picks the tenant and its schema; nothing else may."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from eoffice.core.api import error_response
from eoffice.core.db import connection
from tenants import routing
from tenants.models import Tenant


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """404 that says nothing about which tenants exist."""
    return HttpResponse(render_to_string("errors/unknown_host.html"), status=404)


class TenantRoutingMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with a warm host map: no domain query, no redundant SET."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return unknown_host_response(request)
        tenant = routing.hosts.tenant_for_host(hostname)
        if tenant is None:
            return unknown_host_response(request)
        request.tenant = tenant  # type: ignore[attr-defined]
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        return None


class TenantStatusMiddleware:
    """Suspended, provisioning or maintenance tenants answer 503 with Retry-After; archived are read-only."""

    RETRY_AFTER_SECONDS: dict[str, int] = {
        Tenant.Status.PROVISIONING: 30,
        Tenant.Status.MAINTENANCE: 300,
        Tenant.Status.SUSPENDED: 3600,
    }
    EXEMPT_PATHS = ("/health/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant: Tenant = request.tenant  # type: ignore[attr-defined]
        if tenant.status in self.RETRY_AFTER_SECONDS and not request.path.startswith(self.EXEMPT_PATHS):
            response = self._unavailable(request, tenant)
            response["Retry-After"] = str(self.RETRY_AFTER_SECONDS[tenant.status])
            return response
        if (
            tenant.status == Tenant.Status.ARCHIVED
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not request.path.startswith(settings.READ_ONLY_EXEMPT_PATHS)
        ):
            message = _("Layanan ini telah diarsipkan dan hanya dapat dibaca.")
            if request.path.startswith("/api/"):
                return error_response(code="tenant_archived", message=message, status=403)
            return HttpResponse(
                render_to_string(
                    "errors/tenant_status.html", {"tenant": tenant, "message": message}, request
                ),
                status=403,
            )
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not tenant.is_public and session.get("impersonation"):
            return self._impersonation(request, response, session["impersonation"])
        return response

    @staticmethod
    def _impersonation(request: HttpRequest, response: HttpResponse, grant: dict) -> HttpResponse:
        """An operator's support session: ends by itself at its limit, and says so on every page."""
        until = datetime.fromisoformat(grant["until"])
        if until <= timezone.now():
            request.session.flush()
            return redirect(settings.LOGIN_URL)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            banner = render_to_string(
                "tenants/_impersonation_banner.html",
                {"operator": grant["operator"], "until": timezone.localtime(until)},
            ).encode()
            content = response.content
            start = content.find(b"<body")
            if start != -1:
                end = content.find(b">", start) + 1
                response.content = content[:end] + banner + content[end:]
        return response

    @staticmethod
    def _unavailable(request: HttpRequest, tenant: Tenant) -> HttpResponse:
        messages: dict[str, str] = {
            Tenant.Status.SUSPENDED: _("Layanan ditangguhkan. Hubungi administrator pemerintah daerah Anda."),
            Tenant.Status.MAINTENANCE: _(
                "Layanan sedang dalam pemeliharaan. Silakan coba lagi beberapa menit lagi."
            ),
            Tenant.Status.PROVISIONING: _("Layanan sedang disiapkan. Silakan coba lagi sebentar lagi."),
        }
        message = messages[tenant.status]
        if request.path.startswith("/api/"):
            return error_response(code=f"tenant_{tenant.status}", message=message, status=503)
        return HttpResponse(
            render_to_string("errors/tenant_status.html", {"tenant": tenant, "message": message}, request),
            status=503,
        )
