"""PostgreSQL client programs (pg_dump, pg_restore, psql) against the project's database."""

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def pg_program(name: str) -> str:
    """The client program matching the server: PG_BIN_DIR when set, else the embedded server's."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    from eoffice.embedded_db import pg_bin

    return pg_bin(name)


def pg_environment() -> dict[str, str]:
    """libpq environment for the current database (the test database under pytest)."""
    config = connection.settings_dict
    env = dict(os.environ)
    host = config.get("HOST") or config.get("OPTIONS", {}).get("host", "")
    values = {
        "PGHOST": host,
        "PGPORT": str(config.get("PORT") or ""),
        "PGUSER": config.get("USER") or "",
        "PGPASSWORD": config.get("PASSWORD") or "",
        "PGDATABASE": config["NAME"],
    }
    env.update({key: value for key, value in values.items() if value})
    return env


class PgCommandError(Exception):
    pass


def pg_run(args: list[str], *, stdin: bytes | None = None, timeout: float = 3600) -> bytes:
    """Run a client program; raise with its stderr when it fails."""
    completed = subprocess.run(  # noqa: S603 - fixed program, arguments built by us
        [pg_program(args[0]), *args[1:]],
        input=stdin,
        capture_output=True,
        env=pg_environment(),
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise PgCommandError(
            f"{args[0]} failed ({completed.returncode}): {completed.stderr.decode()[-2000:]}"
        )
    return completed.stdout


def schema_ddl(*, schema: str) -> str:
    """The schema's structure as pg_dump prints it, with the schema's name replaced by SCHEMA.

    Used to prove two schemas identical (rolled out vs freshly migrated, restored vs original).
    """
    text = pg_run(["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-n", schema]).decode()
    lines = []
    for line in text.splitlines():
        if line.startswith("--") or line.startswith("\\restrict") or line.startswith("\\unrestrict"):
            continue
        lines.append(line.replace(f'"{schema}".', "SCHEMA.").replace(f"{schema}.", "SCHEMA."))
    return "\n".join(lines).replace(f"SCHEMA {schema};", "SCHEMA SCHEMA;")
