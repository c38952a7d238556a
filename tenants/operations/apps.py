from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tenants.operations"
    label = "operations"
    verbose_name = "Operasi tenant (rollout, cadangan, ekspor)"
