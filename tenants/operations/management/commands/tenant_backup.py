from django.core.management.base import BaseCommand, CommandError

from tenants.models import Tenant
from tenants.operations.backups import backup_create
from tenants.operations.models import Backup
from tenants.operations.storage import BackupStorageError


class Command(BaseCommand):
    help = (
        "Back up tenants now: pg_dump -n of each schema plus its files and a manifest, to the backup storage."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--schema", action="append", default=[], help="Tenant schema (repeatable).")
        target.add_argument("--all", action="store_true", help="Every tenant.")

    def handle(self, *args, schema, all, **options):  # noqa: A002
        tenants = Tenant.objects.exclude(schema_name="public")
        if not all:
            tenants = tenants.filter(schema_name__in=schema)
            missing = set(schema) - set(tenants.values_list("schema_name", flat=True))
            if missing:
                raise CommandError(f"Unknown tenant schema(s): {', '.join(sorted(missing))}")
        failed = 0
        for tenant in tenants.order_by("schema_name"):
            try:
                backup = backup_create(tenant=tenant, trigger=Backup.Trigger.MANUAL, requested_by="manage.py")
            except BackupStorageError as exc:
                failed += 1
                self.stderr.write(f"{tenant.schema_name}: FAILED {exc}")
                continue
            self.stdout.write(
                f"{tenant.schema_name}: backup #{backup.pk} {backup.prefix} "
                f"dump {backup.dump_bytes} B, {backup.files_count} file(s), {backup.duration_ms} ms"
            )
        if failed:
            raise CommandError(f"{failed} backup(s) failed; the alert was raised and the failures recorded.")
