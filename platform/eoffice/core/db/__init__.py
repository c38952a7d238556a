"""Our PostgreSQL backend (see base.py) and a helper to hand the connection to child processes."""

from typing import Any
from urllib.parse import quote


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
