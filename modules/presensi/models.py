"""Presensi: one judged status per employee per working day, the input of TPP.

Rules in DOMAIN.md ("Presensi"): times stored in UTC, judged in the tenant's zone; lateness
TL1–TL4 and leaving early PSW1–PSW4 by 30-minute bands.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusHarian(models.Model):
    """The day's status of one employee, computed after the working day (and on demand)."""

    class Status(models.TextChoices):
        HADIR = "hadir", _("Hadir")
        DL = "dl", _("Dinas luar")
        DIKLAT = "diklat", _("Diklat")
        TB = "tb", _("Tugas belajar")
        IZIN = "izin", _("Izin")
        SAKIT = "sakit", _("Sakit")
        CUTI = "cuti", _("Cuti")
        WFH = "wfh", _("Bekerja dari rumah")
        TK = "tk", _("Tanpa keterangan")
        LIBUR = "libur", _("Libur")

    pegawai = models.ForeignKey("kepegawaian.Pegawai", on_delete=models.CASCADE, related_name="status_harian")
    tanggal = models.DateField(_("tanggal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Jenis cuti (CT, CB, CS, CM, CAP, CLTN) when status is cuti.
    jenis_cuti = models.CharField(_("jenis cuti"), max_length=4, blank=True)
    # Lateness (TL) and leaving early (PSW) bands 0–4: 1–30, 31–60, 61–90, ≥91 minutes or missing.
    terlambat_menit = models.PositiveIntegerField(_("terlambat (menit)"), default=0)
    pulang_cepat_menit = models.PositiveIntegerField(_("pulang cepat (menit)"), default=0)
    tl = models.PositiveSmallIntegerField(_("band TL"), default=0)
    psw = models.PositiveSmallIntegerField(_("band PSW"), default=0)
    # The document that excuses the day (surat tugas, surat cuti, surat dokter…).
    dokumen = models.CharField(_("dokumen"), max_length=200, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status harian")
        verbose_name_plural = _("status harian")
        ordering = ["tanggal", "pegawai"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tanggal"], name="status_harian_unik_per_hari"),
            models.CheckConstraint(
                condition=models.Q(tl__lte=4, psw__lte=4), name="status_harian_band_0_4"
            ),
        ]
        indexes = [models.Index(fields=["tanggal", "status"])]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.tanggal} {self.status}"
