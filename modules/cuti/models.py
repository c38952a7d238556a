"""Cuti (leave) of PNS per PP 11/2017 and Peraturan BKN 24/2017: requests, approvals, and a
per-employee, per-year ledger of cuti tahunan days."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.core.files import tenant_attachment_path


class JenisCuti(models.TextChoices):
    TAHUNAN = "CT", _("Cuti tahunan")
    BESAR = "CB", _("Cuti besar")
    SAKIT = "CS", _("Cuti sakit")
    MELAHIRKAN = "CM", _("Cuti melahirkan")
    ALASAN_PENTING = "CAP", _("Cuti karena alasan penting")
    CLTN = "CLTN", _("Cuti di luar tanggungan negara")


def lampiran_upload_to(instance: models.Model, filename: str) -> str:
    return tenant_attachment_path("cuti", filename)


class PermohonanCuti(models.Model):
    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI_ATASAN = "disetujui_atasan", _("Disetujui atasan, menunggu pejabat berwenang")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    pegawai = models.ForeignKey(
        "kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="permohonan_cuti"
    )
    jenis = models.CharField(_("jenis cuti"), max_length=4, choices=JenisCuti.choices)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    # Working days for CT/CS/CAP, calendar days for the others.
    lama_hari = models.PositiveIntegerField(_("lama (hari)"))
    alasan = models.TextField(_("alasan"))
    alamat_selama_cuti = models.CharField(_("alamat selama cuti"), max_length=255, blank=True)
    anak_ke = models.PositiveSmallIntegerField(_("anak ke-"), null=True, blank=True)
    lampiran = models.FileField(_("lampiran"), upload_to=lampiran_upload_to, max_length=255, blank=True)
    # Cuti sakit beyond 14 days needs a government doctor's note (PP 11/2017 art. 322).
    dokter_pemerintah = models.BooleanField(_("surat keterangan dokter pemerintah"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DIAJUKAN)
    # Level 1: the superior; level 2 (cuti besar, melahirkan, CLTN): the superior's superior.
    tingkat = models.PositiveSmallIntegerField(_("tingkat persetujuan"), default=1)
    atasan = models.ForeignKey("kepegawaian.Pegawai", null=True, on_delete=models.SET_NULL, related_name="+")
    pejabat = models.ForeignKey(
        "kepegawaian.Pegawai", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nomor_surat = models.CharField(_("nomor surat izin cuti"), max_length=100, blank=True)
    catatan = models.CharField(_("catatan"), max_length=255, blank=True)
    diputus_atasan_pada = models.DateTimeField(null=True, blank=True)
    diputus_pada = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("permohonan cuti")
        verbose_name_plural = _("permohonan cuti")
        ordering = ["-mulai", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__gte=models.F("mulai")),
                name="cuti_periode_urut",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=models.Q(tingkat__in=[1, 2]),
                name="cuti_tingkat_1_2",
                violation_error_message=_("Tingkat persetujuan 1 atau 2."),
            ),
        ]
        indexes = [models.Index(fields=["pegawai", "status", "mulai"])]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.mulai}–{self.selesai}"


class MutasiSaldoCuti(models.Model):
    """One movement in an employee's cuti tahunan ledger for a year; the balance is the sum."""

    class Jenis(models.TextChoices):
        HAK = "hak", _("Hak cuti tahun berjalan")
        SISA_LALU = "sisa_lalu", _("Sisa cuti tahun lalu")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        PEMAKAIAN = "pemakaian", _("Pemakaian")
        PENGEMBALIAN = "pengembalian", _("Pengembalian (cuti dibatalkan)")
        PENYESUAIAN = "penyesuaian", _("Penyesuaian oleh admin")

    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="mutasi_cuti")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    jenis = models.CharField(_("jenis"), max_length=15, choices=Jenis.choices)
    hari = models.IntegerField(_("hari"))
    permohonan = models.ForeignKey(
        PermohonanCuti, null=True, blank=True, on_delete=models.PROTECT, related_name="mutasi"
    )
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mutasi saldo cuti")
        verbose_name_plural = _("mutasi saldo cuti")
        ordering = ["pegawai", "tahun", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "tahun", "jenis"],
                condition=models.Q(jenis__in=["hak", "sisa_lalu", "cuti_bersama"]),
                name="saldo_cuti_dibuka_sekali",
                violation_error_message=_("Saldo cuti tahun ini sudah dibuka."),
            ),
            models.UniqueConstraint(
                fields=["permohonan", "jenis"],
                condition=models.Q(jenis__in=["pemakaian", "pengembalian"]),
                name="saldo_cuti_sekali_per_permohonan",
                violation_error_message=_("Permohonan ini sudah dibukukan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.tahun} {self.jenis} {self.hari:+d}"
