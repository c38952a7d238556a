"""Tenant schemas from a template kept at the migration head, never by running every migration.

How a new schema is made, fastest first:
1. Rename a spare: a pool of schemas already restored from the template waits under
   `tenant_spare_<n>`; taking one is `ALTER SCHEMA … RENAME`, a catalogue update of a few
   milliseconds, inside the caller's transaction.
2. Restore the template: `pg_dump` of `tenant_template` (taken once per migration state and kept in
   memory) replayed under the new name, also inside the caller's transaction.

Either way the new schema is a copy of a schema that really ran every migration, so nothing is
ever fake-migrated. The template and every spare must follow the code's migration graph: before
each use the template's `django_migrations` is compared with the graph and the template is
migrated when it lags; spares that lag are dropped rather than trusted. The upgrade rollout
migrates `managed_schema_names()` along with the tenants.
"""

import hashlib
import os
import re
import subprocess
import threading
import uuid

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists

from eoffice.core.health import expected_migrations

TEMPLATE_SCHEMA = "tenant_template"
SPARE_PREFIX = "tenant_spare_"
# Taken with pg_advisory_lock while the template is migrated or dumped, so two workers never
# migrate it at once.
_TEMPLATE_LOCK_KEY = 0x7E4A_0001

_dump_cache: dict[str, str] = {}
_dump_lock = threading.Lock()
_SCHEMA_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def managed_schema_names() -> list[str]:
    """The template and every spare schema: not tenants, but every upgrade must migrate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = %s OR nspname LIKE %s ORDER BY nspname",
            [TEMPLATE_SCHEMA, SPARE_PREFIX.replace("_", r"\_") + "%"],
        )
        return [row[0] for row in cursor.fetchall()]


def spare_schema_names() -> list[str]:
    return [name for name in managed_schema_names() if name.startswith(SPARE_PREFIX)]


def applied_migrations(schema_name: str) -> frozenset[tuple[str, str]]:
    _check_name(schema_name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema_name}".django_migrations'])
        if cursor.fetchone()[0] is None:
            return frozenset()
        cursor.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')
        return frozenset((app, name) for app, name in cursor.fetchall())


def missing_migrations(schema_name: str) -> set[tuple[str, str]]:
    """Migrations of the code that `schema_name` has not applied (empty: at the head)."""
    return set(expected_migrations() - applied_migrations(schema_name))


def template_ensure() -> str:
    """Create the template if missing and migrate it when it lags the code; return its state key."""
    if not schema_exists(TEMPLATE_SCHEMA) or missing_migrations(TEMPLATE_SCHEMA):
        with _template_lock():
            if not schema_exists(TEMPLATE_SCHEMA):
                with connection.cursor() as cursor:
                    cursor.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
            if missing_migrations(TEMPLATE_SCHEMA):
                schema_migrate(TEMPLATE_SCHEMA)
    return _state_key(applied_migrations(TEMPLATE_SCHEMA))


def schema_migrate(schema_name: str) -> None:
    """Run the tenant migrations on one schema (template, spare or tenant)."""
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()  # type: ignore[attr-defined]


def schema_create_from_template(*, schema_name: str) -> str:
    """Make `schema_name` a copy of the template at the head, in the caller's transaction.

    Returns how: "spare" (a pooled schema renamed) or "restore" (the template dump replayed).
    Call `template_ensure()` first, outside any long transaction.
    """
    _check_name(schema_name)
    if schema_exists(schema_name):
        raise ValueError(f"Schema {schema_name} already exists.")
    head = expected_migrations()
    with connection.cursor() as cursor:
        for spare in spare_schema_names():
            # Another transaction may be taking the same spare: skip any we cannot lock at once.
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [spare])
            if not cursor.fetchone()[0] or not schema_exists(spare):
                continue
            if applied_migrations(spare) != applied_migrations(
                TEMPLATE_SCHEMA
            ) or not head <= applied_migrations(spare):
                continue
            cursor.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{schema_name}"')
            return "spare"
        sql = _template_sql(schema_name)
        if sql is not None:
            _execute_script(sql)
            return "restore"
    # The template changed inside the caller's still-open transaction, which pg_dump (another
    # session) cannot see: copy it in this transaction with django-tenants' clone instead.
    CloneSchema().clone_schema(TEMPLATE_SCHEMA, schema_name, set_connection=False)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    return "clone"


def schema_drop(*, schema_name: str) -> None:
    _check_name(schema_name)
    if schema_name in ("public", TEMPLATE_SCHEMA):
        raise ValueError(f"Refusing to drop {schema_name}.")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def spare_pool_fill(*, size: int | None = None) -> int:
    """Top the spare pool up to `size` (TENANT_SPARE_POOL_SIZE); drop spares that lag. Returns how
    many were created. Idempotent; safe to run from several workers."""
    target = getattr(settings, "TENANT_SPARE_POOL_SIZE", 2) if size is None else size
    template_ensure()
    template_state = applied_migrations(TEMPLATE_SCHEMA)
    spares = spare_schema_names()
    for spare in spares:
        if applied_migrations(spare) != template_state:
            with transaction.atomic():
                schema_drop(schema_name=spare)
    created = 0
    while len(spare_schema_names()) < target:
        name = f"{SPARE_PREFIX}{uuid.uuid4().hex[:12]}"
        with transaction.atomic():
            sql = _template_sql(name)
            if sql is None:
                break
            _execute_script(sql)
        created += 1
    return created


def _template_sql(schema_name: str) -> str | None:
    """The template's DDL and rows (django_migrations, content types, permissions) for `schema_name`,
    or None when the committed template (what pg_dump sees) is not the one this transaction sees."""
    applied = applied_migrations(TEMPLATE_SCHEMA)
    key = _state_key(applied)
    with _dump_lock:
        dump = _dump_cache.get(key)
        if dump is None:
            dump = _pg_dump_template()
            if dump is None or _dumped_migrations(dump) != applied:
                return None
            _dump_cache[key] = dump
    return _rename_in_dump(dump, schema_name)


_DUMPED_MIGRATION_RE = re.compile(
    rf"^INSERT INTO {TEMPLATE_SCHEMA}\.django_migrations VALUES \(\d+, '([^']*)', '([^']*)'", re.MULTILINE
)


def _dumped_migrations(dump: str) -> frozenset[tuple[str, str]]:
    return frozenset(_DUMPED_MIGRATION_RE.findall(dump))


def _execute_script(sql: str) -> None:
    """Run the dump in the connection's current transaction. A plain psycopg cursor sends a
    parameterless script as one simple query; Django's client-side-binding cursor would scan the
    100 kB text for placeholders first (a third of the restore time)."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql)


def _rename_in_dump(dump: str, schema_name: str) -> str:
    return re.sub(rf"\b{TEMPLATE_SCHEMA}\b", schema_name, dump)


def _pg_dump_template() -> str | None:
    # Where the live connection actually went (socket directory or host, port, user).
    connection.ensure_connection()
    info = connection.connection.info
    command = [
        _pg_dump_binary(),
        "--schema",
        TEMPLATE_SCHEMA,
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        "--inserts",
        # The caller's own open transaction may hold locks on the template (it migrated it and
        # has not committed): fail fast instead of waiting on ourselves.
        "--lock-wait-timeout=2000",
        "--dbname",
        info.dbname,
        "--host",
        info.host,
        "--port",
        str(info.port),
        "--username",
        info.user,
    ]
    env = {**os.environ, "PGPASSWORD": info.password or ""}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0 and (
        "could not obtain lock" in result.stderr or "statement timeout" in result.stderr
    ):
        return None
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump of the tenant template failed: {result.stderr.strip()}")
    output = result.stdout
    # Keep only statements: psql meta-commands (\restrict) and session settings (search_path,
    # timeouts) must not leak into the connection that replays the dump; every object in the
    # dump is schema-qualified, so the session needs none of them.
    kept = [
        line
        for line in output.splitlines()
        if not line.startswith(("\\", "SET ", "SELECT pg_catalog.set_config(")) and not line.startswith("--")
    ]
    return "\n".join(kept)


def _pg_dump_binary() -> str:
    configured = getattr(settings, "PG_DUMP_BINARY", "")
    if configured:
        return configured
    from eoffice.embedded_db import pg_bin

    return pg_bin("pg_dump")


class _template_lock:
    """Session advisory lock serialising template migrations across processes."""

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK_KEY])

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_TEMPLATE_LOCK_KEY])


def _state_key(applied: frozenset[tuple[str, str]]) -> str:
    return hashlib.sha256(repr(sorted(applied)).encode()).hexdigest()


def _check_name(schema_name: str) -> None:
    if not _SCHEMA_NAME_RE.match(schema_name):
        raise ValueError(f"Invalid schema name {schema_name!r}.")
