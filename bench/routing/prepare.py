"""Builds the benchmark database: shared schema, the platform tenant and two regencies with data.

Run by run.py with the benchmark settings; safe to run again on an existing database.
"""

import django
from django.core.management import call_command

# The eoffice package loads the settings while it imports (Celery reads them), so it must come
# first: imported from inside a settings module outside it, it would see a half-built one.
import eoffice  # noqa: E402, F401

django.setup()

from django.db import connection  # noqa: E402
from django_tenants.utils import schema_context, schema_exists  # noqa: E402

from modules.kepegawaian.models import Unit  # noqa: E402
from tenants.models import Domain, Tenant  # noqa: E402
from tenants.services import platform_tenant_ensure  # noqa: E402

ROOT_DOMAIN = "bench.localhost"
TENANTS = [
    # schema, host, name, Kemendagri-style code outside the real range
    ("bench_a", f"a.{ROOT_DOMAIN}", "Kabupaten Bench A", "99.01"),
    ("bench_b", f"b.{ROOT_DOMAIN}", "Kota Bench B", "99.71"),
]
UNITS_PER_TENANT = 20


def main() -> None:
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    platform_tenant_ensure(domain=ROOT_DOMAIN)
    for schema, host, name, kode in TENANTS:
        tenant = Tenant.objects.filter(schema_name=schema).first()
        if tenant is None:
            tenant = Tenant(schema_name=schema, name=name, kode=kode, jenis=Tenant.Jenis.KABUPATEN)
            tenant.save(verbosity=0)
        if not schema_exists(schema):
            # Straight from the migrations: the benchmark needs the tables, not fast provisioning.
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{schema}"')
        # Also brings a database kept from an earlier run (--keep-db) up to the code.
        call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        Domain.objects.get_or_create(domain=host, defaults={"tenant": tenant, "is_primary": True})
        with schema_context(schema):
            missing = UNITS_PER_TENANT - Unit.objects.count()
            for number in range(max(missing, 0)):
                Unit.objects.create(nama=f"Dinas {number + 1} {name}", jenis=Unit.Jenis.DINAS, urutan=number)


if __name__ == "__main__":
    main()
