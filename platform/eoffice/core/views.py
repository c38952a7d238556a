"""Pages every host has: landing (root), dashboard (tenant), health, error pages."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from eoffice.core import health as health_checks
from eoffice.core.api import error_response


def health(request: HttpRequest) -> JsonResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    database = health_checks.database_ok()
    pending = health_checks.pending_migrations() if database else []
    body: dict[str, Any] = {
        "status": "ok",
        "database": "ok" if database else "unavailable",
        "broker": "ok" if health_checks.broker_ok() else "unavailable",
        "migrations": {"at_head": database and not pending, "pending": pending},
    }
    if not tenant.is_public:
        body["tenant"] = {"schema": tenant.schema_name, "name": tenant.name, "status": tenant.status}
    elif database:
        # Every schema's migration state, read in one query. Reported, not judged: a rollout in
        # progress must not take the platform's web servers out of the load balancer.
        from tenants.operations.selectors import schema_heads

        heads = schema_heads()
        body["migrations"]["schemas"] = {
            "total": heads.total,
            "at_head": len(heads.at_head),
            "all_at_head": heads.all_at_head,
            "behind": sorted(heads.behind),
            "missing": heads.missing,
        }
    healthy = body["database"] == "ok" and body["broker"] == "ok" and body["migrations"]["at_head"]
    body["status"] = "ok" if healthy else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(code="not_found", message=_("Data atau alamat tidak ditemukan."), status=404)
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(
            code="permission_denied", message=_("Anda tidak berhak melakukan tindakan ini."), status=403
        )
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(code="bad_request", message=_("Permintaan tidak dapat diproses."), status=400)
    return render(request, "errors/400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return error_response(
            code="server_error",
            message=_("Terjadi kesalahan pada server. Tim kami sudah diberi tahu; silakan coba lagi."),
            status=500,
        )
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _wants_json(request):
        return error_response(
            code="csrf_failed",
            message=_("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."),
            status=403,
        )
    return render(request, "errors/csrf.html", status=403)
