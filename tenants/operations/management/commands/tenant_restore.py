from django.core.management.base import BaseCommand, CommandError

from eoffice.core.errors import ApplicationError
from tenants.operations.backups import backup_restore, restore_discard, restore_swap
from tenants.operations.models import Backup, Restore


class Command(BaseCommand):
    help = (
        "Restore a tenant backup into a NEW schema and verify it against the manifest; optionally swap it in "
        "(--swap RESTORE_ID --confirm <schema>) or discard it (--discard RESTORE_ID)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--backup", type=int, help="Backup id to restore.")
        action.add_argument("--latest", metavar="SCHEMA", help="Restore the newest good backup of a tenant.")
        action.add_argument("--swap", type=int, metavar="RESTORE_ID", help="Swap a verified restore in.")
        action.add_argument("--discard", type=int, metavar="RESTORE_ID", help="Drop a restored schema.")
        parser.add_argument(
            "--target", default="", help="Name of the new schema (default <schema>_restore_<ts>)."
        )
        parser.add_argument(
            "--confirm", default="", help="With --swap: the tenant's schema name, typed again."
        )

    def handle(self, *args, **options):
        try:
            if options["swap"]:
                restore = restore_swap(
                    restore=Restore.objects.get(pk=options["swap"]), confirm=options["confirm"], actor=None
                )
                kept = restore.verification["previous_schema"]
                self.stdout.write(
                    f"Swapped: {restore.source_schema} is now the restore; the old one is {kept}."
                )
                return
            if options["discard"]:
                restore = Restore.objects.get(pk=options["discard"])
                restore_discard(restore=restore)
                self.stdout.write(f"Dropped {restore.target_schema}.")
                return
            if options["latest"]:
                backup = (
                    Backup.objects.filter(schema_name=options["latest"], status=Backup.Status.SUCCEEDED)
                    .order_by("-created_at")
                    .first()
                )
                if backup is None:
                    raise CommandError(f"No good backup of {options['latest']}.")
            else:
                backup = Backup.objects.get(pk=options["backup"])
            restore = backup_restore(backup=backup, target_schema=options["target"], requested_by="manage.py")
        except (Backup.DoesNotExist, Restore.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        result = restore.verification
        self.stdout.write(
            f"Restore #{restore.pk}: {restore.status} into {restore.target_schema} "
            f"({result['tables']} tables, {result['rows']} rows, {result['files']} files; "
            f"mismatched: {', '.join(result['mismatched']) or 'none'})"
        )
        if restore.status != Restore.Status.VERIFIED:
            raise CommandError("Verification failed; the restored schema was dropped.")
        self.stdout.write(
            f"Swap it in with: manage.py tenant_restore --swap {restore.pk} --confirm {restore.source_schema}"
        )
