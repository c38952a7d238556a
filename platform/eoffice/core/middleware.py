"""Per-request context after tenant routing: request id, logs, Sentry, time zone, language."""

import re
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import sentry_sdk
import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Binds request id and tenant to logs and Sentry; activates the tenant's zone and language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        tenant = request.tenant  # type: ignore[attr-defined]
        request.request_id = request_id  # type: ignore[attr-defined]

        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id, tenant=tenant.schema_name)
        sentry_sdk.set_tag("tenant", tenant.schema_name)

        timezone.activate(ZoneInfo(tenant.timezone))
        translation.activate(self._language(request, tenant.language))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        response["X-Request-ID"] = request_id
        return response

    @staticmethod
    def _language(request: HttpRequest, tenant_language: str) -> str:
        """The user's explicit choice (cookie), else for API clients their header, else the tenant's.

        A browser's Accept-Language is ignored for pages: most phones here say en-US while the
        regency works in Bahasa Indonesia.
        """
        supported = dict(settings.LANGUAGES)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in supported:
            return chosen
        if request.path.startswith("/api/"):
            header = request.headers.get("Accept-Language", "")[:2].lower()
            if header in supported:
                return header
        return tenant_language if tenant_language in supported else settings.LANGUAGE_CODE
