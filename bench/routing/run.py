"""Tenant routing benchmark: requests/s of the same pages with our routing, none, and stock django-tenants.

Usage (from the repository root): .venv/bin/python bench/routing/run.py [--duration 1] [--rounds 16]

Creates the database `eoffice_bench` on the embedded PostgreSQL (or on the server of DATABASE_URL),
starts one gunicorn per variant on loopback, drives each with wrk in short plain-X-X-plain quartets
(so load from anything else on the machine hits every variant alike), counts SQL statements and
measures web-process CPU per request, and prints a Markdown table. Stops its servers and drops the
database at the end (--keep-db keeps it).
"""

import argparse
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "eoffice_bench"
HOST_A = "a.bench.localhost"
HOST_B = "b.bench.localhost"
VARIANTS = ["plain", "ours", "stock"]
PATHS = ["/one-query/", "/no-query/"]
# wrk script that alternates two regencies on one connection pool (a schema switch per request).
ALTERNATE_LUA = f"""
local hosts = {{"{HOST_A}", "{HOST_B}"}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, {{Host = hosts[n % 2 + 1]}})
end
"""


def server_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    sys.path.insert(0, str(ROOT / "platform"))
    from eoffice.embedded_db import embedded_database_url

    return embedded_database_url(ROOT / "var" / "postgres")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(database_url: str, variant: str, *, health_checks: bool = True) -> dict[str, str]:
    return {
        "BENCH_CONN_HEALTH_CHECKS": "1" if health_checks else "0",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "bench.routing.settings",
        "DATABASE_URL": database_url,
        "BENCH_VARIANT": variant,
    }


def _key(variant: str, path: str, script: Path | None) -> str:
    return f"{variant} {path}" + (" alternating" if script else "")


def wait_ready(port: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"http://127.0.0.1:{port}/no-query/", headers={"Host": HOST_A})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def wrk(port: int, path: str, *, duration: int, connections: int, script: Path | None = None) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-H", f"Host: {HOST_A}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on port {port}{path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=1, help="seconds per wrk run (default 1)")
    parser.add_argument("--rounds", type=int, default=16, help="rounds of quartets (default 16)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (default 2)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per variant (default 1)")
    parser.add_argument(
        "--no-health-checks", action="store_true", help="turn off CONN_HEALTH_CHECKS in every variant"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep eoffice_bench for the next run")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk not found (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    admin_url = server_url()
    bench_url = with_database(admin_url, DATABASE_NAME)
    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    servers: dict[str, subprocess.Popen] = {}
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "bench.routing.prepare"],
            cwd=ROOT,
            env=child_env(bench_url, "ours"),
            check=True,
        )
        print(f"database ready in {time.monotonic() - started:.0f} s", file=sys.stderr)

        statements, cpu_times = {}, {}
        for variant in VARIANTS:
            result = subprocess.run(
                [sys.executable, "-m", "bench.routing.cpu", HOST_A, *PATHS],
                cwd=ROOT,
                env=child_env(bench_url, variant, health_checks=not args.no_health_checks),
                check=True,
                capture_output=True,
                text=True,
            )
            cpu_times[variant] = json.loads(result.stdout.strip().splitlines()[-1])
            result = subprocess.run(
                [sys.executable, "-m", "bench.routing.count", HOST_A, *PATHS],
                cwd=ROOT,
                env=child_env(bench_url, variant, health_checks=not args.no_health_checks),
                check=True,
                capture_output=True,
                text=True,
            )
            statements[variant] = json.loads(result.stdout.strip().splitlines()[-1])
        result = subprocess.run(
            [sys.executable, "-m", "bench.routing.count", f"{HOST_A},{HOST_B}", *PATHS],
            cwd=ROOT,
            env=child_env(bench_url, "ours", health_checks=not args.no_health_checks),
            check=True,
            capture_output=True,
            text=True,
        )
        statements["ours alternating"] = json.loads(result.stdout.strip().splitlines()[-1])

        ports = {variant: free_port() for variant in VARIANTS}
        for variant, port in ports.items():
            servers[variant] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "eoffice.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={args.workers}",
                    "--worker-class=sync",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=child_env(bench_url, variant, health_checks=not args.no_health_checks),
            )
        for port in ports.values():
            wait_ready(port)
            for path in PATHS:
                wrk(port, path, duration=2, connections=args.connections)  # warm-up

        alternate = ROOT / "var" / "bench-routing-alternate.lua"
        alternate.write_text(ALTERNATE_LUA)
        # A-B-B-A quartets against plain: the ratio sqrt(b1*b2 / (a1*a2)) cancels load that rises or
        # falls steadily over the few seconds a quartet takes, which is what other work on a shared
        # machine does.
        rivals = [("ours", None), ("stock", None), ("ours", alternate)]
        samples: dict[str, list[float]] = {}
        ratios: dict[str, list[float]] = {}
        for round_number in range(args.rounds):
            shift = round_number % len(rivals)  # rotate so no rival always runs first
            for path in PATHS:
                for variant, script in rivals[shift:] + rivals[:shift]:
                    order = [("plain", None), (variant, script), (variant, script), ("plain", None)]
                    a1, b1, b2, a2 = (
                        wrk(ports[v], path, duration=args.duration, connections=args.connections, script=lua)
                        for v, lua in order
                    )
                    samples.setdefault(_key("plain", path, None), []).extend([a1, a2])
                    samples.setdefault(_key(variant, path, script), []).extend([b1, b2])
                    ratios.setdefault(_key(variant, path, script), []).append(math.sqrt(b1 * b2 / (a1 * a2)))
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)
        alternate.unlink()
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            process.wait(timeout=30)
        if not args.keep_db:
            with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')

    print(
        f"\n{args.rounds} rounds of plain-X-X-plain quartets, {args.duration} s per wrk run, "
        f"wrk -t1 -c{args.connections}, gunicorn {args.workers} sync worker(s) per variant, "
        f"connection health checks {'off' if args.no_health_checks else 'on'}.\n"
        "req/s: median of all runs. vs plain: median of the quartet ratios (interquartile range).\n"
        "CPU: web-process CPU per request, in-process, best of 7 x 300 requests.\n"
    )
    print("| variant | page | req/s | vs plain | SQL statements per request | CPU µs/request |")
    print("|---|---|---:|---:|---:|---:|")
    for path in PATHS:
        for variant, script in [*((v, None) for v in VARIANTS), ("ours", alternate)]:
            rates = samples[_key(variant, path, script)]
            if variant == "plain":
                spread = "1.00x"
            else:
                low, middle, high = statistics.quantiles(ratios[_key(variant, path, script)], n=4)
                spread = f"{middle:.2f}x ({low:.2f}-{high:.2f})"
            label = "ours, 2 regencies alternating" if script else variant
            sql = f"{statements[f'{variant} alternating' if script else variant][path]['per_request']:g}"
            cpu = "" if script else f"{cpu_times[variant][path]}"
            print(f"| {label} | {path} | {statistics.median(rates):.0f} | {spread} | {sql} | {cpu} |")
    print("\nStatements of one request:")
    for variant in [*VARIANTS, "ours alternating"]:
        for path in PATHS:
            print(f"- {variant} {path}: " + " | ".join(statements[variant][path]["statements"]))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"samples": samples, "ratios": ratios, "statements": statements, "cpu": cpu_times}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
