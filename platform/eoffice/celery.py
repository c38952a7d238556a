"""The Celery app. Tasks are tenant-aware: each carries the schema it was sent from."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings.local")

app = CeleryApp("eoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.broker_url.startswith("filesystem"):
    # The server-less broker keeps its queue in folders that must exist before anyone sends.
    from pathlib import Path

    for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(app.conf.broker_transport_options[folder]).mkdir(parents=True, exist_ok=True)
    if app.conf.result_backend.startswith("file://"):
        Path(app.conf.result_backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
