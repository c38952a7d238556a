"""Background work of tenant operations. Each task imports its service inside the body."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="operations.rollout_run", acks_late=True)
def rollout_run_task(
    *, canary: list[str], workers: int, on_failure: str, started_by: str, resume_id: int | None = None
) -> str:
    """Run a rollout started from the console (idempotent: schemas at the head are skipped)."""
    from tenants.operations.models import Rollout
    from tenants.operations.rollout import RolloutOptions, rollout_run

    resume = Rollout.objects.filter(pk=resume_id).first() if resume_id else None
    rollout = rollout_run(
        plan_kwargs={"canary": canary},
        options=RolloutOptions(workers=workers, on_failure=on_failure),
        started_by=started_by,
        resume=resume,
    )
    return rollout.status


@shared_task(
    name="operations.tenant_backup",
    bind=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=300,
)
def tenant_backup_task(
    self, *, schema_name: str, trigger: str = "manual", requested_by: str = ""
) -> int | None:  # noqa: ANN001
    """Back up one tenant; a storage failure is retried (the failed attempt stays recorded and alerted)."""
    from django_tenants.utils import schema_context

    from tenants.models import Tenant
    from tenants.operations.backups import backup_create
    from tenants.operations.storage import BackupStorageError

    with schema_context("public"):
        tenant = Tenant.objects.filter(schema_name=schema_name).first()
        if tenant is None:
            return None
        try:
            return backup_create(tenant=tenant, trigger=trigger, requested_by=requested_by).pk
        except BackupStorageError as exc:
            raise self.retry(exc=exc) from exc


@shared_task(name="operations.tenant_backup_scheduled", acks_late=True)
def tenant_backup_scheduled() -> int | None:
    """Sent hourly to every tenant by the tenant-aware beat: back this tenant up when it is due."""
    from datetime import timedelta

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from tenants.operations.models import Backup

    schema_name = connection.schema_name  # type: ignore[attr-defined]
    with schema_context("public"):
        due_after = timezone.now() - timedelta(hours=settings.TENANT_BACKUP_INTERVAL_HOURS)
        recent = Backup.objects.filter(
            schema_name=schema_name,
            status__in=[Backup.Status.SUCCEEDED, Backup.Status.RUNNING],
            created_at__gte=due_after,
        ).exists()
    if recent:
        return None
    return tenant_backup_task.run(schema_name=schema_name, trigger="scheduled")


@shared_task(name="operations.backup_prune")
def backup_prune_task() -> int:
    """Delete backups past their retention (each tenant keeps its newest good backup)."""
    from tenants.operations.backups import backup_prune

    return len(backup_prune())


@shared_task(name="operations.tenant_export", acks_late=True)
def tenant_export_task(*, export_id: int) -> str:
    from tenants.operations.exports import export_run

    return export_run(export_id=export_id).status


@shared_task(name="operations.tenants_purge_expired")
def tenants_purge_expired_task() -> int:
    """Delete archived tenants past their retention with their files and backups (daily)."""
    from django.utils import timezone

    from tenants.models import Tenant
    from tenants.operations.services import tenant_orphans_purge, tenant_purge

    count = 0
    for tenant in Tenant.objects.filter(status=Tenant.Status.ARCHIVED, delete_after__lte=timezone.now()):
        tenant_purge(tenant=tenant, actor=None, reason="Masa retensi berakhir")
        count += 1
    return count + len(tenant_orphans_purge())


@shared_task(name="operations.backup_restore", acks_late=True)
def backup_restore_task(*, backup_id: int, requested_by: str) -> str:
    """Restore a backup into a new schema and verify it (started from the console)."""
    from tenants.operations.backups import backup_restore
    from tenants.operations.models import Backup

    return backup_restore(backup=Backup.objects.get(pk=backup_id), requested_by=requested_by).status
