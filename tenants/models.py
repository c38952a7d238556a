"""A tenant is one kabupaten/kota with its own PostgreSQL schema and host names."""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants import routing


class Tenant(TenantMixin):
    class Jenis(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        PLATFORM = "platform", _("Platform")

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Sedang disiapkan")
        ACTIVE = "active", _("Aktif")
        SUSPENDED = "suspended", _("Ditangguhkan")
        MAINTENANCE = "maintenance", _("Pemeliharaan")
        ARCHIVED = "archived", _("Diarsipkan")

    class Zona(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (UTC+7)"
        WITA = "Asia/Makassar", "WITA (UTC+8)"
        WIT = "Asia/Jayapura", "WIT (UTC+9)"

    # Kemendagri code of the kabupaten/kota, e.g. "74.71"; empty only for the platform itself.
    kode = models.CharField(_("kode wilayah"), max_length=5, null=True, blank=True, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    provinsi = models.CharField(_("provinsi"), max_length=100, blank=True)
    timezone = models.CharField(_("zona waktu"), max_length=32, choices=Zona.choices, default=Zona.WIB)
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # Branding and module settings; validated and versioned by the configuration service.
    config = models.JSONField(_("konfigurasi"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jenis="platform") | models.Q(kode__regex=r"^\d{2}\.\d{2}$"),
                name="tenant_kode_format",
                violation_error_message=_("Kode wilayah harus berbentuk PP.KK, misalnya 74.71."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.jenis == self.Jenis.PLATFORM

    @property
    def brand_color(self) -> str:
        return self.config.get("branding", {}).get("primary_color", "#0f5c8c")

    @property
    def logo_url(self) -> str:
        return self.config.get("branding", {}).get("logo_url", "")

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _invalidate_routing()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        _invalidate_routing()
        return result


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _invalidate_routing()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        _invalidate_routing()
        return result


def _invalidate_routing() -> None:
    # Now for this process, and again after commit so that no other process caches the old row
    # between our write and its commit.
    routing.invalidate()
    transaction.on_commit(routing.invalidate)
