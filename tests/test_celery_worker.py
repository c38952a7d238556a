"""A real Celery worker process runs a task in the schema of the tenant that sent it.

Uses the Redis at 127.0.0.1:6379 when it answers, else the server-less filesystem broker: either
way a separate worker process, a real broker and the real test database.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context
from tenant_schemas_celery.app import CeleryApp

from eoffice.core.db import database_url

ROOT = Path(__file__).resolve().parents[1]


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def broker(tmp_path) -> dict[str, str]:
    if _redis_reachable():
        return {
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
            "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/15",
        }
    return {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_RESULT_BACKEND": f"file://{tmp_path / 'results'}",
        "CELERY_FILESYSTEM_FOLDER": str(tmp_path / "queue"),
    }


@pytest.fixture
def worker(broker, django_db_blocker):
    env = {
        **os.environ,
        **broker,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "PYTHONPATH": str(ROOT / "platform"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "eoffice",
            "worker",
            "--pool",
            "solo",
            "-Q",
            "default",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    with django_db_blocker.unblock():
        yield broker
    process.terminate()
    output, _ = process.communicate(timeout=30)
    assert process.returncode in (0, -15), output.decode()


def _client_app(broker: dict[str, str]) -> CeleryApp:
    app = CeleryApp("probe-client", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker["CELERY_BROKER_URL"]
    app.conf.result_backend = broker["CELERY_RESULT_BACKEND"]
    if "CELERY_FILESYSTEM_FOLDER" in broker:
        folder = broker["CELERY_FILESYSTEM_FOLDER"]
        Path(folder).mkdir(parents=True, exist_ok=True)
        Path(broker["CELERY_RESULT_BACKEND"].removeprefix("file://")).mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "data_folder_in": folder,
            "data_folder_out": folder,
        }
    return app


@pytest.mark.integration
def test_task_sent_from_kendari_runs_in_kendaris_schema(worker):
    app = _client_app(worker)

    with schema_context("kendari"):
        from eoffice.accounts.models import User

        kendari_users = User.objects.count()
        kendari_result = app.send_task("core.tenant_probe")
    with schema_context("sumedang"):
        sumedang_result = app.send_task("core.tenant_probe")

    assert kendari_result.get(timeout=90) == {
        "schema": "kendari",
        "tenant": "Kota Kendari",
        "users": kendari_users,
    }
    assert sumedang_result.get(timeout=90)["schema"] == "sumedang"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"
