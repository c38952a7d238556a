from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.provisioning import spare_pool_fill, template_ensure
from tenants.services import platform_tenant_ensure


class Command(BaseCommand):
    help = (
        "Create the platform's own (public) tenant and root host name, bring the tenant template to the "
        "migration head and fill the pool of spare schemas. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--domain", default=settings.ROOT_DOMAIN)
        parser.add_argument("--spares", type=int, default=None, help="Spare schemas to keep ready.")

    def handle(self, *args, domain: str, spares: int | None, **options):
        tenant = platform_tenant_ensure(domain=domain)
        template_ensure()
        created = spare_pool_fill(size=spares)
        self.stdout.write(
            f"Platform tenant ready on {domain} (schema {tenant.schema_name}); template at head; "
            f"{created} spare schema(s) created."
        )
