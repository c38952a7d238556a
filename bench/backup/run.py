"""Backup benchmark: pg_dump -n per tenant, the whole backup (manifest, files, upload), and restore.

Against a dedicated database with N tenants cloned from one migrated schema, each with a few
thousand rows. Usage: .venv/bin/python bench/backup/run.py [--tenants 50] [--rows 5000]
Storage: a local folder (S3 timings depend on the network, not on this code). Not run by `make test`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--rows", type=int, default=5000, help="audit rows per tenant")
    parser.add_argument("--database", default="bench_backup")
    args = parser.parse_args()

    # Loaded from its file: importing the `eoffice` package would load the Celery app and with it
    # the settings, before DATABASE_URL points at the benchmark's database.
    import importlib.util

    import psycopg

    spec = importlib.util.spec_from_file_location(
        "embedded_db", ROOT / "platform" / "eoffice" / "embedded_db.py"
    )
    embedded_db = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(embedded_db)
    embedded_database_url, pg_bin = embedded_db.embedded_database_url, embedded_db.pg_bin

    server_url = embedded_database_url(ROOT / "var" / "postgres")
    admin_url = server_url.replace("/eoffice?", "/postgres?")
    bench_url = server_url.replace("/eoffice?", f"/{args.database}?")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
        locks = conn.execute("SHOW max_locks_per_transaction").fetchone()[0]
    os.environ.update(
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE="eoffice.settings.test",
        TENANT_BACKUP_LOCAL_DIR=tempfile.mkdtemp(prefix="bench-backups-"),
        MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-media-"),
        LOG_LEVEL="ERROR",
    )
    import django

    import eoffice  # noqa: F401  (loads the Celery app before the settings, as manage.py does)

    django.setup()
    from django.db import connection

    from tenants.models import Tenant
    from tenants.operations.backups import backup_create, backup_restore, restore_discard
    from tenants.operations.pgtools import pg_run

    if connection.settings_dict["NAME"] != args.database:
        raise SystemExit(f"refusing to run against {connection.settings_dict['NAME']}, not {args.database}")

    def manage(*command: str) -> None:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    manage("migrate_schemas", "--shared", "-v", "0")
    names = [f"bb_{i:03d}" for i in range(args.tenants)]
    tenants = Tenant.objects.bulk_create(
        Tenant(
            schema_name=n,
            kode=f"{10 + i // 100:02d}.{i % 100:02d}",
            name=f"Kab Bench {i}",
            jenis="kabupaten",
            provinsi="Bench",
        )
        for i, n in enumerate(names)
    )
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{names[0]}"')
    manage("migrate_schemas", "-s", names[0], "-v", "0")
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{names[0]}".audit_auditevent (actor, action, target_type, target_id, target, before, '
            "after, reason, request_id, created_at) SELECT 'bench', 'bench.row', 'x', g::text, 'target ' || g, "
            "'{\"a\": 1}', '{\"b\": 2}', 'alasan', '', now() FROM generate_series(1, %s) g",
            [args.rows],
        )
    dump = Path(tempfile.mkdtemp()) / "one.dump"
    pg_run(["pg_dump", "-Fc", "-n", names[0], "-f", str(dump)])
    for name in names[1:]:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{names[0]}" RENAME TO "{name}"')
        pg_run(["pg_restore", "--no-owner", "-d", args.database, str(dump)])

    dump_times, backup_times = [], []
    for tenant in tenants:
        start = time.perf_counter()
        pg_run(["pg_dump", "-Fc", "-n", tenant.schema_name, "-f", str(dump)])
        dump_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        backup = backup_create(tenant=tenant)
        backup_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    restore = backup_restore(backup=backup)
    restore_seconds = time.perf_counter() - start
    restore_discard(restore=restore)
    start = time.perf_counter()
    whole = subprocess.run(
        [pg_bin("pg_dump"), "-Fc", "-f", str(dump), args.database],
        env={**os.environ, "PGHOST": bench_url.split("host=")[1], "PGUSER": "postgres"},
        capture_output=True,
        check=False,
    )
    whole_seconds = time.perf_counter() - start

    def describe(values: list[float]) -> str:
        ordered = sorted(values)
        return (
            f"median {statistics.median(ordered):.3f} s, p90 {ordered[int(0.9 * (len(ordered) - 1))]:.3f} s, "
            f"total {sum(ordered):.1f} s"
        )

    print(f"{args.tenants} tenants, {args.rows} audit rows each, dump {backup.dump_bytes} B per tenant")
    print(f"  pg_dump -Fc -n <schema> alone:            {describe(dump_times)}")
    print(f"  backup_create (snapshot, manifest, files): {describe(backup_times)}")
    print(f"  restore into a new schema + verification:  {restore_seconds:.2f} s ({restore.status})")
    print(
        f"  whole-database pg_dump ({args.tenants + 1} schemas): {whole_seconds:.1f} s, exit {whole.returncode} "
        f"(max_locks_per_transaction = {locks})"
    )
    connection.close()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
