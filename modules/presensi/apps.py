from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresensiConfig(AppConfig):
    name = "modules.presensi"
    label = "presensi"
    verbose_name = _("Presensi")

    def ready(self) -> None:
        from eoffice.core.modules import ModuleSpec, register

        register(
            ModuleSpec(
                name="presensi",
                label=str(_("Presensi")),
                description=str(_("Presensi dari ponsel dengan geofence dan swafoto, jadwal, status harian.")),
                depends_on=("kepegawaian",),
                order=20,
            )
        )
