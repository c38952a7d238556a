from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KgbConfig(AppConfig):
    name = "modules.kgb"
    label = "kgb"
    verbose_name = _("Kenaikan gaji berkala")
