"""Writes on tenants: provisioning and status changes."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from tenants.models import Domain, Tenant

RESERVED_SUBDOMAINS = frozenset(
    {"www", "api", "admin", "static", "media", "mail", "smtp", "ftp", "app", "public", "root", "status",
     "docs", "help", "support", "billing", "operator", "console", "template", "test"}
)
_SUBDOMAIN_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")


@dataclass(frozen=True)
class AdminAccount:
    username: str
    email: str
    nama: str
    password: str | None = None


def subdomain_validate(*, subdomain: str) -> None:
    if not _SUBDOMAIN_RE.match(subdomain):
        raise ApplicationError(
            _("Subdomain hanya boleh huruf kecil, angka dan tanda hubung (3–32 karakter), diawali huruf."),
            fields={"subdomain": [_("Format subdomain tidak valid.")]},
        )
    if subdomain in RESERVED_SUBDOMAINS:
        raise ApplicationError(
            _("Subdomain “%(name)s” dicadangkan oleh platform.") % {"name": subdomain},
            fields={"subdomain": [_("Subdomain ini dicadangkan; pilih nama lain.")]},
        )


def tenant_host(*, subdomain: str) -> str:
    return f"{subdomain}.{settings.ROOT_DOMAIN}"


def platform_tenant_ensure(*, domain: str) -> Tenant:
    """The public schema's own tenant row and the root host name (idempotent)."""
    tenant, _created = Tenant.objects.get_or_create(
        schema_name="public",
        defaults={"name": "e-Office Nusantara", "jenis": Tenant.Jenis.PLATFORM, "kode": None},
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_provision(
    *,
    kode: str,
    name: str,
    jenis: str,
    provinsi: str,
    timezone: str,
    subdomain: str,
    admin: AdminAccount,
    actor: User | None = None,
) -> Tenant:
    """Create a regency: its schema at the migration head, its host name and its administrator."""
    subdomain_validate(subdomain=subdomain)
    host = tenant_host(subdomain=subdomain)
    if Tenant.objects.filter(kode=kode).exists():
        raise ApplicationError(
            _("Daerah dengan kode %(kode)s sudah terdaftar di platform.") % {"kode": kode},
            fields={"kode": [_("Daerah ini sudah terdaftar.")]},
            status=409,
        )
    if Domain.objects.filter(domain=host).exists() or Tenant.objects.filter(schema_name=subdomain).exists():
        raise ApplicationError(
            _("Subdomain “%(name)s” sudah dipakai.") % {"name": subdomain},
            fields={"subdomain": [_("Subdomain ini sudah dipakai; pilih nama lain.")]},
            status=409,
        )
    tenant = Tenant(
        schema_name=subdomain.replace("-", "_"),
        kode=kode,
        name=name,
        jenis=jenis,
        provinsi=provinsi,
        timezone=timezone,
        status=Tenant.Status.ACTIVE,
    )
    try:
        tenant.full_clean(exclude=["schema_name"])
    except ValidationError as exc:
        raise ApplicationError(_("Data daerah tidak valid."), fields=exc.message_dict) from exc
    with transaction.atomic():
        tenant.save(verbosity=0)
        Domain.objects.create(domain=host, tenant=tenant, is_primary=True)
        audit_record(actor=actor, action="tenant.provision", target=tenant, after={"kode": kode, "host": host})
        with schema_context(tenant.schema_name):
            user_create(
                username=admin.username,
                email=admin.email,
                nama=admin.nama,
                password=admin.password,
                peran=User.Peran.ADMIN_PEMDA,
            )
    return tenant


def user_create(
    *, username: str, email: str, nama: str, password: str | None, peran: str = User.Peran.PEGAWAI
) -> User:
    """Create an account in the current schema (a tenant's, or public for operators)."""
    user = User(username=username, email=email.lower(), nama=nama, peran=peran)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_("Data akun tidak valid."), fields=exc.message_dict) from exc
    user.save()
    return user


def tenant_set_status(*, tenant: Tenant, status: str, actor: User | None, reason: str) -> Tenant:
    """Suspend, resume, archive or put into maintenance; every change is audited."""
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="tenant.status",
            target=locked,
            before={"status": before},
            after={"status": status},
            reason=reason,
        )
    return locked
