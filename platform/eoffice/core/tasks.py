from typing import Any

from celery import shared_task

from eoffice.core.db import connection


@shared_task(name="core.tenant_probe")
def tenant_probe() -> dict[str, Any]:
    """Report which schema this task ran in and what that schema holds.

    Used by `manage.py worker_check` to prove, end to end, that workers are up and that a task
    runs in the schema of the tenant that sent it.
    """
    from eoffice.accounts.models import User

    return {
        "schema": connection.schema_name,
        "tenant": getattr(connection.tenant, "name", ""),
        "users": User.objects.count(),
    }
