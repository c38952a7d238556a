from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KepegawaianConfig(AppConfig):
    name = "modules.kepegawaian"
    label = "kepegawaian"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from eoffice.core.modules import MenuEntry, ModuleSpec, register

        admins = ("admin_pemda", "admin_opd")
        register(
            ModuleSpec(
                name="kepegawaian",
                label=str(_("Kepegawaian")),
                description=str(_("Unit organisasi, jabatan dan pegawai (NIP).")),
                menu=(
                    MenuEntry(str(_("Profil saya")), "kepegawaian:profil"),
                    MenuEntry(str(_("Pegawai")), "kepegawaian:pegawai-list"),
                    MenuEntry(
                        str(_("Unit organisasi")), "kepegawaian:unit-tree", roles=(*admins, "pimpinan")
                    ),
                    MenuEntry(
                        str(_("Permintaan perubahan profil")), "kepegawaian:perubahan-list", roles=admins
                    ),
                    MenuEntry(str(_("Impor dan ekspor")), "kepegawaian:impor", roles=admins),
                    MenuEntry(str(_("Mutasi antardaerah")), "kepegawaian:mutasi", roles=("admin_pemda",)),
                    MenuEntry(str(_("Peran dan akses")), "kepegawaian:peran", roles=("admin_pemda",)),
                ),
                always_on=True,
                demo_seed="modules.kepegawaian.demo.demo_seed",
                order=10,
            )
        )
