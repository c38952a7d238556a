"""Rollout benchmark: 200 tenants, in one run, against a dedicated database.

(a) no-op: `migrate_schemas` (standard executor) vs `tenant_rollout`;
(b) one AddField migration in a tenant app: `migrate_schemas` standard and multiprocessing
    executors vs `tenant_rollout`, with the resulting schemas compared to a freshly migrated one.

Usage: .venv/bin/python bench/rollout/run.py [--tenants 200] [--workers 4] [--processes 2]
Each measured command is a fresh `manage.py` process, as in a deployment. Not run by `make test`.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

ADD_FIELD = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "0001_initial")]

    operations = [
        migrations.AddField("benchrecord", "catatan", models.CharField(max_length=200, null=True, blank=True)),
    ]
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--database", default="bench_rollout")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
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

    migrations_dir = Path(tempfile.mkdtemp(prefix="bench-migrations-"))
    package = migrations_dir / "benchapp_migrations"
    shutil.copytree(HERE / "benchapp" / "migrations", package, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "BENCH_MIGRATIONS_DIR": str(migrations_dir),
        "BENCH_PROCESSES": str(args.processes),
        "PYTHONPATH": os.pathsep.join([str(HERE), str(migrations_dir), str(ROOT / "platform"), str(ROOT)]),
    }

    timing_file = migrations_dir / "timing"

    def manage(*command: str, quiet: bool = True) -> tuple[float, float]:
        """(wall clock of the process, time of the command itself after start-up)."""
        timing_file.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(HERE / "manage_bench.py"), *command],
            cwd=ROOT,
            env={**env, "BENCH_TIMING_FILE": str(timing_file)},
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )
        wall = time.perf_counter() - start
        return wall, float(timing_file.read_text())

    def sql(statement: str) -> list[tuple]:
        with psycopg.connect(bench_url, autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def pg(*command: str) -> str:
        host = bench_url.split("host=")[1]
        result = subprocess.run(
            [pg_bin(command[0]), *command[1:]],
            env={**os.environ, "PGHOST": host, "PGUSER": "postgres", "PGDATABASE": args.database},
            check=True,
            capture_output=True,
        )
        return result.stdout.decode()

    def ddl(schema: str) -> str:
        text = pg("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-n", schema)
        lines = [
            line for line in text.splitlines() if not line.startswith(("--", "\\restrict", "\\unrestrict"))
        ]
        return (
            "\n".join(lines).replace(f"{schema}.", "SCHEMA.").replace(f"SCHEMA {schema};", "SCHEMA SCHEMA;")
        )

    names = [f"bench_{index:03d}" for index in range(args.tenants)]
    print(f"setting up {args.tenants} tenants in database {args.database} …", flush=True)
    setup = time.perf_counter()
    manage("migrate_schemas", "--shared", "-v", "0")
    # bulk_create: the rows only, schemas are made below (Tenant.save() would migrate each one).
    create_tenants = (
        "from tenants.models import Tenant; import sys; names = sys.argv[-1].split(',') if False else %r; "
        "Tenant.objects.bulk_create([Tenant(schema_name=n, kode=f'{10 + i // 100:02d}.{i %% 100:02d}', "
        "name=f'Kabupaten Bench {i}', jenis='kabupaten', provinsi='Bench') for i, n in enumerate(names)])"
    )
    manage("shell", "-c", create_tenants % names)
    sql(f'CREATE SCHEMA "{names[0]}"')
    manage("migrate_schemas", "-s", names[0], "-v", "0")
    dump = migrations_dir / "template.dump"
    pg("pg_dump", "-Fc", "-n", names[0], "-f", str(dump))
    # Clones by dump and restore (the native schema ends up as names[1]); the last one is migrated
    # natively too, so that two schemas made only by migrations are compared with a fresh one.
    for name in names[1:-1]:
        sql(f'ALTER SCHEMA "{names[0]}" RENAME TO "{name}"')
        pg("pg_restore", "--no-owner", "-d", args.database, str(dump))
    sql(f'CREATE SCHEMA "{names[-1]}"')
    manage("migrate_schemas", "-s", names[-1], "-v", "0")
    print(f"  setup {time.perf_counter() - setup:.1f} s", flush=True)

    results: dict[str, tuple[float, float]] = {}
    # (a) no-op
    results["noop_migrate_schemas_standard"] = manage("migrate_schemas", "-v", "0")
    results["noop_tenant_rollout"] = manage("tenant_rollout", "--workers", str(args.workers), "-v", "0")
    print(f"  no-op done: {results}", flush=True)

    # (b) one AddField in a tenant app
    (package / "0002_benchrecord_catatan.py").write_text(ADD_FIELD)

    def reset() -> None:
        statements = [
            f'ALTER TABLE "{name}".benchapp_benchrecord DROP COLUMN IF EXISTS catatan; '
            f"DELETE FROM \"{name}\".django_migrations WHERE app = 'benchapp' AND name = '0002_benchrecord_catatan';"
            for name in names
        ]
        sql(
            "".join(statements) + "DELETE FROM public.django_migrations WHERE app = 'benchapp' "
            "AND name = '0002_benchrecord_catatan';"
        )

    clone, native = names[len(names) // 2], names[-1]
    results["addfield_migrate_schemas_standard"] = manage("migrate_schemas", "-v", "0")
    after = {"standard": (ddl(clone), ddl(native))}
    reset()
    results["addfield_migrate_schemas_multiprocessing"] = manage(
        "migrate_schemas", "--executor", "multiprocessing", "-v", "0"
    )
    after["multiprocessing"] = (ddl(clone), ddl(native))
    reset()
    results["addfield_tenant_rollout"] = manage("tenant_rollout", "--workers", str(args.workers), "-v", "0")
    after["tenant_rollout"] = (ddl(clone), ddl(native))
    methods = sql(
        "SELECT method, count(*) FROM operations_rollouttenant WHERE rollout_id = "
        "(SELECT max(id) FROM operations_rollout) AND status = 'succeeded' GROUP BY method ORDER BY method"
    )
    # A tenant migrated from nothing to the head, the standard way.
    fresh = "bench_fresh"
    manage("shell", "-c", create_tenants.replace("10 + i // 100:02d}.{i %% 100:02d}", "99}.{99}") % [fresh])
    sql(f'CREATE SCHEMA "{fresh}"')
    manage("migrate_schemas", "-s", fresh, "-v", "0")
    fresh_ddl = ddl(fresh)
    # Clones went through pg_dump/pg_restore, which re-words some CHECK expressions, so they are
    # compared with each other; schemas made only by migrations are compared with the fresh one.
    clones_identical = len({ddl_pair[0] for ddl_pair in after.values()}) == 1
    native_identical = {ddl_pair[1] for ddl_pair in after.values()} == {fresh_ddl}

    print(
        f"\nresults, {args.tenants} tenants (seconds: whole manage.py process / the command after start-up):"
    )
    for key, (wall, command) in results.items():
        print(f"  {key:45s} {wall:7.2f} / {command:7.2f}")
    for label, index in (("process", 0), ("command", 1)):
        add = results["addfield_tenant_rollout"][index]
        print(
            f"  {label}: AddField speed-up vs multiprocessing "
            f"{results['addfield_migrate_schemas_multiprocessing'][index] / add:.1f}x, vs standard "
            f"{results['addfield_migrate_schemas_standard'][index] / add:.1f}x; no-op speed-up vs standard "
            f"{results['noop_migrate_schemas_standard'][index] / results['noop_tenant_rollout'][index]:.1f}x"
        )
    print(f"  tenant_rollout methods (AddField run): {methods}")
    print(
        f"  same schema after standard, multiprocessing and tenant_rollout (cloned tenant): {clones_identical}"
    )
    print(f"  natively migrated tenant after each method == freshly migrated tenant: {native_identical}")
    if args.keep:
        print(f"kept: DATABASE_URL={bench_url} BENCH_MIGRATIONS_DIR={migrations_dir}")
        return
    shutil.rmtree(migrations_dir)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
