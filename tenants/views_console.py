"""Root host: the operator console (operators are staff users of the public schema, with MFA)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.core.modules import all_modules
from tenants import selectors
from tenants.models import PlatformSetting, Registration, Tenant
from tenants.onboarding import registration_approve, registration_reject, registration_retry
from tenants.services import (
    impersonation_start,
    platform_setting_update,
    tenant_archive,
    tenant_resume,
    tenant_set_status,
    tenant_suspend,
)
from tenants.views_settings import IMPERSONATION_SALT


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff of the public schema only, and only once they have set up MFA."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff:
            return render(request, "errors/403.html", status=403)
        if not is_mfa_enabled(user):
            messages.warning(
                request, _("Konsol operator mewajibkan verifikasi dua langkah. Aktifkan dulu MFA.")
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def _operator(request: HttpRequest) -> User:
    # Only reached behind operator_required.
    return cast(User, request.user)


def _tenant_or_404(tenant_id: int) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(pk=tenant_id).first()
    if tenant is None:
        raise Http404
    return tenant


@operator_required
def console_tenants(request: HttpRequest) -> HttpResponse:
    filters = {
        key: request.GET.get(key, "").strip() for key in ("search", "status", "provinsi", "module", "plan")
    }
    page = Paginator(selectors.tenant_list(**filters), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    stats = selectors.tenant_stats(tenants=rows)
    context = {
        "page": page,
        "rows": [(tenant, stats.get(tenant.pk)) for tenant in rows],
        "filters": filters,
        "statuses": Tenant.Status.choices,
        "provinces": selectors.tenant_provinces(),
        "modules": [(spec.name, spec.label) for spec in all_modules()],
        "pending_registrations": Registration.objects.filter(
            status=Registration.Status.AWAITING_APPROVAL
        ).count(),
    }
    template = "tenants/console/_tenant_rows.html" if request.htmx else "tenants/console/tenants.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@operator_required
def console_tenant_detail(request: HttpRequest, tenant_id: int) -> HttpResponse:
    tenant = _tenant_or_404(tenant_id)
    with schema_context(tenant.schema_name):
        tenant_events = list(AuditEvent.objects.order_by("-created_at")[:30])
    context = {
        "t": tenant,
        "stats": selectors.tenant_stats(tenants=[tenant]).get(tenant.pk),
        "domains": tenant.domains.order_by("-is_primary", "domain"),
        "history": selectors.config_history(tenant=tenant)[:20],
        "platform_events": selectors.tenant_audit_trail(tenant=tenant),
        "tenant_events": tenant_events,
        "registrations": tenant.registrations.all(),
    }
    return render(request, "tenants/console/tenant_detail.html", context)


@operator_required
@require_POST
def console_tenant_status(request: HttpRequest, tenant_id: int) -> HttpResponse:
    tenant = _tenant_or_404(tenant_id)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    actions = {"suspend": tenant_suspend, "resume": tenant_resume, "archive": tenant_archive}
    try:
        if action == "maintenance":
            tenant_set_status(
                tenant=tenant, status=Tenant.Status.MAINTENANCE, actor=_operator(request), reason=reason
            )
        elif action in actions:
            actions[action](tenant=tenant, actor=_operator(request), reason=reason)
        else:
            raise ApplicationError(_("Tindakan tidak dikenal."), status=400)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("console-tenant", tenant_id=tenant.pk)
    messages.success(request, _("Status %(name)s diperbarui.") % {"name": tenant.name})
    return redirect("console-tenant", tenant_id=tenant.pk)


@operator_required
@require_POST
def console_impersonate(request: HttpRequest, tenant_id: int) -> HttpResponse:
    tenant = _tenant_or_404(tenant_id)
    try:
        grant = impersonation_start(
            tenant=tenant, operator=_operator(request), reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("console-tenant", tenant_id=tenant.pk)
    token = signing.dumps({"g": grant.pk}, salt=IMPERSONATION_SALT)
    host = tenant.get_primary_domain().domain
    port = request.get_port()
    netloc = host if port in ("80", "443") else f"{host}:{port}"
    return redirect(f"{request.scheme}://{netloc}/pengaturan/dukungan/{token}/")


@operator_required
def console_registrations(request: HttpRequest) -> HttpResponse:
    registrations = Registration.objects.select_related("wilayah", "tenant").order_by("-created_at")[:200]
    return render(request, "tenants/console/registrations.html", {"registrations": registrations})


@operator_required
@require_POST
def console_registration_action(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            registration_approve(registration=registration, actor=_operator(request))
        elif action == "reject":
            registration_reject(
                registration=registration, actor=_operator(request), reason=request.POST.get("reason", "")
            )
        elif action == "retry":
            registration_retry(registration=registration, actor=_operator(request))
        else:
            raise ApplicationError(_("Tindakan tidak dikenal."), status=400)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pendaftaran %(name)s diperbarui.") % {"name": registration.wilayah.nama})
    return redirect("console-registrations")


@operator_required
def console_platform_settings(request: HttpRequest) -> HttpResponse:
    setting = PlatformSetting.load()
    if request.method == "POST":
        try:
            platform_setting_update(
                actor=_operator(request),
                require_approval=request.POST.get("require_approval") == "on",
                retention_days=request.POST.get("retention_days", ""),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Pengaturan platform tersimpan."))
        return redirect("console-platform-settings")
    return render(request, "tenants/console/platform_settings.html", {"setting": setting})
