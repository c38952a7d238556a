"""The platform-wide NIP registry (public schema): which regency holds each NIP now.

It holds nothing else, on purpose: personal data stays in the regency's own schema (UU 27/2022),
while a NIP stays unique across the whole platform and a transfer (mutasi) can find its source.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NipTerdaftar(models.Model):
    nip = models.CharField(
        _("NIP / NI PPPK"),
        max_length=18,
        unique=True,
        error_messages={"unique": _("NIP ini sudah terdaftar.")},
    )
    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("daerah"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("NIP terdaftar")
        verbose_name_plural = _("NIP terdaftar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nip__regex=r"^\d{18}$"),
                name="nip_terdaftar_18_digit",
                violation_error_message=_("NIP harus 18 digit angka."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nip[-4:]} → {self.tenant_id}"
