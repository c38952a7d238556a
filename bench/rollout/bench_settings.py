"""Settings for the rollout benchmark: the test settings plus a throwaway tenant app.

The app's migrations are read from BENCH_MIGRATIONS_DIR (a temporary copy the benchmark writes
its AddField migration into), so no real app ever gets a benchmark migration.
"""

import os
import sys

from eoffice.settings.test import *  # noqa: F403
from eoffice.settings.test import INSTALLED_APPS, TENANT_APPS

sys.path.insert(0, os.environ["BENCH_MIGRATIONS_DIR"])
INSTALLED_APPS = [*INSTALLED_APPS, "benchapp"]
TENANT_APPS = [*TENANT_APPS, "benchapp"]
MIGRATION_MODULES = {"benchapp": "benchapp_migrations"}
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("BENCH_PROCESSES", "2"))
LOG_LEVEL = "ERROR"
