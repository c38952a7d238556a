"""A regency's full export: JSON and CSV per table, its files and a manifest, in one zip.

Read in one REPEATABLE READ snapshot, so the tables agree with each other. Secrets never leave:
password hashes, MFA secrets and sessions are left out, and the manifest says so. The zip goes to
the backup storage under `tenants/<schema>/exports/<id>/`; the download link expires.
"""

import csv
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.core.files import tenant_prefix
from tenants.models import Tenant
from tenants.operations.backups import _connect, _storage_files
from tenants.operations.models import Export
from tenants.operations.storage import backup_storage, with_retries

logger = logging.getLogger(__name__)

EXCLUDED_TABLES = {
    "django_session": "sesi login",
    "mfa_authenticator": "rahasia MFA",
    "django_migrations": "catatan teknis migrasi",
}
EXCLUDED_COLUMNS = {"accounts_user": {"password"}}
_SIGNER_SALT = "tenants.operations.export"


def export_request(*, tenant: Tenant, actor: Any) -> Export:
    """Queue a full export of the tenant; one at a time per tenant."""
    if Export.objects.filter(
        schema_name=tenant.schema_name, status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
    ).exists():
        raise ApplicationError(_("Ekspor sebelumnya masih diproses. Tunggu hingga selesai."), status=409)
    from tenants.operations.tasks import tenant_export_task

    with transaction.atomic():
        export = Export.objects.create(
            schema_name=tenant.schema_name,
            requested_by=actor.get_username(),
            created_at=timezone.now(),
        )
        audit_record(actor=actor, action="tenant.export_request", target=tenant, after={"export": export.pk})
        transaction.on_commit(lambda: tenant_export_task.delay(export_id=export.pk))
    return export


def _table_columns(conn: psycopg.Connection, schema: str, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return [name for (name,) in rows if name not in EXCLUDED_COLUMNS.get(table, set())]


def export_run(*, export_id: int) -> Export:
    """Build the export zip, reporting progress per table (idempotent for a finished export)."""
    export = Export.objects.get(pk=export_id)
    if export.status in (Export.Status.READY, Export.Status.EXPIRED):
        return export
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=0, error="")
    schema = export.schema_name
    try:
        with tempfile.TemporaryDirectory(prefix="export-") as folder:
            archive_path = Path(folder) / "export.zip"
            manifest: dict[str, Any] = {
                "format": "eoffice-tenant-export",
                "version": 1,
                "schema": schema,
                "created_at": timezone.now().isoformat(),
                "excluded": {
                    "tables": EXCLUDED_TABLES,
                    "columns": {table: sorted(cols) for table, cols in EXCLUDED_COLUMNS.items()},
                },
                "tables": {},
                "files": {},
            }
            with (
                zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
                _connect() as conn,
            ):
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
                tables = [
                    name
                    for (name,) in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
                    ).fetchall()
                    if name not in EXCLUDED_TABLES
                ]
                for index, table in enumerate(tables, start=1):
                    columns = _table_columns(conn, schema, table)
                    query = sql.SQL("SELECT {} FROM {}.{} ORDER BY 1").format(
                        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                        sql.Identifier(schema),
                        sql.Identifier(table),
                    )
                    cursor = conn.execute(query)
                    rows = cursor.fetchall()
                    records = [dict(zip(columns, row, strict=True)) for row in rows]
                    json_bytes = json.dumps(records, default=str, ensure_ascii=False, indent=1).encode()
                    text = io.StringIO()
                    writer = csv.writer(text)
                    writer.writerow(columns)
                    writer.writerows(rows)
                    csv_bytes = text.getvalue().encode()
                    archive.writestr(f"json/{table}.json", json_bytes)
                    archive.writestr(f"csv/{table}.csv", csv_bytes)
                    manifest["tables"][table] = {
                        "rows": len(rows),
                        "columns": columns,
                        "json_sha256": hashlib.sha256(json_bytes).hexdigest(),
                        "csv_sha256": hashlib.sha256(csv_bytes).hexdigest(),
                    }
                    # The last 10% is for files and the upload.
                    Export.objects.filter(pk=export.pk).update(
                        progress=min(90, round(90 * index / len(tables)))
                    )
                conn.rollback()
                prefix = tenant_prefix(schema)
                from django.core.files.storage import default_storage

                for name in _storage_files(prefix):
                    if name.startswith(prefix + "backups/") or name.startswith(prefix + "exports/"):
                        continue
                    with default_storage.open(name, "rb") as handle:
                        data = handle.read()
                    relative = name[len(prefix) :]
                    archive.writestr(f"files/{relative}", data)
                    manifest["files"][relative] = hashlib.sha256(data).hexdigest()
                archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
            key = f"{tenant_prefix(schema)}exports/{export.pk}/export-{schema}.zip"
            storage = backup_storage()
            with_retries(
                lambda: storage.upload(path=archive_path, key=key),
                attempts=settings.TENANT_BACKUP_RETRIES,
                what="export",
            )
            size = archive_path.stat().st_size
    except Exception as exc:
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            finished_at=timezone.now(),
        )
        logger.error("tenant export failed", extra={"schema": schema, "export": export.pk})
        raise
    now = timezone.now()
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.READY,
        progress=100,
        storage_key=key,
        size_bytes=size,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.TENANT_EXPORT_LINK_HOURS),
    )
    export.refresh_from_db()
    return export


def export_download_token(*, export: Export) -> str:
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{export.schema_name}:{export.pk}")


def export_for_token(*, token: str, schema_name: str) -> Export:
    """The export a download link points to; refuses expired, foreign or tampered links."""
    max_age = timedelta(hours=settings.TENANT_EXPORT_LINK_HOURS)
    try:
        value = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ApplicationError(_("Tautan unduhan sudah kedaluwarsa. Buat ekspor baru."), status=410) from exc
    except signing.BadSignature as exc:
        raise ApplicationError(_("Tautan unduhan tidak valid."), status=404) from exc
    owner, _sep, pk = value.partition(":")
    export = Export.objects.filter(pk=int(pk), schema_name=owner).first() if pk.isdigit() else None
    if export is None or owner != schema_name:
        raise ApplicationError(_("Tautan unduhan tidak valid."), status=404)
    if export.status != Export.Status.READY or (export.expires_at and export.expires_at <= timezone.now()):
        raise ApplicationError(_("Tautan unduhan sudah kedaluwarsa. Buat ekspor baru."), status=410)
    return export
