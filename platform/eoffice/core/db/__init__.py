"""Our PostgreSQL backend (see base.py) and a helper to hand the connection to child processes."""

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

if TYPE_CHECKING:
    from eoffice.core.db.base import DatabaseWrapper


def database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of a configured database, for a worker or tool started as a child process."""
    user = quote(settings_dict["USER"] or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    socket_dir = (settings_dict.get("OPTIONS") or {}).get("host")
    query = f"?host={quote(socket_dir)}" if socket_dir and not host else ""
    return f"postgresql://{credentials}{host}{port}/{settings_dict['NAME']}{query}"


def _typed_connection() -> "DatabaseWrapper":
    from django.db import connection as default_connection

    return cast("DatabaseWrapper", default_connection)


# Django's default connection, typed as our tenant-aware backend (set_tenant, schema_name, …).
connection = _typed_connection()
