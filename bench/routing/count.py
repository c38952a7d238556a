"""SQL statements per request, counted where every statement leaves: psycopg's cursor.

Requests go through the WSGI application exactly as gunicorn calls it (request_started and
request_finished included, so connection health checks show up), with the variant's settings.
Usage: count.py HOST[,HOST...] PATH... (several hosts: requests take them in turn). Prints JSON:
for each path, statements per request and the statements of one request.
"""

import io
import json
import sys
from collections.abc import Callable
from typing import Any
from wsgiref.util import setup_testing_defaults

import psycopg

from eoffice.wsgi import application

WARM_UP_REQUESTS = 5
COUNTED_REQUESTS = 20


def wsgi_request(path: str, host: str) -> int:
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": host, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    status: list[str] = []

    def start_response(code: str, headers: list, exc_info: Any = None) -> Callable:
        status.append(code)
        return lambda data: None

    response = application(environ, start_response)
    for _chunk in response:
        pass
    response.close()
    return int(status[0].split()[0])


def _count(path: str, hosts: list[str]) -> dict[str, Any]:
    """Statements per request; with several hosts the requests go round them in turn."""
    for number in range(WARM_UP_REQUESTS):
        host = hosts[number % len(hosts)]
        if wsgi_request(path, host) != 200:
            raise SystemExit(f"{host}{path} did not answer 200")
    statements: list[str] = []
    original = psycopg.Cursor.execute

    def recording_execute(self: psycopg.Cursor, query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(query if isinstance(query, str) else repr(query))
        return original(self, query, *args, **kwargs)

    psycopg.Cursor.execute = recording_execute  # type: ignore[method-assign]
    try:
        wsgi_request(path, hosts[WARM_UP_REQUESTS % len(hosts)])
        one_request = list(statements)
        for number in range(WARM_UP_REQUESTS + 1, WARM_UP_REQUESTS + COUNTED_REQUESTS):
            wsgi_request(path, hosts[number % len(hosts)])
    finally:
        psycopg.Cursor.execute = original  # type: ignore[method-assign]
    return {"per_request": len(statements) / COUNTED_REQUESTS, "statements": one_request}


if __name__ == "__main__":
    hosts = sys.argv[1].split(",")
    print(json.dumps({path: _count(path, hosts) for path in sys.argv[2:]}))
