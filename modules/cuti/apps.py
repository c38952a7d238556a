from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CutiConfig(AppConfig):
    name = "modules.cuti"
    label = "cuti"
    verbose_name = _("Cuti")

    def ready(self) -> None:
        from eoffice.core.modules import MenuEntry, ModuleSpec, register
        from modules.cuti.selectors import cuti_pengecualian
        from modules.presensi.services import pengecualian_provider_register

        register(
            ModuleSpec(
                name="cuti",
                label=str(_("Cuti")),
                description=str(_("Cuti PNS menurut PP 11/2017: saldo, permohonan, persetujuan berjenjang.")),
                depends_on=("kepegawaian", "presensi"),
                menu=(
                    MenuEntry(str(_("Cuti saya")), "cuti:daftar"),
                    MenuEntry(str(_("Persetujuan cuti")), "cuti:persetujuan"),
                ),
                order=25,
            )
        )
        # Approved leave sets the daily status of its days (DOMAIN.md "Cuti").
        pengecualian_provider_register(cuti_pengecualian)
