"""Operator console pages for rollouts and backups (root host, staff only) and the regency's export page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.operations.models import Backup, Export, Restore, Rollout
from tenants.operations.selectors import (
    backup_list,
    export_list,
    pending_unsafe_operations,
    rollout_failures,
    rollout_list,
    rollout_progress,
    schema_heads,
    schema_state_list,
)


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only staff users of the public schema (platform operators) may see these pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.tenant.is_public or not request.user.is_staff:  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _rollout_context(rollout: Rollout | None) -> dict[str, Any]:
    if rollout is None:
        return {"rollout": None}
    return {
        "rollout": rollout,
        "waves": rollout_progress(rollout=rollout),
        "failures": rollout_failures(rollout=rollout),
        "live": rollout.status == Rollout.Status.RUNNING,
    }


@operator_required
def rollout_overview(request: HttpRequest) -> HttpResponse:
    rollouts = rollout_list(limit=20)
    heads = schema_heads()
    context = {
        "unsafe": pending_unsafe_operations(heads=heads),
        "rollouts": rollouts,
        "heads": heads,
        "states": schema_state_list(),
        "on_failure_choices": Rollout.OnFailure.choices,
        **_rollout_context(rollouts[0] if rollouts else None),
    }
    return render(request, "operations/rollouts.html", context)


@operator_required
def rollout_detail(request: HttpRequest, rollout_id: int) -> HttpResponse:
    rollout = get_object_or_404(Rollout, pk=rollout_id)
    template = "operations/_rollout_progress.html" if request.htmx else "operations/rollout_detail.html"  # type: ignore[attr-defined]
    return render(request, template, _rollout_context(rollout))


@operator_required
@require_POST
def rollout_start(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from tenants.operations.tasks import rollout_run_task

    try:
        workers = int(request.POST.get("workers", "4"))
    except ValueError:
        workers = 0
    on_failure = request.POST.get("on_failure", Rollout.OnFailure.KEEP)
    canary = [name.strip() for name in request.POST.get("canary", "").split(",") if name.strip()]
    if not 1 <= workers <= 64 or on_failure not in Rollout.OnFailure.values:
        messages.error(
            request, _("Isian rollout tidak valid: worker 1–64 dan pilihan kegagalan yang tersedia.")
        )
        return redirect("operations:rollouts")
    transaction.on_commit(
        lambda: rollout_run_task.delay(
            canary=canary, workers=workers, on_failure=on_failure, started_by=request.user.get_username()
        )
    )
    messages.success(request, _("Rollout dijadwalkan. Kemajuan tampil di halaman ini."))
    return redirect("operations:rollouts")


# -- backups (operator) ----------------------------------------------------------------------------


@operator_required
def backup_overview(request: HttpRequest) -> HttpResponse:
    from tenants.models import Tenant
    from tenants.operations.storage import backup_storage

    context = {
        "backups": backup_list(limit=100),
        "restores": list(Restore.objects.all()[:20]),
        "tenants": Tenant.objects.exclude(schema_name="public").order_by("name"),
        "location": backup_storage().location,
    }
    return render(request, "operations/backups.html", context)


@operator_required
@require_POST
def backup_start(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from tenants.models import Tenant
    from tenants.operations.tasks import tenant_backup_task

    tenant = get_object_or_404(
        Tenant.objects.exclude(schema_name="public"), schema_name=request.POST.get("schema")
    )
    username = request.user.get_username()
    transaction.on_commit(
        lambda: tenant_backup_task.delay(
            schema_name=tenant.schema_name, trigger=Backup.Trigger.MANUAL, requested_by=username
        )
    )
    messages.success(request, _("Pencadangan %(name)s dijadwalkan.") % {"name": tenant.name})
    return redirect("operations:backups")


@operator_required
@require_POST
def backup_restore_start(request: HttpRequest, backup_id: int) -> HttpResponse:
    from django.contrib import messages

    from tenants.operations.tasks import backup_restore_task

    backup = get_object_or_404(Backup, pk=backup_id, status=Backup.Status.SUCCEEDED)
    username = request.user.get_username()
    transaction.on_commit(lambda: backup_restore_task.delay(backup_id=backup.pk, requested_by=username))
    messages.success(
        request,
        _("Pemulihan %(schema)s ke skema baru dijadwalkan; hasil verifikasi tampil di bawah.")
        % {"schema": backup.schema_name},
    )
    return redirect("operations:backups")


@operator_required
@require_POST
def restore_decide(request: HttpRequest, restore_id: int) -> HttpResponse:
    """Swap a verified restore in (the operator types the schema name) or discard it."""
    from django.contrib import messages

    from eoffice.core.errors import ApplicationError
    from tenants.operations.backups import restore_discard, restore_swap

    restore = get_object_or_404(Restore, pk=restore_id)
    try:
        if request.POST.get("action") == "swap":
            restore_swap(restore=restore, confirm=request.POST.get("confirm", ""), actor=request.user)
            messages.success(
                request,
                _("Skema %(schema)s kini berisi data pulihan; skema lama disimpan sebagai %(kept)s.")
                % {"schema": restore.source_schema, "kept": restore.verification["previous_schema"]},
            )
        else:
            restore_discard(restore=restore)
            messages.success(request, _("Skema %(name)s dibuang.") % {"name": restore.target_schema})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("operations:backups")


# -- export (regency admin, tenant host) -----------------------------------------------------------


def admin_pemda_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.tenant.is_public or request.user.peran != "admin_pemda":  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _export_rows(schema_name: str) -> list[dict[str, Any]]:
    from django.utils import timezone

    from tenants.operations.exports import export_download_token

    rows = []
    for export in export_list(schema_name=schema_name):
        ready = (
            export.status == Export.Status.READY and export.expires_at and export.expires_at > timezone.now()
        )
        rows.append(
            {
                "export": export,
                "download": reverse("operations-export:download", args=[export_download_token(export=export)])
                if ready
                else "",
            }
        )
    return rows


@admin_pemda_required
def export_page(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from eoffice.core.errors import ApplicationError
    from tenants.operations.exports import export_request

    tenant = request.tenant  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            export_request(tenant=tenant, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Ekspor sedang disiapkan. Halaman ini memperbarui kemajuannya."))
        return redirect("operations-export:page")
    rows = _export_rows(tenant.schema_name)
    live = any(row["export"].status in (Export.Status.QUEUED, Export.Status.RUNNING) for row in rows)
    template = "operations/_export_list.html" if request.htmx else "operations/export.html"  # type: ignore[attr-defined]
    return render(request, template, {"rows": rows, "live": live})


@admin_pemda_required
def export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    from django.http import FileResponse, HttpResponseRedirect

    from eoffice.core.errors import ApplicationError
    from tenants.operations.exports import export_for_token
    from tenants.operations.storage import backup_storage

    try:
        export = export_for_token(token=token, schema_name=request.tenant.schema_name)  # type: ignore[attr-defined]
    except ApplicationError as exc:
        return render(request, "operations/export_link.html", {"message": exc.message}, status=exc.status)
    storage = backup_storage()
    url = storage.url(key=export.storage_key, expires_seconds=300)
    if url:
        return HttpResponseRedirect(url)
    return FileResponse(
        storage.local_path(export.storage_key).open("rb"),  # type: ignore[attr-defined]
        as_attachment=True,
        filename=export.storage_key.rsplit("/", 1)[-1],
    )
