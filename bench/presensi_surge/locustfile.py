"""The morning surge: every employee checks in once with a selfie, as fast as the server takes
them. A tenth of them replay the same check-in (an offline queue that lost the answer), which
must be answered 200 with the same record.

Environment: SURGE_EMPLOYEES (CSV from prepare.py), SURGE_OUT (JSON written at the end).
"""

import csv
import io
import json
import os
import random
import time
import uuid
from collections import deque

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

EMPLOYEES = deque()
with open(os.environ["SURGE_EMPLOYEES"]) as handle:
    rows = list(csv.reader(handle))
random.Random(7).shuffle(rows)  # regencies interleaved, as phones arrive
EMPLOYEES.extend(rows)
TOTAL = len(rows)
OFFICES = {
    "wib.surge.localhost": (-6.8586, 107.9196),
    "wita.surge.localhost": (-3.9698, 122.5149),
    "wit.surge.localhost": (-2.5333, 140.7167),
}


def _selfie() -> bytes:
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


SELFIE = _selfie()
BOUNDARY = "----surge" + uuid.uuid4().hex
acknowledged: dict[str, dict] = {}
replays: list[dict] = []
errors: list[dict] = []
latencies: list[float] = []
first_start = [0.0]
last_end = [0.0]
in_flight = [0]


def _body(fields: dict[str, str]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="swafoto"; filename="swafoto.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + SELFIE
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


class Employee(FastHttpUser):
    wait_time = constant(0)
    # A request that gets no answer is an error of the run after 30 s, not a run that waits for
    # its ten-minute limit.
    connection_timeout = 10.0
    network_timeout = 30.0
    host = "http://127.0.0.1:8150"

    @task
    def check_in(self) -> None:
        try:
            host, session, csrf, nip = EMPLOYEES.popleft()
        except IndexError:
            raise StopUser() from None
        in_flight[0] += 1
        try:
            self._check_in(host, session, csrf, nip)
        except Exception as exc:  # a broken connection is an error of the run, not a crash
            errors.append({"status": 0, "body": repr(exc)[:300], "host": host})
        finally:
            in_flight[0] -= 1
        if not EMPLOYEES and in_flight[0] == 0:
            self.environment.runner.quit()

    def _check_in(self, host: str, session: str, csrf: str, nip: str) -> None:
        lat, lon = OFFICES[host]
        now = time.time()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"
        fields = {
            "client_uuid": str(uuid.uuid4()),
            "jenis": "masuk",
            "latitude": f"{lat + random.uniform(-0.0005, 0.0005):.7f}",
            "longitude": f"{lon + random.uniform(-0.0005, 0.0005):.7f}",
            "akurasi_m": f"{random.uniform(5, 40):.1f}",
            "waktu_perangkat": stamp,
            "dikirim_perangkat": stamp,
        }
        headers = {
            "Host": host,
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Accept": "application/json",
        }
        body = _body(fields)
        started = time.perf_counter()
        first_start[0] = first_start[0] or time.time()
        with self.client.post(
            "/api/v1/presensi/checkin/", data=body, headers=headers, name="checkin", catch_response=True
        ) as r:
            latencies.append((time.perf_counter() - started) * 1000)
            last_end[0] = time.time()
            if r.status_code == 201:
                data = r.json()
                acknowledged[fields["client_uuid"]] = {"host": host, "id": data["id"], "nip": nip}
                r.success()
            else:
                errors.append({"status": r.status_code, "body": (r.text or "")[:300], "host": host})
                r.failure(f"HTTP {r.status_code}")
                return
        if random.random() < 0.1:
            with self.client.post(
                "/api/v1/presensi/checkin/",
                data=body,
                headers=headers,
                name="checkin replay",
                catch_response=True,
            ) as r:
                ok = r.status_code == 200 and r.json().get("replay") is True and r.json()["id"] == data["id"]
                replays.append({"uuid": fields["client_uuid"], "ok": ok, "status": r.status_code})
                r.success() if ok else r.failure(f"replay HTTP {r.status_code}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


@events.test_stop.add_listener
def _write(environment, **kwargs) -> None:
    span = max(last_end[0] - first_start[0], 1e-9)
    summary = {
        "employees": TOTAL,
        "acknowledged": len(acknowledged),
        "errors": len(errors),
        "error_samples": errors[:5],
        "replays": len(replays),
        "replays_ok": sum(1 for r in replays if r["ok"]),
        "seconds": round(span, 1),
        "checkins_per_second": round(len(acknowledged) / span, 1),
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": _pct(latencies, 0.95),
        "p99_ms": _pct(latencies, 0.99),
        "max_ms": round(max(latencies), 1) if latencies else 0,
        "selfie_bytes": len(SELFIE),
    }
    with open(os.environ["SURGE_OUT"], "w") as handle:
        json.dump({"summary": summary, "acknowledged": acknowledged}, handle)
