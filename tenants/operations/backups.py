"""Per-tenant logical backups, restores into a new schema with verification, and the swap.

A backup is three objects under `tenants/<schema>/backups/<stamp>-<id>/`: `schema.dump` (pg_dump
custom format of the tenant's schema only), `files.tar` (the tenant's files from Django storage)
and `manifest.json` (row count and checksum per table, per-file SHA-256, the dump's SHA-256, the
applied migrations). The manifest is computed in the same exported snapshot pg_dump uses, so it
describes exactly the rows in the dump. The manifest is written last: its presence marks a
complete backup.

A restore never writes over the live schema: it downloads everything, refuses a corrupt or foreign
backup before touching the database, restores into a NEW schema in one transaction, and compares
row counts and checksums with the manifest. Only a verified restore can be swapped in, and only
when the operator types the schema's name.
"""

import hashlib
import io
import json
import logging
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.core.files import tenant_prefix
from tenants.models import Tenant
from tenants.operations.models import Backup, Restore
from tenants.operations.pgtools import pg_environment, pg_program, pg_run
from tenants.operations.storage import BackupStorage, BackupStorageError, backup_storage, with_retries

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "eoffice-tenant-backup"
MANIFEST_VERSION = 1
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class BackupRefused(ApplicationError):
    """A backup that must not be restored (corrupt, foreign, incomplete)."""


# -- helpers -------------------------------------------------------------------------------------


def _connect() -> psycopg.Connection:
    config = connection.settings_dict
    host = config.get("HOST") or config.get("OPTIONS", {}).get("host") or None
    return psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=host,
        port=config.get("PORT") or None,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def schema_digest(conn: psycopg.Connection, schema: str) -> dict[str, dict[str, Any]]:
    """Row count and an order-independent checksum of every table of a schema."""
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
    ).fetchall()
    digest: dict[str, dict[str, Any]] = {}
    for (table,) in tables:
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {}.{} t"
        ).format(sql.Identifier(schema), sql.Identifier(table))
        rows, checksum = conn.execute(query).fetchone() or (0, "")
        digest[table] = {"rows": rows, "checksum": checksum}
    return digest


def _scalar(conn: psycopg.Connection, query: str) -> str:
    row = conn.execute(query).fetchone()
    if row is None:
        raise RuntimeError(f"no result for {query}")
    return str(row[0])


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _storage_files(prefix: str) -> Iterator[str]:
    """Every file name under a Django storage prefix (recursively)."""
    try:
        directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _storage_files(f"{prefix}{directory}/")


def _pack_files(schema: str, target: Path) -> dict[str, Any]:
    prefix = tenant_prefix(schema)
    items: dict[str, str] = {}
    total = 0
    with tarfile.open(target, "w") as tar:
        for name in _storage_files(prefix):
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            relative = name[len(prefix) :]
            info = tarfile.TarInfo(relative)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
            items[relative] = hashlib.sha256(data).hexdigest()
            total += len(data)
    return {"count": len(items), "bytes": total, "items": items}


# -- backup --------------------------------------------------------------------------------------


def _alert(message: str, **context: Any) -> None:
    """Log an error and tell Sentry (when configured): a failed backup must be seen by someone."""
    logger.error(message, extra=context)
    try:
        import sentry_sdk

        with sentry_sdk.new_scope() as scope:
            for key, value in context.items():
                scope.set_extra(key, value)
            sentry_sdk.capture_message(message, level="error")
    except Exception:  # noqa: BLE001 - alerting must never hide the original failure
        logger.exception("sentry capture failed")


def backup_create(
    *,
    tenant: Tenant,
    trigger: str = Backup.Trigger.MANUAL,
    requested_by: str = "",
    storage: BackupStorage | None = None,
) -> Backup:
    """Back up one tenant: its schema (pg_dump -n) and files, with a manifest, to the backup storage.

    Storage failures are retried (TENANT_BACKUP_RETRIES) and then raise BackupStorageError after the
    backup is marked failed and an alert is raised; nothing partial is left marked as usable.
    """
    schema = tenant.schema_name
    storage = storage or backup_storage()
    now = timezone.now()
    backup = Backup.objects.create(
        schema_name=schema,
        tenant_kode=tenant.kode or "",
        trigger=trigger,
        status=Backup.Status.RUNNING,
        requested_by=requested_by,
        created_at=now,
    )
    backup.prefix = f"{tenant_prefix(schema)}backups/{now:%Y%m%dT%H%M%SZ}-{backup.pk}/"
    backup.save(update_fields=["prefix"])
    clock = timezone.now()
    try:
        with tempfile.TemporaryDirectory(prefix="backup-") as folder:
            tmp = Path(folder)
            manifest = _dump(schema=schema, tenant=tenant, tmp=tmp)
            manifest_path = tmp / "manifest.json"
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
            attempts = settings.TENANT_BACKUP_RETRIES
            for name in ("schema.dump", "files.tar", "manifest.json"):
                backup.attempts += 1
                with_retries(
                    lambda name=name: storage.upload(path=tmp / name, key=backup.prefix + name),
                    attempts=attempts,
                    what=name,
                )
            backup.manifest_sha256 = _sha256(manifest_path)
            backup.dump_bytes = manifest["dump"]["bytes"]
            backup.files_count = manifest["files"]["count"]
    except Exception as exc:
        backup.status = Backup.Status.FAILED
        backup.error = f"{type(exc).__name__}: {exc}"[:4000]
        backup.finished_at = timezone.now()
        backup.save(update_fields=["status", "error", "finished_at", "attempts"])
        _alert("tenant backup failed", schema=schema, backup=backup.pk, error=backup.error)
        if isinstance(exc, BackupStorageError):
            # Whatever reached the storage is incomplete (no manifest): remove it if we can.
            try:
                storage.delete_prefix(prefix=backup.prefix)
            except BackupStorageError:
                pass
        raise
    backup.status = Backup.Status.SUCCEEDED
    backup.finished_at = timezone.now()
    backup.duration_ms = round((backup.finished_at - clock).total_seconds() * 1000)
    backup.expires_at = backup.finished_at + timedelta(days=settings.TENANT_BACKUP_RETENTION_DAYS)
    backup.save(
        update_fields=[
            "status",
            "finished_at",
            "duration_ms",
            "expires_at",
            "manifest_sha256",
            "dump_bytes",
            "files_count",
            "attempts",
        ]
    )
    return backup


def _dump(*, schema: str, tenant: Tenant, tmp: Path) -> dict[str, Any]:
    dump_path = tmp / "schema.dump"
    with _connect() as snap:
        snap.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snap.read_only = True
        snapshot = _scalar(snap, "SELECT pg_export_snapshot()")
        pg_run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-n",
                schema,
                "-f",
                str(dump_path),
            ]
        )
        tables = schema_digest(snap, schema)
        migrations = sorted(
            f"{app}.{name}"
            for app, name in snap.execute(
                sql.SQL("SELECT app, name FROM {}.django_migrations").format(sql.Identifier(schema))
            ).fetchall()
        )
        server = _scalar(snap, "SHOW server_version")
        snap.rollback()
    files = _pack_files(schema, tmp / "files.tar")
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "platform": settings.ROOT_DOMAIN,
        "schema": schema,
        "tenant": {"kode": tenant.kode or "", "name": tenant.name},
        "created_at": timezone.now().isoformat(),
        "postgres": server,
        "migrations": migrations,
        "tables": tables,
        "dump": {"name": "schema.dump", "bytes": dump_path.stat().st_size, "sha256": _sha256(dump_path)},
        "files": {"name": "files.tar", "sha256": _sha256(tmp / "files.tar"), **files},
    }


def backup_prune(*, now=None, storage: BackupStorage | None = None) -> list[int]:  # noqa: ANN001
    """Delete backups past their retention, always keeping each tenant's newest good one."""
    now = now or timezone.now()
    storage = storage or backup_storage()
    deleted: list[int] = []
    expired = Backup.objects.filter(status=Backup.Status.SUCCEEDED, expires_at__lt=now).order_by("created_at")
    for backup in expired:
        newest = (
            Backup.objects.filter(schema_name=backup.schema_name, status=Backup.Status.SUCCEEDED)
            .order_by("-created_at")
            .first()
        )
        if newest is not None and newest.pk == backup.pk:
            continue
        storage.delete_prefix(prefix=backup.prefix)
        Backup.objects.filter(pk=backup.pk).update(status=Backup.Status.DELETED)
        deleted.append(backup.pk)
    return deleted


# -- restore -------------------------------------------------------------------------------------


def _refuse(restore: Restore, message: str) -> None:
    restore.status = Restore.Status.REFUSED
    restore.error = message
    restore.finished_at = timezone.now()
    restore.save(update_fields=["status", "error", "finished_at"])
    raise BackupRefused(message, code="backup_refused", status=409)


def _verify_downloaded(restore: Restore, backup: Backup, tmp: Path) -> dict[str, Any]:
    """Everything about the downloaded backup that can be checked before touching the database."""
    manifest_path = tmp / "manifest.json"
    if _sha256(manifest_path) != backup.manifest_sha256:
        _refuse(
            restore, _("Manifest cadangan tidak cocok dengan catatan cadangan ini (rusak atau milik lain).")
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (ValueError, UnicodeDecodeError):
        _refuse(restore, _("Manifest cadangan tidak dapat dibaca."))
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("version") != MANIFEST_VERSION:
        _refuse(restore, _("Berkas ini bukan cadangan tenant e-Office."))
    if manifest.get("schema") != backup.schema_name or manifest.get("platform") != settings.ROOT_DOMAIN:
        _refuse(restore, _("Cadangan ini milik tenant atau platform lain."))
    if _sha256(tmp / "schema.dump") != manifest["dump"]["sha256"]:
        _refuse(restore, _("Berkas dump rusak: checksum tidak cocok dengan manifest."))
    if _sha256(tmp / "files.tar") != manifest["files"]["sha256"]:
        _refuse(restore, _("Arsip berkas rusak: checksum tidak cocok dengan manifest."))
    listing = pg_run(["pg_restore", "--list", str(tmp / "schema.dump")]).decode()
    schemas = set(re.findall(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", listing, flags=re.MULTILINE))
    if schemas != {backup.schema_name}:
        _refuse(restore, _("Dump berisi skema lain dari yang tercatat di manifest."))
    return manifest


def _rewrite_schema(line: bytes, source: bytes, target: bytes) -> bytes:
    pattern = rb"(?<![\w\"])" + re.escape(source) + rb"(?=\.)|(?<=SCHEMA )" + re.escape(source) + rb"(?=[ ;])"
    quoted = rb'"' + source + rb'"'
    return re.sub(pattern, target, line).replace(quoted + b".", b'"' + target + b'".')


def _restore_dump_as(dump: Path, source: str, target: str) -> None:
    """Restore a one-schema dump under a different schema name, in one transaction.

    pg_restore cannot rename a schema, so its SQL is streamed through a rewrite of the schema name
    in statements only; COPY data passes through untouched (the manifest check proves it).
    """
    reader = subprocess.Popen(  # noqa: S603
        [pg_program("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=pg_environment(),
    )
    writer = subprocess.Popen(  # noqa: S603
        [pg_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=pg_environment(),
    )
    source_b, target_b = source.encode(), target.encode()
    in_copy = False
    assert reader.stdout is not None and writer.stdin is not None
    try:
        for line in reader.stdout:
            if in_copy:
                if line == b"\\.\n":
                    in_copy = False
                writer.stdin.write(line)
                continue
            if line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
                in_copy = True
            writer.stdin.write(_rewrite_schema(line, source_b, target_b))
        writer.stdin.close()
    except BrokenPipeError:
        # psql stopped on an error (on its stderr); stop pg_restore too, which would otherwise
        # wait forever on a full pipe that nobody reads.
        reader.kill()
    reader_error = reader.stderr.read().decode() if reader.stderr else ""
    writer_error = writer.stderr.read().decode() if writer.stderr else ""
    if reader.wait() != 0 or writer.wait() != 0:
        raise ApplicationError(
            _("Pemulihan dump gagal; tidak ada yang diubah.")
            + f" {reader_error[-1000:]} {writer_error[-1000:]}",
            code="restore_failed",
            status=500,
        )


def backup_restore(
    *,
    backup: Backup,
    target_schema: str = "",
    requested_by: str = "",
    storage: BackupStorage | None = None,
) -> Restore:
    """Restore a backup into a new schema and verify it against its manifest (see module docstring)."""
    storage = storage or backup_storage()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    target = target_schema or f"{backup.schema_name}_restore_{stamp}"[:63]
    if not _SCHEMA_RE.match(target):
        raise ApplicationError(
            _("Nama skema tujuan tidak valid."),
            fields={"target_schema": [_("Huruf kecil, angka dan garis bawah; maksimal 63 karakter.")]},
        )
    if backup.status != Backup.Status.SUCCEEDED:
        raise BackupRefused(
            _("Hanya cadangan yang berhasil dapat dipulihkan."), code="backup_refused", status=409
        )
    if _schema_exists(target):
        raise ApplicationError(
            _("Skema %(name)s sudah ada; pemulihan tidak pernah menimpa skema yang ada.") % {"name": target},
            fields={"target_schema": [_("Pilih nama skema baru.")]},
            status=409,
        )
    restore = Restore.objects.create(
        backup=backup,
        source_schema=backup.schema_name,
        target_schema=target,
        requested_by=requested_by,
        created_at=timezone.now(),
    )
    with tempfile.TemporaryDirectory(prefix="restore-") as folder:
        tmp = Path(folder)
        try:
            for name in ("manifest.json", "schema.dump", "files.tar"):
                with_retries(
                    lambda name=name: storage.download(key=backup.prefix + name, path=tmp / name),
                    attempts=settings.TENANT_BACKUP_RETRIES,
                    what=name,
                )
        except BackupStorageError as exc:
            restore.status = Restore.Status.FAILED
            restore.error = str(exc)
            restore.finished_at = timezone.now()
            restore.save(update_fields=["status", "error", "finished_at"])
            raise
        manifest = _verify_downloaded(restore, backup, tmp)
        try:
            _restore_dump_as(tmp / "schema.dump", backup.schema_name, target)
        except ApplicationError as exc:
            restore.status = Restore.Status.FAILED
            restore.error = exc.message[:4000]
            restore.finished_at = timezone.now()
            restore.save(update_fields=["status", "error", "finished_at"])
            raise
        with _connect() as conn:
            actual = schema_digest(conn, target)
        mismatched = sorted(
            table
            for table in set(actual) | set(manifest["tables"])
            if actual.get(table) != manifest["tables"].get(table)
        )
        files_ok = _unpack_files(tmp / "files.tar", target, manifest["files"]["items"])
        restore.verification = {
            "tables": len(actual),
            "rows": sum(item["rows"] for item in actual.values()),
            "mismatched": mismatched,
            "files": manifest["files"]["count"],
            "files_ok": files_ok,
        }
        restore.status = Restore.Status.VERIFIED if not mismatched and files_ok else Restore.Status.MISMATCH
        restore.finished_at = timezone.now()
        restore.save(update_fields=["verification", "status", "finished_at"])
    if restore.status == Restore.Status.MISMATCH:
        restore_discard(restore=restore)
        _alert("tenant restore verification failed", schema=backup.schema_name, restore=restore.pk)
    return restore


def _unpack_files(archive: Path, target: str, expected: dict[str, str]) -> bool:
    """Put the backup's files under the target schema's prefix; check each file's SHA-256."""
    prefix = tenant_prefix(target)
    seen: dict[str, str] = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith(("/", "..")) or "/../" in member.name:
                return False
            handle = tar.extractfile(member)
            data = handle.read() if handle else b""
            seen[member.name] = hashlib.sha256(data).hexdigest()
            default_storage.save(prefix + member.name, ContentFile(data))
    return seen == expected


def _storage_delete_prefix(prefix: str) -> int:
    count = 0
    for name in list(_storage_files(prefix)):
        default_storage.delete(name)
        count += 1
    return count


def restore_discard(*, restore: Restore) -> None:
    """Drop a restored (not swapped) schema and its files."""
    if restore.status == Restore.Status.SWAPPED:
        raise ApplicationError(_("Pemulihan yang sudah ditukar tidak dapat dibuang."), status=409)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(restore.target_schema)} CASCADE")
    _storage_delete_prefix(tenant_prefix(restore.target_schema))


def restore_swap(*, restore: Restore, confirm: str, actor: Any = None) -> Restore:
    """Make a verified restore the tenant's live schema; the old one is kept as <schema>_pre_<stamp>.

    The operator confirms by typing the tenant's schema name.
    """
    from tenants.operations.selectors import schema_heads

    source, target = restore.source_schema, restore.target_schema
    if confirm != source:
        raise ApplicationError(
            _("Ketik nama skema %(name)s untuk mengonfirmasi penukaran.") % {"name": source},
            fields={"confirm": [_("Konfirmasi tidak cocok.")]},
        )
    if restore.status != Restore.Status.VERIFIED:
        raise ApplicationError(_("Hanya pemulihan yang terverifikasi dapat ditukar."), status=409)
    heads = schema_heads(schemas=[target])
    if not heads.all_at_head:
        raise ApplicationError(
            _("Skema pulihan belum pada migrasi terbaru; jalankan tenant_rollout --schemas %(name)s dahulu.")
            % {"name": target},
            status=409,
        )
    kept = f"{source}_pre_{timezone.now():%Y%m%d%H%M%S}"[:63]
    quote = connection.ops.quote_name
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(schema_name=source)
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SCHEMA {quote(source)} RENAME TO {quote(kept)}")
            cursor.execute(f"ALTER SCHEMA {quote(target)} RENAME TO {quote(source)}")
        restore.status = Restore.Status.SWAPPED
        restore.verification = {**restore.verification, "previous_schema": kept}
        restore.save(update_fields=["status", "verification"])
        audit_record(
            actor=actor,
            action="tenant.restore_swap",
            target=tenant,
            before={"schema": source},
            after={"restored_from": restore.backup_id, "previous_schema": kept},
            reason=f"restore #{restore.pk}",
        )
        transaction.on_commit(lambda: _swap_files(source=source, target=target, kept=kept))
    return restore


def _swap_files(*, source: str, target: str, kept: str) -> None:
    for prefix_from, prefix_to in ((source, kept), (target, source)):
        old, new = tenant_prefix(prefix_from), tenant_prefix(prefix_to)
        for name in list(_storage_files(old)):
            if name.startswith(old + "backups/"):
                continue
            with default_storage.open(name, "rb") as handle:
                default_storage.save(new + name[len(old) :], ContentFile(handle.read()))
            default_storage.delete(name)
