from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "eoffice.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
