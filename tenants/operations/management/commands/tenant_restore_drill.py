import secrets
import time

from django.core.management.base import BaseCommand, CommandError

from eoffice.core.errors import ApplicationError
from tenants.models import Tenant
from tenants.operations.backups import backup_create, backup_restore, restore_discard
from tenants.operations.models import Backup, Restore


class Command(BaseCommand):
    help = (
        "Restore drill: take a random tenant's newest backup (or make one), restore it into a scratch schema, "
        "verify every table against the manifest, report, and drop the scratch schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", default="", help="Drill this tenant instead of a random one.")
        parser.add_argument("--fresh", action="store_true", help="Take a new backup for the drill.")

    def handle(self, *args, schema, fresh, **options):
        tenants = Tenant.objects.exclude(schema_name="public")
        if schema:
            tenants = tenants.filter(schema_name=schema)
        candidates = list(tenants.values_list("schema_name", flat=True))
        if not candidates:
            raise CommandError("No tenant to drill.")
        chosen = schema or secrets.choice(candidates)
        tenant = Tenant.objects.get(schema_name=chosen)
        backup = None
        if not fresh:
            backup = (
                Backup.objects.filter(schema_name=chosen, status=Backup.Status.SUCCEEDED)
                .order_by("-created_at")
                .first()
            )
        try:
            if backup is None:
                backup = backup_create(
                    tenant=tenant, trigger=Backup.Trigger.DRILL, requested_by="restore drill"
                )
            start = time.perf_counter()
            restore = backup_restore(
                backup=backup,
                target_schema=f"drill_{chosen}_{secrets.token_hex(3)}"[:63],
                requested_by="restore drill",
            )
        except ApplicationError as exc:
            raise CommandError(f"Drill of {chosen} failed: {exc.message}") from exc
        seconds = time.perf_counter() - start
        result = restore.verification
        self.stdout.write(
            f"Drill {chosen}: backup #{backup.pk} of {backup.created_at:%Y-%m-%d %H:%M} UTC restored in "
            f"{seconds:.1f} s — {restore.status}: {result['tables']} tables, {result['rows']} rows, "
            f"{result['files']} files, mismatched: {', '.join(result['mismatched']) or 'none'}"
        )
        if restore.status == Restore.Status.VERIFIED:
            restore_discard(restore=restore)
        else:
            raise CommandError("Restore drill FAILED verification.")
