from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "eoffice.core"
    label = "core"
    verbose_name = "e-Office core"

    def ready(self) -> None:
        from eoffice.core import observability

        observability.configure()
