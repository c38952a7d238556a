"""Provisioning benchmark: template copy (spare rename, dump restore) against django-tenants' migrations.

Usage (from the repository root):
    .venv/bin/python bench/provisioning/run.py [--rounds 20] [--bulk 200] [--keep-db]

Creates the database `eoffice_bench_provisioning` on the embedded PostgreSQL (or on the server of
DATABASE_URL), migrates the public schema and the tenant template, then in each round provisions the
same kabupaten/kota three ways, in rotating order so load from elsewhere hits all alike:

- spare:      the production path with a spare schema ready in the pool (ALTER SCHEMA … RENAME);
- restore:    the production path with the pool empty (the template's pg_dump replayed);
- migrations: django-tenants' default, CREATE SCHEMA and every tenant migration.

Each measurement runs from the call to `tenant_provision` until the new host answers a signed-in
request of the regency's administrator (administrator account, kecamatan/kelurahan units and the
first configuration included); the tenant is dropped after each measurement (not timed) so every
path provisions the same regency. Then `--bulk` regencies are provisioned one after another on the
restore path (pool empty: the conservative case) and the total time and database size are reported.
The database is dropped at the end unless --keep-db.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "eoffice_bench_provisioning"


def server_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    # Load the helper by path: importing the `eoffice` package would load the settings (through
    # its Celery app) before DATABASE_URL points at the benchmark's own database.
    spec = importlib.util.spec_from_file_location(
        "embedded_db", ROOT / "platform" / "eoffice" / "embedded_db.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.embedded_database_url(ROOT / "var" / "postgres")


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def recreate_database(url: str) -> str:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return with_database(url, DATABASE_NAME)


def drop_database(url: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--bulk", type=int, default=200)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    base_url = server_url()
    os.environ["DATABASE_URL"] = recreate_database(base_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "eoffice.settings.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from eoffice.accounts.models import User
    from tenants import provisioning, services
    from tenants.models import Tenant, Wilayah

    settings.ALLOWED_HOSTS = ["*"]
    if settings.DATABASES["default"]["NAME"] != DATABASE_NAME:
        raise SystemExit(
            f"Refusing to run against {settings.DATABASES['default']['NAME']}, not {DATABASE_NAME}."
        )
    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    services.platform_tenant_ensure(domain=settings.ROOT_DOMAIN)
    public_seconds = time.perf_counter() - started
    started = time.perf_counter()
    provisioning.template_ensure()
    template_seconds = time.perf_counter() - started

    regencies = list(
        Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN_KOTA)
        .order_by("kode")
        .values_list("kode", "nama")
    )
    provinces = dict(Wilayah.objects.filter(level=Wilayah.Level.PROVINSI).values_list("kode", "nama"))
    zones = dict(Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN_KOTA).values_list("kode", "timezone"))

    original_create = provisioning.schema_create_from_template

    def create_by_migrations(*, schema_name: str) -> str:
        # django-tenants' default for a new tenant: an empty schema and every migration.
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        provisioning.schema_migrate(schema_name)
        return "migrations"

    def provision(kode: str, nama: str, method: str) -> float:
        subdomain = "b" + kode.replace(".", "")
        if method == "spare":
            provisioning.spare_pool_fill(size=1)  # the worker refills the pool between requests
        else:
            for spare in provisioning.spare_schema_names():
                provisioning.schema_drop(schema_name=spare)
        services.provisioning.schema_create_from_template = (
            create_by_migrations if method == "migrations" else original_create
        )
        begin = time.perf_counter()
        tenant = services.tenant_provision(
            kode=kode,
            name=nama,
            jenis=Tenant.Jenis.KOTA if int(kode[-2:]) >= 71 else Tenant.Jenis.KABUPATEN,
            provinsi=provinces[kode[:2]],
            timezone=zones[kode],
            subdomain=subdomain,
            admin=services.AdminAccount(
                username=f"admin.{subdomain}", email=f"admin@{subdomain}.go.id", nama=f"Admin {nama}"
            ),
        )
        client = Client(HTTP_HOST=services.tenant_host(subdomain=subdomain))
        with schema_context(tenant.schema_name):
            client.force_login(User.objects.get(username=f"admin.{subdomain}"))
        response = client.get("/")
        elapsed = time.perf_counter() - begin
        connection.set_schema_to_public()
        if response.status_code >= 400 or not response.wsgi_request.user.is_authenticated:
            raise RuntimeError(
                f"{method}: administrator of {nama} cannot use the new host ({response.status_code})"
            )
        services.provisioning.schema_create_from_template = original_create
        return elapsed

    methods = ["spare", "restore", "migrations"]
    timings: dict[str, list[float]] = {method: [] for method in methods}
    for round_number in range(args.rounds):
        kode, nama = regencies[round_number]
        order = methods[round_number % 3 :] + methods[: round_number % 3]
        for method in order:
            timings[method].append(provision(kode, nama, method))
            services.tenant_discard(tenant=Tenant.objects.get(kode=kode))
    for spare in provisioning.spare_schema_names():
        provisioning.schema_drop(schema_name=spare)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size_before = cursor.fetchone()[0]
    bulk_started = time.perf_counter()
    bulk_timings = []
    for kode, nama in regencies[: args.bulk]:
        bulk_timings.append(provision(kode, nama, "restore"))
    bulk_seconds = time.perf_counter() - bulk_started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size_after = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'b%%'")
        schemas = cursor.fetchone()[0]

    median_migrations = statistics.median(timings["migrations"])
    print(
        f"\nPublic schema migrated in {public_seconds:.1f} s; template migrated in {template_seconds:.1f} s.\n"
    )
    print("| path | n | p50 (s) | p95 (s) | min (s) | max (s) | p50 speed-up vs migrations |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for method in methods:
        values = timings[method]
        print(
            f"| {method} | {len(values)} | {statistics.median(values):.3f} | {percentile(values, 0.95):.3f} | "
            f"{min(values):.3f} | {max(values):.3f} | {median_migrations / statistics.median(values):.1f}x |"
        )
    print(
        f"\nBulk: {len(bulk_timings)} regencies on the restore path in {bulk_seconds:.1f} s "
        f"(p50 {statistics.median(bulk_timings):.3f} s, p95 {percentile(bulk_timings, 0.95):.3f} s); "
        f"{schemas} tenant schemas; database {size_before / 2**20:.0f} MiB before, {size_after / 2**20:.0f} MiB "
        f"after ({(size_after - size_before) / len(bulk_timings) / 2**20:.2f} MiB per regency)."
    )
    connection.close()
    if not args.keep_db:
        drop_database(base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
