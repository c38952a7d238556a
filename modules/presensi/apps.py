from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresensiConfig(AppConfig):
    name = "modules.presensi"
    label = "presensi"
    verbose_name = _("Presensi")

    def ready(self) -> None:
        from celery.schedules import crontab

        from eoffice.celery import app as celery_app
        from eoffice.core.modules import MenuEntry, ModuleSpec, register
        from modules.presensi.config import DEFAULTS

        admin = ("admin_pemda", "admin_opd")
        register(
            ModuleSpec(
                name="presensi",
                label=str(_("Presensi")),
                description=str(
                    _("Presensi dari ponsel dengan geofence dan swafoto, jadwal, status harian.")
                ),
                depends_on=("kepegawaian",),
                default_config=dict(DEFAULTS),
                demo_seed="modules.presensi.demo.demo_seed",
                demo_history="modules.presensi.demo.demo_history",
                menu=(
                    MenuEntry(str(_("Presensi sekarang")), "presensi:app"),
                    MenuEntry(str(_("Riwayat presensi")), "presensi:riwayat"),
                    MenuEntry(str(_("Koreksi presensi")), "presensi:koreksi"),
                    MenuEntry(str(_("Lokasi kantor")), "presensi:lokasi", roles=admin),
                    MenuEntry(str(_("Jadwal dan hari libur")), "presensi:jadwal", roles=admin),
                    MenuEntry(str(_("Status harian")), "presensi:harian", roles=admin),
                    MenuEntry(str(_("Rekap bulanan")), "presensi:rekap", roles=(*admin, "pimpinan")),
                ),
                order=20,
            )
        )
        # Sent to every tenant by the tenant-aware beat scheduler; each tenant's task decides from
        # its own zone whether its day is over (see tasks.tutup_hari).
        celery_app.conf.beat_schedule.setdefault(
            "presensi-tutup-hari", {"task": "presensi.tutup_hari", "schedule": crontab(minute="*/15")}
        )
        celery_app.conf.beat_schedule.setdefault(
            "presensi-hapus-swafoto",
            {"task": "presensi.hapus_swafoto", "schedule": crontab(minute=17, hour=19)},
        )
