"""The morning surge against the production server set-up: gunicorn with the production
settings on loopback, locust as the load generator, then a check that every acknowledged
check-in is stored exactly once.

Usage (from the repository root): .venv/bin/python bench/presensi_surge/run.py
    [--workers 2] [--threads 1] [--users 8] [--keep-db]

Creates the database `eoffice_surge` on the embedded PostgreSQL (or on the server of
DATABASE_URL), three regencies with 5,000 employees, starts gunicorn (`eoffice.wsgi`,
`eoffice.settings.production`, plain HTTP on 127.0.0.1), runs locust headless until every
employee has checked in, verifies the database, prints a Markdown row and writes
var/bench-presensi-surge/result.json. Stops its server and drops the database at the end.
"""

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "eoffice_surge"
WORK = ROOT / "var" / "bench-presensi-surge"


def server_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    sys.path.insert(0, str(ROOT / "platform"))
    from eoffice.embedded_db import embedded_database_url

    return embedded_database_url(ROOT / "var" / "postgres")


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cache_url() -> str:
    """Redis as in production: REDIS_URL, else a Redis answering on this machine's default port;
    empty (the settings' file cache) when there is none."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/15"
    except OSError:
        return ""


def child_env(database_url: str) -> dict[str, str]:
    # The production settings, with what a TLS-terminating proxy would otherwise provide.
    return {
        "REDIS_URL": cache_url(),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "eoffice.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "surge-benchmark-only-not-a-secret",
        "SECURE_SSL_REDIRECT": "false",
        "ROOT_DOMAIN": "surge.localhost",
        "MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }


def cpu_seconds(parent: int) -> float:
    """User + system CPU of a process's children (the gunicorn workers), from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def database_cpu_seconds(database_url: str) -> float:
    """User + system CPU of the PostgreSQL backends serving the benchmark database, from /proc
    (only when PostgreSQL runs on this machine, as it does here)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    for (pid,) in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"http://127.0.0.1:{port}/health/", headers={"Host": "surge.localhost"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # answering (503 "degraded" when the broker is absent is fine here)
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (above 1: gthread workers, keep-alive)"
    )
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users (default 8)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "media", ignore_errors=True)
    admin_url = server_url()
    bench_url = with_database(admin_url, DATABASE_NAME)
    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    env = child_env(bench_url)
    employees = WORK / "employees.csv"
    results = WORK / "locust.json"
    server = None
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "bench.presensi_surge.prepare", str(employees)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"database ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "eoffice.wsgi",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--access-logfile",
                "-" if os.environ.get("SURGE_ACCESS_LOG") else "/dev/null",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_ready(port)
        locust_env = {**env, "SURGE_EMPLOYEES": str(employees), "SURGE_OUT": str(results)}
        cpu_before, load_before = cpu_seconds(server.pid), os.getloadavg()[0]
        database_before = database_cpu_seconds(bench_url)
        generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(ROOT / "bench" / "presensi_surge" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                "10m",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            check=False,
        )
        generator_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        web_cpu = cpu_seconds(server.pid) - cpu_before
        database_cpu = database_cpu_seconds(bench_url) - database_before
        generator_cpu = (generator_after.ru_utime + generator_after.ru_stime) - (
            generator_before.ru_utime + generator_before.ru_stime
        )
        summary = json.loads(results.read_text())["summary"]
        requests = summary["acknowledged"] + summary["replays"] + summary["errors"]
        summary["web_cpu_ms_per_request"] = round(web_cpu * 1000 / max(requests, 1), 1)
        summary["database_cpu_ms_per_request"] = round(database_cpu * 1000 / max(requests, 1), 1)
        summary["generator_cpu_ms_per_request"] = round(generator_cpu * 1000 / max(requests, 1), 1)
        summary["load_average_before"] = round(load_before, 2)
        verdict_run = subprocess.run(
            [sys.executable, "-m", "bench.presensi_surge.verify", str(results)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        verdict = json.loads(verdict_run.stdout.strip().splitlines()[-1])
        summary.update(
            {
                "workers": args.workers,
                "threads": args.threads,
                "users": args.users,
                "cache": "redis" if env["REDIS_URL"] else "file",
                "verify": verdict,
            }
        )
        (WORK / "result.json").write_text(json.dumps(summary, indent=2))
        print(json.dumps(summary, indent=2))
        print(
            f"| {args.workers}×{args.threads} | {args.users} | {summary['acknowledged']} | {summary['checkins_per_second']} | "
            f"{summary['p50_ms']} | {summary['p95_ms']} | {summary['p99_ms']} | {summary['errors']} | "
            f"{summary['replays_ok']}/{summary['replays']} | {'yes' if verdict['ok'] else 'NO'} | "
            f"{summary['web_cpu_ms_per_request']} | {summary['database_cpu_ms_per_request']} | "
            f"{summary['generator_cpu_ms_per_request']} | {summary['load_average_before']} |"
        )
        return 0 if verdict["ok"] and summary["errors"] == 0 else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep_db:
            with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
