"""What /health/ reports: database, broker, migrations of this host's schema."""

import functools
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

_BROKER_CACHE_SECONDS = 10.0
_broker_state: dict[str, Any] = {"ok": None, "checked_at": 0.0}


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    """Connect to the Celery broker, at most once per 10 s per process."""
    now = time.monotonic()
    if _broker_state["ok"] is not None and now - _broker_state["checked_at"] < _BROKER_CACHE_SECONDS:
        return bool(_broker_state["ok"])
    from eoffice.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        ok = True
    except Exception:
        ok = False
    _broker_state.update(ok=ok, checked_at=now)
    return ok


def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every migration of the code's graph; a schema records all of them, shared apps' too.

    Loaded once per process and per MIGRATION_MODULES setting (tests point it at extra migrations).
    """
    return _graph_nodes(repr(sorted(getattr(settings, "MIGRATION_MODULES", {}).items())))


@functools.lru_cache(maxsize=8)
def _graph_nodes(migration_modules_key: str) -> frozenset[tuple[str, str]]:
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def pending_migrations() -> list[str]:
    """Migrations of the code not yet recorded in the current schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    return sorted(f"{app}.{name}" for app, name in expected_migrations() - applied)
