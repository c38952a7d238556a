from tenants.management.commands._status_command import StatusCommand
from tenants.services import tenant_resume


class Command(StatusCommand):
    help = "Resume a tenant, with a reason for the audit trail."
    service = staticmethod(tenant_resume)
    verb = "resumed"
