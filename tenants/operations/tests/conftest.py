"""Committed scratch schemas for operations tests.

Rollouts, backups and restores work across connections and threads, so they need committed data;
these fixtures create uniquely named schemas (and tenants) and remove them afterwards, leaving
the session's demo tenants alone.
"""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants.models import Domain, Tenant
from tenants.operations.models import Backup, Restore, Rollout, SchemaState, TenantDeletion
from tenants.operations.pgtools import pg_run

# The app unapplied to make a schema "behind": a tenant app whose migrations create tables.
BEHIND_APP = "presensi"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def schema_create_fresh(name: str) -> None:
    """A schema migrated the standard way (django-tenants' migrate_schemas)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(name)}")
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def schema_unapply(name: str, app: str) -> None:
    connection.set_schema(name)
    executor = MigrationExecutor(connection)
    executor.migrate([(app, None)])
    connection.set_schema_to_public()


def schema_drop(name: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")


def require_test_database() -> None:
    # pytest-django creates the test database only when a collected test asks for `db`; each of
    # these modules has such a test, but a lone test picked by node id would reach the real one.
    if not connection.settings_dict["NAME"].startswith("test"):
        pytest.fail("needs the test database: run the whole module (one of its tests uses `db`)")


@pytest.fixture(scope="session")
def behind_dump(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A custom-format dump of one schema at the head with BEHIND_APP's migrations unapplied."""
    require_test_database()
    base = f"opsbase_{secrets.token_hex(3)}"
    dump = tmp_path_factory.mktemp("behind") / "behind.dump"
    with django_db_blocker.unblock():
        schema_create_fresh(base)
        try:
            schema_unapply(base, BEHIND_APP)
            pg_run(["pg_dump", "-Fc", "-n", base, "-f", str(dump)])
        finally:
            schema_drop(base)
    dump.with_name("base").write_text(base)
    return dump


@dataclass
class Scratch:
    dump: Path
    schemas: list[str] = field(default_factory=list)
    tenants: list[int] = field(default_factory=list)

    def name(self, prefix: str = "ops") -> str:
        name = f"{prefix}_{secrets.token_hex(4)}"
        self.schemas.append(name)
        return name

    def behind(self, count: int) -> list[str]:
        """`count` schemas at the head minus BEHIND_APP, restored from the dump and renamed."""
        base = self.dump.with_name("base").read_text()
        names = []
        for _index in range(count):
            name = self.name()
            pg_run(["pg_restore", "--no-owner", "-d", connection.settings_dict["NAME"], str(self.dump)])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER SCHEMA {_quote(base)} RENAME TO {_quote(name)}")
            names.append(name)
        return names

    def behind_migrated(self) -> str:
        """A behind schema made by migrations only (a restored dump re-words some CHECKs)."""
        name = self.fresh()
        schema_unapply(name, BEHIND_APP)
        return name

    def fresh(self) -> str:
        name = self.name()
        schema_create_fresh(name)
        return name

    def tenant_for(self, schema: str, *, status: str = Tenant.Status.ACTIVE) -> Tenant:
        """A tenant row over an existing scratch schema (its schema is not created again)."""
        kode = f"9{secrets.randbelow(10)}.{secrets.randbelow(100):02d}"
        while Tenant.objects.filter(kode=kode).exists():
            kode = f"9{secrets.randbelow(10)}.{secrets.randbelow(100):02d}"
        tenant = Tenant(
            schema_name=schema,
            kode=kode,
            name=f"Kabupaten Uji {schema}",
            jenis=Tenant.Jenis.KABUPATEN,
            provinsi="Uji",
            status=status,
        )
        tenant.auto_create_schema = False
        tenant.save()
        Domain.objects.create(domain=f"{schema.replace('_', '-')}.localhost", tenant=tenant, is_primary=True)
        self.tenants.append(tenant.pk)
        return tenant


@pytest.fixture
def scratch(behind_dump, django_db_blocker) -> Iterator[Scratch]:
    with django_db_blocker.unblock():
        rollouts_before = set(Rollout.objects.values_list("pk", flat=True))
        states_before = set(SchemaState.objects.values_list("pk", flat=True))
        box = Scratch(dump=behind_dump)
        try:
            yield box
        finally:
            connection.set_schema_to_public()
            from eoffice.audit.models import AuditEvent

            AuditEvent.objects.filter(
                target_type="tenants.tenant", target_id__in=[str(pk) for pk in box.tenants]
            ).delete()
            Domain.objects.filter(tenant_id__in=box.tenants).delete()
            Tenant.objects.filter(pk__in=box.tenants).delete()
            Rollout.objects.exclude(pk__in=rollouts_before).delete()
            Restore.objects.filter(source_schema__in=box.schemas).delete()
            Backup.objects.filter(schema_name__in=box.schemas).delete()
            TenantDeletion.objects.filter(schema_name__in=box.schemas).delete()
            SchemaState.objects.exclude(pk__in=states_before).delete()
            for name in box.schemas:
                schema_drop(name)
