"""Tenant host: the regency administrator's settings (/pengaturan/), first sign-in, support access."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eoffice.accounts.selectors import request_user
from eoffice.core.errors import ApplicationError
from eoffice.core.modules import all_modules
from tenants import selectors
from tenants.configuration import config_adopt, config_publish, config_revert, config_unpublish, config_update
from tenants.forms import ConfigForm
from tenants.models import ConfigTemplate, Tenant
from tenants.onboarding import registration_login_redeem
from tenants.services import impersonation_redeem

IMPERSONATION_SALT = "tenants.impersonation"
_AUTH_BACKEND = "eoffice.accounts.backends.AuthenticationBackend"


def tenant_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_tenant_admin", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _tenant(request: HttpRequest) -> Tenant:
    return request.tenant  # type: ignore[attr-defined]


def _module_choices() -> list[tuple[str, str]]:
    return [(spec.name, spec.label) for spec in all_modules()]


def handover_login(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant arrives from the root host's progress page, signed in once as administrator."""
    try:
        user = registration_login_redeem(token=token, tenant=_tenant(request))
    except ApplicationError as error:
        return render(
            request, "tenants/onboarding_error.html", {"message": error.message}, status=error.status
        )
    login(request, user, backend=_AUTH_BACKEND)
    if not user.has_usable_password():
        # First the password: the MFA set-up that follows asks for it to re-authenticate.
        return redirect(f"{reverse('account_set_password')}?next={reverse('pengaturan:welcome')}")
    return redirect("pengaturan:welcome")


@tenant_admin_required
def welcome(request: HttpRequest) -> HttpResponse:
    return render(
        request, "tenants/welcome.html", {"has_password": request_user(request).has_usable_password()}
    )


@tenant_admin_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    tenant = _tenant(request)
    status = 200
    saved = False
    if request.method == "POST":
        form = ConfigForm(request.POST, modules=_module_choices())
        if form.is_valid():
            try:
                config_update(
                    tenant=tenant,
                    data=form.to_config(tenant.config),
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                error.add_to_form(form, form.FIELD_PATHS)
                status = error.status
            else:
                saved = True
                form = ConfigForm(initial=ConfigForm.initial_from(tenant.config), modules=_module_choices())
        else:
            status = 400
    else:
        form = ConfigForm(initial=ConfigForm.initial_from(tenant.config), modules=_module_choices())
    context = {
        "form": form,
        "saved": saved,
        "history": selectors.config_history(tenant=tenant)[:20],
        "published": ConfigTemplate.objects.filter(tenant=tenant).first(),
        "templates": ConfigTemplate.objects.exclude(tenant=tenant).select_related("tenant"),
    }
    template = "tenants/_settings_form.html" if request.htmx else "tenants/settings.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@tenant_admin_required
@require_POST
def settings_revert(request: HttpRequest, version: int) -> HttpResponse:
    try:
        config_revert(tenant=_tenant(request), version=version, actor=request.user)
    except ApplicationError as error:
        return render(
            request, "tenants/onboarding_error.html", {"message": error.message}, status=error.status
        )
    return redirect("pengaturan:settings")


@tenant_admin_required
@require_POST
def settings_publish(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "unpublish":
        config_unpublish(tenant=_tenant(request), actor=request.user)
    else:
        config_publish(tenant=_tenant(request), actor=request.user, nama=request.POST.get("nama", ""))
    return redirect("pengaturan:settings")


@tenant_admin_required
@require_POST
def settings_adopt(request: HttpRequest) -> HttpResponse:
    try:
        template_id = int(request.POST.get("template", ""))
    except ValueError:
        return render(
            request, "tenants/onboarding_error.html", {"message": _("Pilih templat konfigurasi.")}, status=400
        )
    try:
        config_adopt(tenant=_tenant(request), template_id=template_id, actor=request.user)
    except ApplicationError as error:
        return render(
            request, "tenants/onboarding_error.html", {"message": error.message}, status=error.status
        )
    return redirect("pengaturan:settings")


def support_access(request: HttpRequest, token: str) -> HttpResponse:
    """An operator's time-limited support sign-in; the banner and expiry come from the middleware."""
    try:
        grant_id = signing.loads(token, salt=IMPERSONATION_SALT, max_age=15 * 60)["g"]
        grant, user = impersonation_redeem(grant_id=grant_id, tenant=_tenant(request))
    except signing.BadSignature:
        return render(
            request,
            "tenants/onboarding_error.html",
            {"message": _("Tautan akses dukungan tidak valid.")},
            status=403,
        )
    except ApplicationError as error:
        return render(
            request, "tenants/onboarding_error.html", {"message": error.message}, status=error.status
        )
    login(request, user, backend=_AUTH_BACKEND)
    request.session["impersonation"] = {
        "operator": grant.operator,
        "until": grant.expires_at.isoformat(),
        "grant": grant.pk,
    }
    request.session.set_expiry(grant.expires_at)
    return redirect("dashboard")
