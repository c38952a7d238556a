"""A rollout process killed mid-way: no tenant half-migrated, and a rerun resumes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tenants.operations.models import Rollout, RolloutTenant
from tenants.operations.selectors import migration_order, schema_heads
from tenants.operations.tests.conftest import BEHIND_APP

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    config = connection.settings_dict
    host = config.get("HOST") or config["OPTIONS"].get("host", "")
    url = f"postgresql://{quote(config['USER'])}:{quote(config.get('PASSWORD') or '')}@"
    if host.startswith("/"):
        return f"{url}/{config['NAME']}?host={quote(host)}"
    return f"{url}{host}:{config.get('PORT') or 5432}/{config['NAME']}"


def _wait_for(predicate, *, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def _app_state(schema: str) -> tuple[int, int]:
    """(BEHIND_APP rows in django_migrations, BEHIND_APP tables) of a schema."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s', [BEHIND_APP])
        rows = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
            [schema, f"{BEHIND_APP}_%"],
        )
        return rows, cursor.fetchone()[0]


def test_killed_rollout_leaves_no_tenant_half_migrated_and_resume_finishes(scratch):
    # given four behind tenants; the third one's table is locked so the rollout blocks inside it
    names = scratch.behind(4)
    blocker = psycopg.connect(_database_url().replace("postgresql://", "postgresql://", 1))
    blocker.execute(f'LOCK TABLE "{names[2]}".kepegawaian_pegawai IN ACCESS EXCLUSIVE MODE')
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "eoffice.settings.test",
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "tenant_rollout",
            "--schemas",
            ",".join(names),
            "--workers",
            "1",
            "--lock-timeout",
            "120000",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # when the process is killed while the third tenant's transaction is open
        _wait_for(lambda: RolloutTenant.objects.filter(schema_name=names[2], status="running").exists())
        _wait_for(lambda: _waiting_backends() != [])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        for pid in _waiting_backends():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        blocker.close()
    _wait_for(lambda: _waiting_backends() == [])
    # then the first two are at the head, the others untouched: nothing half-migrated
    migrated = _app_state(names[0])
    assert migrated[0] == len([node for node in migration_order() if node[0] == BEHIND_APP])
    assert migrated[1] >= 1
    assert _app_state(names[1]) == migrated
    assert [_app_state(name) for name in names[2:]] == [(0, 0), (0, 0)]
    killed = Rollout.objects.get(tenants__schema_name=names[0])
    assert killed.status == Rollout.Status.RUNNING

    # when the operator reruns with --resume
    call_command("tenant_rollout", "--resume", "--schemas", ",".join(names), "--workers", "2", verbosity=0)
    # then the same rollout finished only what was left
    killed.refresh_from_db()
    assert killed.status == Rollout.Status.SUCCEEDED
    assert killed.resumed_count == 1
    statuses = dict(
        RolloutTenant.objects.filter(rollout=killed, schema_name__in=names).values_list(
            "schema_name", "status"
        )
    )
    assert statuses == {name: "succeeded" for name in names}
    assert schema_heads(schemas=names).behind == {}


def _waiting_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT pid FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


def test_the_module_has_a_database(db):
    # pytest-django creates the test database only for modules with a `db` test.
    assert connection.settings_dict["NAME"].startswith("test")
