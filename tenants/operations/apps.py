from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tenants.operations"
    label = "operations"
    verbose_name = "Operasi tenant (rollout, cadangan, ekspor)"

    def ready(self) -> None:
        from celery.schedules import crontab

        from eoffice.celery import app as celery_app

        # Sent to every tenant hourly; each decides from its last backup whether it is due, so
        # backups spread over the day instead of all tenants dumping at midnight.
        celery_app.conf.beat_schedule.setdefault(
            "operations-tenant-backup",
            {"task": "operations.tenant_backup_scheduled", "schedule": crontab(minute=7)},
        )
        celery_app.conf.beat_schedule.setdefault(
            "operations-tenants-purge",
            {
                "task": "operations.tenants_purge_expired",
                "schedule": crontab(minute=23, hour=19),
                "tenant_schemas": ["public"],
            },
        )
        celery_app.conf.beat_schedule.setdefault(
            "operations-backup-prune",
            {
                "task": "operations.backup_prune",
                "schedule": crontab(minute=41, hour=20),
                "tenant_schemas": ["public"],
            },
        )
