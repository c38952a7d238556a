"""The Celery app. Tasks are tenant-aware: each carries the schema it was sent from."""

import os
from pathlib import Path
from typing import Any

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings.local")

app = CeleryApp("eoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender: CeleryApp, **kwargs: Any) -> None:
    # The server-less broker keeps its queue in folders that must exist before anyone sends.
    # Done once the configuration is read (not at import: settings may still be loading).
    conf = sender.conf
    if conf.broker_url.startswith("filesystem"):
        for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(conf.broker_transport_options[folder]).mkdir(parents=True, exist_ok=True)
    if conf.result_backend and conf.result_backend.startswith("file://"):
        Path(conf.result_backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
