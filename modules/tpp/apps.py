from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TppConfig(AppConfig):
    name = "modules.tpp"
    label = "tpp"
    verbose_name = _("Tambahan penghasilan pegawai")

    def ready(self) -> None:
        from eoffice.core.modules import MenuEntry, ModuleSpec, register

        admin = ("admin_pemda", "admin_opd")
        register(
            ModuleSpec(
                name="tpp",
                label=str(_("TPP")),
                description=str(
                    _("Tambahan penghasilan pegawai: Perbup, kinerja, perhitungan bulanan, slip.")
                ),
                depends_on=("kepegawaian", "presensi"),
                demo_seed="modules.tpp.demo.tpp_demo_seed",
                demo_history="modules.tpp.demo.tpp_demo_history",
                menu=(
                    MenuEntry(str(_("TPP dan slip saya")), "tpp:index"),
                    MenuEntry(str(_("Nilai kinerja")), "tpp:kinerja", roles=(*admin, "pimpinan")),
                    MenuEntry(str(_("Serapan anggaran OPD")), "tpp:serapan", roles=("admin_pemda",)),
                    MenuEntry(str(_("Parameter TPP (Perbup)")), "tpp:perbup", roles=admin),
                    MenuEntry(str(_("Hukuman disiplin")), "tpp:hukdis", roles=admin),
                ),
                order=40,
            )
        )
