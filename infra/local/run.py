"""`make run`: database, migrations, demo regencies, then web server + Celery worker + beat.

Ctrl-C stops the three processes; the embedded PostgreSQL keeps running so the next start takes
seconds (`make clean-db` stops it and deletes the data).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings.local")


def main() -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command

    from eoffice.core.db import database_url

    django.setup()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    call_command("platform_init")
    call_command("demo_seed", history=True)

    env = dict(os.environ)
    # Children reuse the server this process started instead of looking for it again.
    env.setdefault("DATABASE_URL", database_url(settings.DATABASES["default"]))
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    commands = {
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "eoffice",
            "worker",
            "-l",
            "INFO",
            "--concurrency",
            "2",
            "-Q",
            "default,documents,imports,billing",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "eoffice",
            "beat",
            "-l",
            "INFO",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
        "web": [python, "manage.py", "runserver", f"0.0.0.0:{port}"],
    }
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT / "platform")})
        for name, command in commands.items()
    }

    def stop(*_args: object) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
    finally:
        stop()
        for process in processes.values():
            process.wait(timeout=20)
    return max(process.returncode or 0 for process in processes.values())


if __name__ == "__main__":
    sys.exit(main())
