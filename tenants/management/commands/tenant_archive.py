from tenants.management.commands._status_command import StatusCommand
from tenants.services import tenant_archive


class Command(StatusCommand):
    help = "Archive a tenant, with a reason for the audit trail."
    service = staticmethod(tenant_archive)
    verb = "archived"
