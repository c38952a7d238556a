"""The morning surge against the production server set-up: gunicorn with the production
settings on loopback, wrk as the load generator (`surge.lua`), then a check that every acknowledged
check-in is stored exactly once.

Usage (from the repository root): .venv/bin/python bench/presensi_surge/run.py
    [--workers 2] [--threads 1] [--users 8] [--keep-db]

Needs wrk (Debian package `wrk`); installs it with apt-get when it is missing and this runs as
root. Creates the database `eoffice_surge` on the embedded PostgreSQL (or on the server of
DATABASE_URL), three regencies with 5,000 employees, starts gunicorn (`eoffice.wsgi`,
`eoffice.settings.production`, plain HTTP on 127.0.0.1), runs wrk with one connection per thread
(--users threads) until every employee has checked in, verifies the database, prints a Markdown
row and writes var/bench-presensi-surge/result.json. Stops its server and drops the database at
the end.
"""

import argparse
import io
import json
import os
import random
import resource
import shutil
import signal
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


def ensure_wrk() -> str:
    """wrk, installed from Debian's package when missing (needs root and apt)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk (the load generator) is missing: installing it with apt-get install -y wrk", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed; install it first (Debian: apt-get install wrk)")
    return found


def selfie() -> bytes:
    # A 480×640 JPEG like the PWA sends after compressing on the phone (≈25–40 KB).
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (480, 640), (182, 140, 110))
    draw = ImageDraw.Draw(image)
    rng = random.Random(3)
    for _ in range(400):
        x, y = rng.randrange(480), rng.randrange(640)
        draw.ellipse(
            (x, y, x + rng.randrange(5, 60), y + rng.randrange(5, 60)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def run_wrk(wrk: str, port: int, users: int, employees: Path, selfie_path: Path, out: Path) -> Path:
    """Runs surge.lua with one connection per wrk thread and ends wrk as soon as every thread has
    written its results (wrk itself would wait out its whole duration). Returns wrk's output."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log = out / "wrk.log"
    # A port bound but not listening refuses connections: where finished threads reconnect.
    with log.open("w") as handle, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        process = subprocess.Popen(
            [
                wrk,
                f"-t{users}",
                f"-c{users}",
                "-d600s",  # an upper bound only
                "--timeout",
                "30s",
                "-s",
                str(Path(__file__).with_name("surge.lua")),
                f"http://127.0.0.1:{port}",
                "--",
                str(employees),
                str(selfie_path),
                str(out),
                str(users),
                str(closed.getsockname()[1]),
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        while process.poll() is None and len(list(out.glob("thread-*.txt"))) < users:
            time.sleep(0.05)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # wrk's own stop: joins the (stopped) threads, exits
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return log


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def collect(out: Path, users: int, employees: int, selfie_bytes: int) -> dict:
    """The results of every wrk thread, in the format verify.py reads."""
    acknowledged: dict[str, dict] = {}
    errors: list[dict] = []
    replays: list[bool] = []
    latencies: list[float] = []
    firsts, lasts, resent = [], [], 0
    for n in range(users):
        path = out / f"thread-{n}.txt"
        if not path.exists():
            errors.append({"status": 0, "body": f"wrk thread {n} did not finish", "host": ""})
            continue
        for line in path.read_text().splitlines():
            kind, *fields = line.split("\t")
            if kind == "T":
                first, last, again = (int(v) for v in fields)
                if first:
                    firsts.append(first)
                    lasts.append(last)
                resent += again
            elif kind == "L":
                latencies.append(int(fields[0]) / 1000)
            elif kind == "A":
                client_uuid, host, record, nip = fields
                acknowledged[client_uuid] = {"host": host, "id": int(record), "nip": nip}
            elif kind == "R":
                replays.append(fields[1] == "1")
            elif kind == "E":
                status, host, body = (fields + [""])[:3]
                errors.append({"status": int(status), "body": body, "host": host})
    span = max((max(lasts) - min(firsts)) / 1e6, 1e-9) if firsts else 1e-9
    summary = {
        "employees": employees,
        "acknowledged": len(acknowledged),
        "errors": len(errors),
        "error_samples": errors[:5],
        "replays": len(replays),
        "replays_ok": sum(replays),
        "resent": resent,
        "seconds": round(span, 1),
        "checkins_per_second": round(len(acknowledged) / span, 1),
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": _pct(latencies, 0.95),
        "p99_ms": _pct(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else 0,
        "selfie_bytes": selfie_bytes,
    }
    return {"summary": summary, "acknowledged": acknowledged}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (above 1: gthread workers, keep-alive)"
    )
    parser.add_argument(
        "--users", type=int, default=8, help="concurrent users: wrk threads, one connection each (default 8)"
    )
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
    results = WORK / "surge.json"
    shuffled = WORK / "employees-shuffled.csv"
    selfie_path = WORK / "selfie.jpg"
    wrk = ensure_wrk()
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
        rows = employees.read_text().splitlines()
        random.Random(7).shuffle(rows)  # regencies interleaved, as phones arrive
        shuffled.write_text("\n".join(rows) + "\n")
        image = selfie()
        selfie_path.write_bytes(image)
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
        cpu_before, load_before = cpu_seconds(server.pid), os.getloadavg()[0]
        database_before = database_cpu_seconds(bench_url)
        generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        log = run_wrk(wrk, port, args.users, shuffled, selfie_path, WORK / "wrk")
        generator_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        web_cpu = cpu_seconds(server.pid) - cpu_before
        database_cpu = database_cpu_seconds(bench_url) - database_before
        generator_cpu = (generator_after.ru_utime + generator_after.ru_stime) - (
            generator_before.ru_utime + generator_before.ru_stime
        )
        collected = collect(WORK / "wrk", args.users, len(rows), len(image))
        results.write_text(json.dumps(collected))
        summary = collected["summary"]
        if summary["acknowledged"] + summary["errors"] < len(rows):
            print(log.read_text(), file=sys.stderr)
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
