from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants.models import Tenant
from tenants.operations.exports import export_run
from tenants.operations.models import Export


class Command(BaseCommand):
    help = "Build a tenant's full export (JSON/CSV per table, files, manifest) now and print its storage key."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)

    def handle(self, *args, schema, **options):
        if not Tenant.objects.filter(schema_name=schema).exclude(schema_name="public").exists():
            raise CommandError(f"Unknown tenant schema: {schema}")
        export = Export.objects.create(
            schema_name=schema, requested_by="manage.py", created_at=timezone.now()
        )
        export = export_run(export_id=export.pk)
        self.stdout.write(
            f"Export #{export.pk}: {export.status}, {export.size_bytes} B at {export.storage_key} "
            f"(link valid until {export.expires_at:%Y-%m-%d %H:%M} UTC)"
        )
