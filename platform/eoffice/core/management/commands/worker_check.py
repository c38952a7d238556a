from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from eoffice.core.tasks import tenant_probe
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Send a probe task from a tenant's schema and wait for a worker to answer from that schema."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="tenant schema name, e.g. kendari")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, schema: str, timeout: float, **options):
        if not Tenant.objects.filter(schema_name=schema).exists():
            raise CommandError(f"No tenant with schema {schema!r}.")
        with schema_context(schema):
            result = tenant_probe.delay()
        try:
            answer = result.get(timeout=timeout)
        except Exception as exc:
            raise CommandError(f"No worker answered within {timeout:.0f} s: {exc}") from exc
        if answer["schema"] != schema:
            raise CommandError(f"The task ran in schema {answer['schema']!r}, not {schema!r}.")
        self.stdout.write(f"Worker answered from schema {answer['schema']} ({answer['tenant']}).")
