"""Shared body of tenant_suspend / tenant_resume / tenant_archive."""

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from eoffice.core.errors import ApplicationError
from tenants.models import Tenant


class StatusCommand(BaseCommand):
    service: Callable[..., Any]
    verb = ""

    def add_arguments(self, parser):
        parser.add_argument("schema", help="Schema name (the subdomain with - as _), e.g. kendari")
        parser.add_argument("--reason", required=True, help="Recorded in the audit trail")

    def handle(self, *args, schema: str, reason: str, **options):
        tenant = Tenant.objects.exclude(schema_name="public").filter(schema_name=schema).first()
        if tenant is None:
            raise CommandError(f"No tenant with schema {schema}.")
        try:
            updated: Tenant = type(self).service(tenant=tenant, actor=None, reason=reason)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{updated.name}: {self.verb} (status {updated.status}).")
