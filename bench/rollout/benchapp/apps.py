from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    """A tenant app that exists only for the rollout benchmark (never installed by the project)."""

    name = "benchapp"
    label = "benchapp"
    default_auto_field = "django.db.models.BigAutoField"
