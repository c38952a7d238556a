"""manage.py for the benchmark's settings.

The `eoffice` package loads the Celery app, which reads the settings; importing it first lets
bench_settings (a top-level module) import eoffice.settings.test without a circular import.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

import os  # noqa: E402
import time  # noqa: E402

import django  # noqa: E402
from django.core.management import execute_from_command_line  # noqa: E402

import eoffice  # noqa: E402,F401

# The command's own time, after Python and Django have started (written for run.py).
django.setup()
start = time.perf_counter()
execute_from_command_line(sys.argv)
if os.environ.get("BENCH_TIMING_FILE"):
    with open(os.environ["BENCH_TIMING_FILE"], "w") as handle:
        handle.write(f"{time.perf_counter() - start:.4f}")
