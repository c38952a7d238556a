"""KGB (kenaikan gaji berkala): one row per planned periodic raise of a PNS, from the draft surat
pemberitahuan (T−120 days) through postponement or issue. Rules in DOMAIN.md ("KGB") and gaji.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.kepegawaian.models import Golongan, Pegawai


class Kgb(models.Model):
    class Status(models.TextChoices):
        DRAF = "draf", _("Draf surat pemberitahuan")
        DITUNDA = "ditunda", _("Ditunda")
        DITERBITKAN = "diterbitkan", _("Diterbitkan (belum ditandatangani elektronik)")

    class Predikat(models.TextChoices):
        # Predikat kinerja pegawai (PermenPANRB 6/2022); KGB needs at least "baik".
        SANGAT_BAIK = "sangat_baik", _("Sangat baik")
        BAIK = "baik", _("Baik")
        BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh perbaikan")
        KURANG = "kurang", _("Kurang")
        SANGAT_KURANG = "sangat_kurang", _("Sangat kurang")

    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.PROTECT, related_name="kgb")
    tmt = models.DateField(_("TMT KGB"))
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=Golongan.choices)
    cpns = models.BooleanField(_("CPNS (80%)"), default=False)
    mkg_lama_tahun = models.PositiveSmallIntegerField(_("MKG lama (tahun)"))
    mkg_lama_bulan = models.PositiveSmallIntegerField(_("MKG lama (bulan)"))
    mkg_baru_tahun = models.PositiveSmallIntegerField(_("MKG baru (tahun)"))
    gaji_lama = models.PositiveBigIntegerField(_("gaji pokok lama (Rp)"))
    gaji_baru = models.PositiveBigIntegerField(_("gaji pokok baru (Rp)"))
    tabel = models.CharField(_("tabel gaji"), max_length=20)
    catatan_tabel = models.CharField(_("catatan tabel"), max_length=300, blank=True)
    # What the letter cites: the last SK pangkat and the last KGB (or appointment), as text.
    dasar_pangkat = models.CharField(_("SK pangkat terakhir"), max_length=255, blank=True)
    dasar_gaji = models.CharField(_("SK gaji terakhir"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAF)
    predikat_kinerja = models.CharField(
        _("predikat kinerja"), max_length=20, choices=Predikat.choices, blank=True
    )
    alasan_tunda = models.TextField(_("alasan penundaan"), blank=True)
    ditunda_sampai = models.DateField(_("ditunda sampai"), null=True, blank=True)
    nomor_surat = models.CharField(_("nomor surat"), max_length=100, blank=True)
    tanggal_surat = models.DateField(_("tanggal surat"), null=True, blank=True)
    penandatangan = models.ForeignKey(
        "kepegawaian.Pegawai", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The signer as printed, so a later transfer never changes an issued letter.
    penandatangan_nama = models.CharField(max_length=300, blank=True)
    penandatangan_nip = models.CharField(max_length=18, blank=True)
    penandatangan_jabatan = models.CharField(max_length=255, blank=True)
    diterbitkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diterbitkan_pada = models.DateTimeField(null=True, blank=True)
    pengingat_t60_pada = models.DateTimeField(_("peringatan T−60 dikirim"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kenaikan gaji berkala")
        verbose_name_plural = _("kenaikan gaji berkala")
        ordering = ["tmt", "pegawai"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "tmt"],
                name="kgb_unik_per_tmt",
                violation_error_message=_("KGB pegawai ini dengan TMT yang sama sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(tmt__day=1),
                name="kgb_tmt_tanggal_1",
                violation_error_message=_("TMT KGB adalah tanggal 1 suatu bulan."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ditunda")
                | (~models.Q(alasan_tunda="") & models.Q(ditunda_sampai__isnull=False)),
                name="kgb_ditunda_punya_alasan",
                violation_error_message=_("KGB yang ditunda harus punya alasan dan tanggal akhir penundaan."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="diterbitkan")
                | (~models.Q(nomor_surat="") & models.Q(tanggal_surat__isnull=False)),
                name="kgb_terbit_punya_nomor",
                violation_error_message=_("Surat KGB yang diterbitkan harus punya nomor dan tanggal."),
            ),
        ]
        indexes = [models.Index(fields=["status", "tmt"])]

    def __str__(self) -> str:
        return f"KGB {self.pegawai_id} {self.tmt:%Y-%m}"

    @property
    def penandatangan_nip_display(self) -> str:
        """The signer's NIP as recorded on the letter, printed as kepegawaian prints it."""
        return Pegawai(nip=self.penandatangan_nip).nip_display
