from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.services import platform_tenant_ensure


class Command(BaseCommand):
    help = "Create the platform's own (public) tenant and root host name. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--domain", default=settings.ROOT_DOMAIN)

    def handle(self, *args, domain: str, **options):
        tenant = platform_tenant_ensure(domain=domain)
        self.stdout.write(f"Platform tenant ready on {domain} (schema {tenant.schema_name}).")
