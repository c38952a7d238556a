"""A tenant is one kabupaten/kota with its own PostgreSQL schema and host names."""

import uuid
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
    plan = models.CharField(_("paket"), max_length=20, default="standar")
    # Set when an archived tenant is scheduled for deletion; the schema is dropped after it.
    delete_after = models.DateTimeField(_("dihapus setelah"), null=True, blank=True)
    # Branding and module settings; validated and versioned by the configuration service.
    config = models.JSONField(_("konfigurasi"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas come from the template through tenants.provisioning, never from migrations.
    auto_create_schema = False
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


class Wilayah(models.Model):
    """Kemendagri administrative area (reference data, public schema); see tenants/reference/README.md."""

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABUPATEN_KOTA = 2, _("Kabupaten/kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA_KELURAHAN = 4, _("Desa/kelurahan")

    kode = models.CharField(_("kode"), max_length=13, primary_key=True)
    nama = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    timezone = models.CharField(_("zona waktu"), max_length=32)
    parent_kode = models.CharField(_("kode induk"), max_length=13, blank=True, db_index=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        indexes = [models.Index(fields=["level", "nama"], name="wilayah_level_nama")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    @property
    def jenis(self) -> str:
        # Kabupaten codes KK 01–69, kota 71–99 (Kemendagri).
        return Tenant.Jenis.KOTA if int(self.kode[-2:]) >= 71 else Tenant.Jenis.KABUPATEN


class PlatformSetting(models.Model):
    """The platform's own switches (one row), changed by operators in the console."""

    require_approval = models.BooleanField(_("pendaftaran perlu persetujuan operator"), default=False)
    retention_days = models.PositiveIntegerField(_("masa retensi sebelum penghapusan (hari)"), default=90)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan platform")

    def __str__(self) -> str:
        return "platform"

    @classmethod
    def load(cls) -> "PlatformSetting":
        setting, _created = cls.objects.get_or_create(pk=1)
        return setting


class Registration(models.Model):
    """A regency's application to join ("Daftarkan daerah Anda"), from the form to its tenant."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Menunggu verifikasi e-mail")
        AWAITING_APPROVAL = "awaiting_approval", _("Menunggu persetujuan operator")
        QUEUED = "queued", _("Dalam antrean penyiapan")
        PROVISIONING = "provisioning", _("Sedang disiapkan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        REJECTED = "rejected", _("Ditolak")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        SCHEMA = "schema", _("Membuat skema basis data")
        ADMIN = "admin", _("Membuat akun administrator")
        ORGANISATION = "organisation", _("Menyiapkan struktur organisasi")
        DONE = "done", _("Selesai")

    # Statuses in which the regency and subdomain stay taken by this application.
    OPEN_STATUSES = ("unverified", "awaiting_approval", "queued", "provisioning", "done")

    # The reference in progress-page URLs: unguessable, unlike the row id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wilayah = models.ForeignKey(Wilayah, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT)
    nama_pemohon = models.CharField(_("nama pemohon"), max_length=200)
    jabatan_pemohon = models.CharField(_("jabatan pemohon"), max_length=200)
    email = models.EmailField(_("e-mail dinas"))
    telepon = models.CharField(_("telepon"), max_length=20)
    subdomain = models.CharField(_("subdomain"), max_length=32)
    config_template = models.ForeignKey(
        "ConfigTemplate",
        verbose_name=_("mulai dari konfigurasi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    terms_accepted_at = models.DateTimeField(_("persetujuan ketentuan"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    step = models.CharField(_("tahap"), max_length=20, choices=Step.choices, default=Step.WAITING)
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("penyebab kegagalan"), blank=True)
    # One-time sign-in on the new host; set when the applicant has used it.
    login_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["wilayah"],
                condition=models.Q(
                    status__in=["unverified", "awaiting_approval", "queued", "provisioning", "done"]
                ),
                name="registration_one_open_per_wilayah",
                violation_error_message=_("Daerah ini sudah didaftarkan."),
            ),
            models.UniqueConstraint(
                fields=["subdomain"],
                condition=models.Q(
                    status__in=["unverified", "awaiting_approval", "queued", "provisioning", "done"]
                ),
                name="registration_one_open_per_subdomain",
                violation_error_message=_("Subdomain ini sudah dipakai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wilayah.nama} ({self.subdomain})"


class TenantConfigVersion(models.Model):
    """Every saved configuration of a tenant: who, when, what, why. The newest is current."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="config_versions")
    version = models.PositiveIntegerField()
    config = models.JSONField()
    actor = models.CharField(max_length=200, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "version"],
                name="config_version_unique",
                violation_error_message=_("Versi konfigurasi ini sudah ada; muat ulang lalu coba lagi."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant} v{self.version}"


class ConfigTemplate(models.Model):
    """A tenant's configuration published for others to adopt (settings only, never data)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="published_config")
    nama = models.CharField(_("nama templat"), max_length=150)
    config = models.JSONField()
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class ImpersonationGrant(models.Model):
    """An operator's time-limited support sign-in to a tenant, audited on both sides."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="impersonations")
    operator = models.CharField(max_length=200)
    operator_id = models.BigIntegerField()
    target_username = models.CharField(max_length=150)
    reason = models.CharField(max_length=300)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.operator} → {self.tenant}"
