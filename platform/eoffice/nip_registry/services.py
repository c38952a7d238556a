"""Writes on the platform-wide NIP registry. Called inside a tenant's transaction: the registry
table lives in the public schema, which every tenant's search path includes."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.models import NipTerdaftar
from tenants.models import Tenant


def nip_claim(*, nip: str, tenant: Tenant) -> NipTerdaftar:
    """Claim `nip` for `tenant`. Idempotent for the same tenant; a NIP held by another regency
    is refused (it moves only through a mutasi)."""
    current = NipTerdaftar.objects.select_for_update().filter(nip=nip).select_related("tenant").first()
    if current is not None:
        if current.tenant_id == tenant.pk:
            return current
        raise nip_taken_error(holder=current.tenant)
    try:
        with transaction.atomic():
            return NipTerdaftar.objects.create(nip=nip, tenant=tenant)
    except IntegrityError as exc:
        holder = NipTerdaftar.objects.select_related("tenant").get(nip=nip).tenant
        raise nip_taken_error(holder=holder) from exc


def nip_taken_error(*, holder: Tenant) -> ApplicationError:
    message = _("NIP ini sudah terdaftar di %(daerah)s; pindahkan pegawai melalui mutasi antardaerah.") % {
        "daerah": holder.name
    }
    return ApplicationError(message, fields={"nip": [message]}, status=409, code="conflict")


def nip_transfer(*, nip: str, dari: Tenant, ke: Tenant) -> NipTerdaftar:
    """Point `nip` at the receiving regency; the row must still name the releasing one."""
    row = NipTerdaftar.objects.select_for_update().filter(nip=nip).first()
    if row is None:
        row = NipTerdaftar(nip=nip, tenant=dari)
    elif row.tenant_id != dari.pk:
        raise ApplicationError(
            _("NIP ini tidak lagi terdaftar di daerah asal mutasi."),
            fields={"nip": [_("Daerah asal berubah.")]},
            status=409,
            code="conflict",
        )
    row.tenant = ke
    row.save()
    return row
