from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "eoffice.audit"
    label = "audit"
    verbose_name = "Jejak audit"
