"""Writes of tenant operations that span more than one module here: deletion after retention."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from eoffice.core.files import tenant_prefix
from tenants.models import Tenant
from tenants.operations.backups import _connect, _storage_delete_prefix, schema_digest
from tenants.operations.models import Backup, TenantDeletion
from tenants.operations.storage import BackupStorage, backup_storage


def tenant_purge(
    *, tenant: Tenant, actor: Any, reason: str, storage: BackupStorage | None = None
) -> TenantDeletion:
    """Delete an archived tenant whose retention is over: schema, files, backups and exports.

    The schema goes through the tenancy service (which checks the retention and audits); then its
    files and every object under its prefix in the backup storage. What was deleted (tables with
    their row counts, files, backups) is recorded in the public schema.
    """
    from tenants.services import tenant_delete_expired

    storage = storage or backup_storage()
    schema = tenant.schema_name
    with _connect() as conn:
        tables = {name: item["rows"] for name, item in schema_digest(conn, schema).items()}
    requested_at = min(tenant.updated_at, tenant.delete_after or timezone.now())
    name, kode, delete_after = tenant.name, tenant.kode or "", tenant.delete_after or timezone.now()
    tenant_delete_expired(tenant=tenant, actor=actor, reason=reason)
    return _purge_leftovers(
        schema=schema,
        tenant_name=name,
        tenant_kode=kode,
        requested_at=requested_at,
        delete_after=delete_after,
        actor=actor,
        reason=reason,
        tables=tables,
        storage=storage,
    )


def _purge_leftovers(
    *,
    schema: str,
    tenant_name: str,
    tenant_kode: str,
    requested_at,  # noqa: ANN001
    delete_after,  # noqa: ANN001
    actor: Any,
    reason: str,
    tables: dict[str, int],
    storage: BackupStorage,
) -> TenantDeletion:
    files = _storage_delete_prefix(tenant_prefix(schema))
    objects = storage.delete_prefix(prefix=tenant_prefix(schema))
    backups = list(
        Backup.objects.filter(schema_name=schema)
        .exclude(status=Backup.Status.DELETED)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        Backup.objects.filter(pk__in=backups).update(status=Backup.Status.DELETED)
        deletion, _created = TenantDeletion.objects.update_or_create(
            schema_name=schema,
            defaults={
                "tenant_name": tenant_name,
                "tenant_kode": tenant_kode,
                "status": TenantDeletion.Status.DELETED,
                "requested_by": str(actor) if actor is not None else "system",
                "reason": reason,
                "requested_at": requested_at,
                "delete_after": max(delete_after, requested_at),
                "deleted_at": timezone.now(),
                "deleted": {
                    "tables": tables,
                    "rows": sum(tables.values()),
                    "files": files,
                    "backup_objects": objects,
                    "backups": backups,
                },
            },
        )
    return deletion


def tenant_orphans_purge(*, storage: BackupStorage | None = None) -> list[TenantDeletion]:
    """Files and backups of tenants deleted by another path (no tenant row, no schema left)."""
    storage = storage or backup_storage()
    known = set(Tenant.objects.values_list("schema_name", flat=True))
    orphans = (
        Backup.objects.exclude(status=Backup.Status.DELETED)
        .exclude(schema_name__in=known)
        .values_list("schema_name", flat=True)
        .distinct()
    )
    from tenants.operations.backups import _schema_exists

    purged = []
    for schema in sorted(set(orphans)):
        if _schema_exists(schema):
            continue
        purged.append(
            _purge_leftovers(
                schema=schema,
                tenant_name=schema,
                tenant_kode="",
                requested_at=timezone.now(),
                delete_after=timezone.now(),
                actor=None,
                reason="Tenant sudah dihapus; cadangan dan berkasnya dibersihkan.",
                tables={},
                storage=storage,
            )
        )
    return purged
