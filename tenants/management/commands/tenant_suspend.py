from tenants.management.commands._status_command import StatusCommand
from tenants.services import tenant_suspend


class Command(StatusCommand):
    help = "Suspend a tenant, with a reason for the audit trail."
    service = staticmethod(tenant_suspend)
    verb = "suspended"
