from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TppConfig(AppConfig):
    name = "modules.tpp"
    label = "tpp"
    verbose_name = _("Tambahan penghasilan pegawai")
