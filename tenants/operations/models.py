"""Public-schema records of operating many tenants: rollouts, backups, restores, exports, deletions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Rollout(models.Model):
    """One run of the code's migrations over every schema (public, managed, canary, waves)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Sebagian gagal")
        HALTED = "halted", _("Dihentikan")
        INTERRUPTED = "interrupted", _("Terputus")

    class OnFailure(models.TextChoices):
        KEEP = "keep", _("Biarkan pada keadaan terakhir yang baik")
        MAINTENANCE = "maintenance", _("Masukkan ke mode pemeliharaan")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    on_failure = models.CharField(max_length=12, choices=OnFailure.choices, default=OnFailure.KEEP)
    workers = models.PositiveSmallIntegerField(default=4)
    canary = models.JSONField(default=list, blank=True)
    # Every migration of the code when the rollout started ("app.name"), the head it aims for.
    target = models.JSONField(default=list, blank=True)
    started_by = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    resumed_count = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workers__gte=1, workers__lte=64),
                name="rollout_workers_1_64",
                violation_error_message=_("Jumlah worker harus 1–64."),
            )
        ]

    def __str__(self) -> str:
        return f"Rollout #{self.pk} ({self.status})"


class RolloutTenant(models.Model):
    """One schema inside one rollout: its wave, what it had to apply, how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Sudah mutakhir")

    class Method(models.TextChoices):
        EXECUTOR = "executor", _("Executor Django")
        REPLAY = "replay", _("SQL yang direkam")
        NONE = "", _("-")

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="tenants")
    schema_name = models.CharField(max_length=63)
    # 0 public, 1 template and spare schemas, 2 canary, 3.. the parallel waves.
    wave = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=10, choices=Method.choices, default="", blank=True)
    migrations = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["wave", "schema_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rollout", "schema_name"],
                name="rollout_tenant_unique_schema",
                violation_error_message=_("Skema ini sudah tercatat dalam rollout tersebut."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.schema_name} @ rollout {self.rollout_id}: {self.status}"


class SchemaState(models.Model):
    """The last known migration state of one schema, kept for the console and /health/."""

    schema_name = models.CharField(max_length=63, unique=True)
    at_head = models.BooleanField(default=False)
    applied_count = models.PositiveIntegerField(default=0)
    pending = models.JSONField(default=list, blank=True)
    last_rollout = models.ForeignKey(Rollout, null=True, blank=True, on_delete=models.SET_NULL)
    last_result = models.CharField(max_length=10, blank=True)
    last_error = models.TextField(blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["schema_name"]

    def __str__(self) -> str:
        return f"{self.schema_name}: {'head' if self.at_head else 'behind'}"


class Backup(models.Model):
    """A logical backup of one tenant: its schema dump, its files and a manifest."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")
        DELETED = "deleted", _("Dihapus")

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        MANUAL = "manual", _("Atas permintaan")
        DRILL = "drill", _("Latihan pemulihan")

    schema_name = models.CharField(max_length=63, db_index=True)
    tenant_kode = models.CharField(max_length=5, blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # Object-storage key prefix: tenants/<schema>/backups/<timestamp>/
    prefix = models.CharField(max_length=255, blank=True)
    dump_bytes = models.BigIntegerField(null=True, blank=True)
    files_count = models.PositiveIntegerField(null=True, blank=True)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Backup {self.schema_name} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class Restore(models.Model):
    """A backup restored into a new schema, verified against its manifest, optionally swapped in."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        VERIFIED = "verified", _("Terverifikasi")
        MISMATCH = "mismatch", _("Tidak cocok")
        REFUSED = "refused", _("Ditolak")
        FAILED = "failed", _("Gagal")
        SWAPPED = "swapped", _("Ditukar")

    backup = models.ForeignKey(Backup, on_delete=models.SET_NULL, null=True, related_name="restores")
    source_schema = models.CharField(max_length=63)
    target_schema = models.CharField(max_length=63)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    verification = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Restore {self.source_schema} → {self.target_schema} ({self.status})"


class Export(models.Model):
    """A regency's full data export (JSON and CSV per table, files, manifest) with an expiring link."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Diproses")
        READY = "ready", _("Siap diunduh")
        FAILED = "failed", _("Gagal")
        EXPIRED = "expired", _("Kedaluwarsa")

    schema_name = models.CharField(max_length=63, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    storage_key = models.CharField(max_length=255, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    requested_by = models.CharField(max_length=150)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="export_progress_0_100",
                violation_error_message=_("Progres ekspor harus 0–100."),
            )
        ]

    def __str__(self) -> str:
        return f"Ekspor {self.schema_name} ({self.status})"


class TenantDeletion(models.Model):
    """A tenant scheduled for deletion after its retention period, and what was deleted."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        DELETED = "deleted", _("Dihapus")
        CANCELLED = "cancelled", _("Dibatalkan")

    schema_name = models.CharField(max_length=63, unique=True)
    tenant_name = models.CharField(max_length=100)
    tenant_kode = models.CharField(max_length=5, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    requested_by = models.CharField(max_length=150)
    reason = models.TextField()
    requested_at = models.DateTimeField()
    delete_after = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    # What went: tables with their row counts, files, backups.
    deleted = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["delete_after"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delete_after__gte=models.F("requested_at")),
                name="tenant_deletion_after_request",
                violation_error_message=_("Tanggal penghapusan tidak boleh sebelum tanggal permintaan."),
            )
        ]

    def __str__(self) -> str:
        return f"Penghapusan {self.schema_name} ({self.status})"
