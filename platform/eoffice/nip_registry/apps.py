from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NipRegistryConfig(AppConfig):
    name = "eoffice.nip_registry"
    label = "nip_registry"
    verbose_name = _("Registri NIP platform")
