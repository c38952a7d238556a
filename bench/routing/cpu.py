"""CPU time the web process spends per request, measured in-process through the WSGI app.

Unlike requests/s this leaves out time spent waiting for a CPU or inside PostgreSQL, so it shows
the Python cost of routing even on a busy machine. Like timeit, it keeps the best of several
repeats: other load can only add time. Prints JSON: microseconds per request for each path.
"""

import json
import sys
import time

from bench.routing.count import wsgi_request

REPEATS = 7
REQUESTS_PER_REPEAT = 300


def cpu_per_request(path: str, host: str) -> float:
    for _ in range(50):
        wsgi_request(path, host)
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        for _ in range(REQUESTS_PER_REPEAT):
            wsgi_request(path, host)
        best = min(best, (time.process_time() - started) / REQUESTS_PER_REPEAT)
    return best * 1e6


if __name__ == "__main__":
    host = sys.argv[1]
    print(json.dumps({path: round(cpu_per_request(path, host)) for path in sys.argv[2:]}))
