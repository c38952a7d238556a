"""Production settings pass Django's deployment checks given the required environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A production process's environment: none of the test run's own switches (the browser tests
    # set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which the deployment check rightly refuses).
    test_only = ("SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in test_only}
    env.update({"DJANGO_SETTINGS_MODULE": "eoffice.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_required_environment():
    result = _check_deploy(
        {
            "SECRET_KEY": secrets.token_urlsafe(60),
            "DATABASE_URL": "postgresql://eoffice@db.internal:5432/eoffice",
        }
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _check_deploy({"DATABASE_URL": "postgresql://eoffice@db.internal:5432/eoffice"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
