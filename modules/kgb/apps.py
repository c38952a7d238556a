from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KgbConfig(AppConfig):
    name = "modules.kgb"
    label = "kgb"
    verbose_name = _("Kenaikan gaji berkala")

    def ready(self) -> None:
        from celery.schedules import crontab

        from eoffice.celery import app as celery_app
        from eoffice.core.modules import MenuEntry, ModuleSpec, register

        register(
            ModuleSpec(
                name="kgb",
                label=str(_("KGB")),
                description=str(_("Kenaikan gaji berkala PNS: jadwal, pengingat, surat pemberitahuan.")),
                depends_on=("kepegawaian",),
                default_config={"kop_surat": {"pemerintah": "", "instansi": "", "alamat": ""}},
                menu=(MenuEntry(str(_("KGB mendatang")), "kgb:index"),),
                order=45,
            )
        )
        # Sent to every tenant by the tenant-aware beat scheduler; each tenant's task takes its own
        # local date (WIB/WITA/WIT), and the pass is idempotent, so a few runs a day are harmless.
        celery_app.conf.beat_schedule.setdefault(
            "kgb-pengingat-harian",
            {"task": "kgb.pengingat_harian", "schedule": crontab(minute=5, hour="*/6")},
        )
