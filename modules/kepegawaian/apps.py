from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KepegawaianConfig(AppConfig):
    name = "modules.kepegawaian"
    label = "kepegawaian"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from eoffice.core.modules import ModuleSpec, register

        register(
            ModuleSpec(
                name="kepegawaian",
                label=str(_("Kepegawaian")),
                description=str(_("Unit organisasi, jabatan dan pegawai (NIP).")),
                always_on=True,
                order=10,
            )
        )
