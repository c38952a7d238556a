"""In-app notifications: what needs a user's attention, in their own regency's schema.

A notification points at a page inside the regency (`tautan`, a path) and, optionally, at the
object it is about (`objek_tipe` + `objek_id`, the same plain label + id the audit log uses), so
the kernel never imports a module's models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notifikasi(models.Model):
    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifikasi",
    )
    # Who produced it and why, as "<modul>.<kejadian>" (e.g. "kgb.draf", "cuti.disetujui").
    jenis = models.CharField(_("jenis"), max_length=50)
    judul = models.CharField(_("judul"), max_length=200)
    isi = models.TextField(_("isi"), blank=True)
    tautan = models.CharField(_("tautan"), max_length=500, blank=True)
    objek_tipe = models.CharField(_("jenis objek"), max_length=100, blank=True)
    objek_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    dibaca_pada = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    # Set by the e-mail task once sent, so a retried or repeated task never mails twice.
    email_dikirim_pada = models.DateTimeField(_("e-mail dikirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A periodic producer that runs again (or a retried request) never notifies twice.
            models.UniqueConstraint(
                fields=["penerima", "jenis", "objek_tipe", "objek_id"],
                condition=~Q(objek_id=""),
                name="notifikasi_unik_per_penerima_jenis_objek",
                violation_error_message=_("Notifikasi ini sudah dikirim ke penerima yang sama."),
            ),
            models.CheckConstraint(
                condition=Q(tautan="") | (Q(tautan__startswith="/") & ~Q(tautan__startswith="//")),
                name="notifikasi_tautan_di_dalam_situs",
                violation_error_message=_("Tautan notifikasi harus alamat di dalam situs ini (diawali /)."),
            ),
        ]
        indexes = [
            # The bell: one COUNT of a user's unread rows on every page.
            models.Index(
                fields=["penerima"], condition=Q(dibaca_pada__isnull=True), name="notifikasi_belum_dibaca"
            ),
            # The list: a user's notifications, newest first.
            models.Index(fields=["penerima", "-created_at", "-id"], name="notifikasi_penerima_terbaru"),
        ]

    def __str__(self) -> str:
        return self.judul

    @property
    def sudah_dibaca(self) -> bool:
        return self.dibaca_pada is not None
