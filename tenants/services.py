"""Writes on tenants: provisioning, lifecycle, custom domains, support access."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError, clean_or_refuse
from eoffice.nip_registry.models import NipTerdaftar
from tenants import provisioning
from tenants.models import Domain, ImpersonationGrant, PlatformSetting, Tenant, Wilayah

RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "api",
        "admin",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "app",
        "public",
        "root",
        "status",
        "docs",
        "help",
        "support",
        "billing",
        "operator",
        "console",
        "template",
        "test",
        "tenant_template",
        "daftar",
        "pengaturan",
        "assets",
        "cdn",
        "imap",
        "pop",
        "ns1",
        "ns2",
        "localhost",
    }
)
_SUBDOMAIN_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
_HOSTNAME_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class AdminAccount:
    username: str
    email: str
    nama: str
    password: str | None = None


def subdomain_validate(*, subdomain: str) -> None:
    if not _SUBDOMAIN_RE.match(subdomain) or "--" in subdomain:
        raise ApplicationError(
            _("Subdomain hanya boleh huruf kecil, angka dan tanda hubung (3–32 karakter), diawali huruf."),
            fields={"subdomain": [_("Format subdomain tidak valid.")]},
        )
    if subdomain in RESERVED_SUBDOMAINS or subdomain.startswith(("tenant-", "tenant_")):
        raise ApplicationError(
            _("Subdomain “%(name)s” dicadangkan oleh platform.") % {"name": subdomain},
            fields={"subdomain": [_("Subdomain ini dicadangkan; pilih nama lain.")]},
        )


def subdomain_taken(*, subdomain: str) -> bool:
    return (
        Domain.objects.filter(domain=tenant_host(subdomain=subdomain)).exists()
        or Tenant.objects.filter(schema_name=schema_name_for(subdomain=subdomain)).exists()
    )


def tenant_host(*, subdomain: str) -> str:
    return f"{subdomain}.{settings.ROOT_DOMAIN}"


def site_url(*, host: str, path: str) -> str:
    """The full address of a path on a host, for a message sent without a request (an e-mail):
    HTTPS wherever the deployment redirects to it, and `SITE_PORT` when one is set."""
    scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{scheme}://{host}{port}{path}"


def schema_name_for(*, subdomain: str) -> str:
    return subdomain.replace("-", "_")


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
    config: dict | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Tenant:
    """Create a regency ready to use: schema copied from the template at the migration head, host
    name, administrator, organisation skeleton from the wilayah data and a first configuration.

    Each step commits on its own so a progress page can follow it; when a later step fails the
    earlier ones are undone (schema dropped, rows deleted) and the error is raised again, so a
    retry starts from nothing.
    """
    from tenants.configuration import config_initial_create

    step = on_step or (lambda _name: None)
    subdomain_validate(subdomain=subdomain)
    host = tenant_host(subdomain=subdomain)
    if Tenant.objects.filter(kode=kode).exists():
        raise ApplicationError(
            _("Daerah dengan kode %(kode)s sudah terdaftar di platform.") % {"kode": kode},
            code="tenant_exists",
            fields={"kode": [_("Daerah ini sudah terdaftar.")]},
            status=409,
        )
    if subdomain_taken(subdomain=subdomain):
        raise ApplicationError(
            _("Subdomain “%(name)s” sudah dipakai.") % {"name": subdomain},
            code="subdomain_taken",
            fields={"subdomain": [_("Subdomain ini sudah dipakai; pilih nama lain.")]},
            status=409,
        )
    tenant = Tenant(
        schema_name=schema_name_for(subdomain=subdomain),
        kode=kode,
        name=name,
        jenis=jenis,
        provinsi=provinsi,
        timezone=timezone,
        status=Tenant.Status.PROVISIONING,
    )
    clean_or_refuse(
        tenant, message=_("Data daerah tidak valid."), exclude=["schema_name"], validate_unique=False
    )

    provisioning.template_ensure()
    step("schema")
    try:
        with transaction.atomic():
            tenant.save()
            Domain.objects.create(domain=host, tenant=tenant, is_primary=True)
            how = provisioning.schema_create_from_template(schema_name=tenant.schema_name)
            audit_record(
                actor=actor,
                action="tenant.provision",
                target=tenant,
                after={"kode": kode, "host": host, "schema": tenant.schema_name, "method": how},
            )
    except IntegrityError as exc:
        # Another request took the regency or the subdomain between our checks and the insert.
        raise ApplicationError(
            _("Daerah atau subdomain ini baru saja didaftarkan oleh permintaan lain."),
            code="tenant_exists",
            fields={"subdomain": [_("Subdomain ini sudah dipakai; pilih nama lain.")]},
            status=409,
        ) from exc
    try:
        step("admin")
        with schema_context(tenant.schema_name), transaction.atomic():
            user_create(
                username=admin.username,
                email=admin.email,
                nama=admin.nama,
                password=admin.password,
                peran=User.Peran.ADMIN_PEMDA,
            )
        step("organisation")
        units = wilayah_units_for(kode=kode)
        with schema_context(tenant.schema_name), transaction.atomic():
            from modules.kepegawaian.services import unit_skeleton_seed

            unit_skeleton_seed(nama_pemda=name, wilayah=units)
        with transaction.atomic():
            config_initial_create(tenant=tenant, base=config)
            tenant.status = Tenant.Status.ACTIVE
            tenant.save(update_fields=["status", "updated_at"])  # also invalidates host routing
    except BaseException:
        tenant_discard(tenant=tenant)
        raise
    step("done")
    return tenant


def wilayah_units_for(*, kode: str) -> list[tuple[str, str, int]]:
    """The regency's kecamatan and their kelurahan/desa as (kode, nama, level) rows.

    A few kecamatan hold a kelurahan and a desa of the same name (e.g. Sorkam Kanan in 12.01.10);
    unit names are unique under one parent, so such names get their kind, or failing that their
    code, appended."""
    kecamatan = list(Wilayah.objects.filter(parent_kode=kode, level=3).values_list("kode", "nama", "level"))
    desa = list(
        Wilayah.objects.filter(parent_kode__in=[row[0] for row in kecamatan], level=4).values_list(
            "kode", "nama", "level"
        )
    )
    return _distinct_names(kecamatan) + _distinct_names(desa)


_DESA_KIND = {"1": "Kelurahan", "2": "Desa", "3": "Desa adat"}


def _distinct_names(rows: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    def parent(code: str) -> str:
        return code.rsplit(".", 1)[0]

    counts = Counter((parent(code), nama.lower()) for code, nama, _level in rows)
    named = [
        (
            code,
            f"{nama} ({_DESA_KIND.get(code.rsplit('.', 1)[1][:1], code)})"
            if level == 4
            else f"{nama} ({code})",
            level,
        )
        if counts[(parent(code), nama.lower())] > 1
        else (code, nama, level)
        for code, nama, level in rows
    ]
    counts = Counter((parent(code), nama.lower()) for code, nama, _level in named)
    return [
        (code, f"{nama} ({code})", level) if counts[(parent(code), nama.lower())] > 1 else (code, nama, level)
        for code, nama, level in named
    ]


def tenant_discard(*, tenant: Tenant) -> None:
    """Undo a provisioning that failed half-way: no schema, no host name, no tenant row."""
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    with transaction.atomic():
        provisioning.schema_drop(schema_name=tenant.schema_name)
        Domain.objects.filter(tenant_id=tenant.pk).delete()
        Tenant.objects.filter(pk=tenant.pk).delete()


def user_create(
    *, username: str, email: str, nama: str, password: str | None, peran: str = User.Peran.PEGAWAI
) -> User:
    """Create an account in the current schema (a tenant's, or public for operators)."""
    user = User(username=username, email=email.lower(), nama=nama, peran=peran)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    clean_or_refuse(user, message=_("Data akun tidak valid."))
    user.save()
    return user


# Which status may follow which; everything else is refused with a clear message.
_TRANSITIONS = {
    Tenant.Status.SUSPENDED: {Tenant.Status.ACTIVE, Tenant.Status.MAINTENANCE},
    Tenant.Status.ACTIVE: {Tenant.Status.SUSPENDED, Tenant.Status.MAINTENANCE, Tenant.Status.ARCHIVED},
    Tenant.Status.MAINTENANCE: {Tenant.Status.ACTIVE},
    Tenant.Status.ARCHIVED: {Tenant.Status.SUSPENDED},
}


def tenant_set_status(*, tenant: Tenant, status: str, actor: User | None, reason: str) -> Tenant:
    """Suspend, resume, archive or put into maintenance; every change is audited with its reason."""
    if not reason.strip():
        raise ApplicationError(
            _("Sebutkan alasan perubahan status."), fields={"reason": [_("Alasan wajib diisi.")]}
        )
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if locked.is_public:
            raise ApplicationError(_("Status platform tidak dapat diubah."), status=400)
        before = locked.status
        allowed = {before} if before == status else _TRANSITIONS.get(Tenant.Status(before), set())
        if status not in allowed:
            raise ApplicationError(
                _("Status “%(before)s” tidak dapat diubah menjadi “%(after)s”.")
                % {"before": Tenant.Status(before).label, "after": Tenant.Status(status).label},
                code="invalid_transition",
                fields={"status": [_("Perubahan status ini tidak diizinkan.")]},
                status=409,
            )
        locked.status = status
        if status != Tenant.Status.ARCHIVED:
            locked.delete_after = None
        locked.save(update_fields=["status", "delete_after", "updated_at"])
        audit_record(
            actor=actor,
            action="tenant.status",
            target=locked,
            before={"status": before},
            after={"status": status},
            reason=reason.strip(),
        )
    return locked


def tenant_suspend(*, tenant: Tenant, actor: User | None, reason: str) -> Tenant:
    return tenant_set_status(tenant=tenant, status=Tenant.Status.SUSPENDED, actor=actor, reason=reason)


def tenant_resume(*, tenant: Tenant, actor: User | None, reason: str) -> Tenant:
    return tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE, actor=actor, reason=reason)


def tenant_archive(*, tenant: Tenant, actor: User | None, reason: str) -> Tenant:
    """Read-only from now on; deletion is scheduled after the platform's retention period."""
    archived = tenant_set_status(tenant=tenant, status=Tenant.Status.ARCHIVED, actor=actor, reason=reason)
    retention = PlatformSetting.load().retention_days
    with transaction.atomic():
        archived.delete_after = timezone.now() + timedelta(days=retention)
        archived.save(update_fields=["delete_after", "updated_at"])
    return archived


def tenant_delete_expired(*, tenant: Tenant, actor: User | None, reason: str) -> None:
    """Drop an archived tenant whose retention period is over: schema, host names, row."""
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if locked.status != Tenant.Status.ARCHIVED or locked.delete_after is None:
            raise ApplicationError(
                _("Hanya daerah yang diarsipkan dan dijadwalkan dihapus yang dapat dihapus."),
                code="not_archived",
                status=409,
            )
        if locked.delete_after > timezone.now():
            raise ApplicationError(
                _("Masa retensi belum berakhir; data dapat dihapus setelah %(date)s.")
                % {"date": timezone.localtime(locked.delete_after).strftime("%d-%m-%Y")},
                code="retention_running",
                status=409,
            )
        audit_record(
            actor=actor,
            action="tenant.delete",
            target=locked,
            before={"kode": locked.kode, "schema": locked.schema_name},
            reason=reason,
        )
        provisioning.schema_drop(schema_name=locked.schema_name)
        Domain.objects.filter(tenant=locked).delete()
        # The regency's employees are gone with its schema, so their NIP claims are released
        # and another regency may register them.
        NipTerdaftar.objects.filter(tenant=locked).delete()
        locked.delete()


def custom_domain_add(*, tenant: Tenant, domain: str, actor: User | None, reason: str = "") -> Domain:
    """A second host name for the tenant (e.g. eoffice.kendarikota.go.id); the subdomain stays primary."""
    hostname = domain.strip().lower().rstrip(".")
    if not _HOSTNAME_RE.match(hostname):
        raise ApplicationError(
            _("Nama domain “%(domain)s” tidak valid.") % {"domain": hostname},
            fields={"domain": [_("Tulis nama domain lengkap, misalnya eoffice.kendarikota.go.id.")]},
        )
    if hostname == settings.ROOT_DOMAIN or hostname.endswith("." + settings.ROOT_DOMAIN):
        raise ApplicationError(
            _("Domain di bawah domain platform tidak dapat dipakai sebagai domain khusus."),
            fields={"domain": [_("Pakai domain milik pemerintah daerah Anda.")]},
        )
    with transaction.atomic():
        if Domain.objects.select_for_update().filter(domain=hostname).exists():
            raise ApplicationError(
                _("Domain “%(domain)s” sudah dipakai.") % {"domain": hostname},
                code="domain_taken",
                fields={"domain": [_("Domain ini sudah terdaftar.")]},
                status=409,
            )
        created = Domain.objects.create(domain=hostname, tenant=tenant, is_primary=False)
        audit_record(
            actor=actor, action="tenant.domain_add", target=tenant, after={"domain": hostname}, reason=reason
        )
    return created


def custom_domain_remove(*, tenant: Tenant, domain: str, actor: User | None, reason: str = "") -> None:
    with transaction.atomic():
        found = (
            Domain.objects.select_for_update().filter(tenant=tenant, domain=domain, is_primary=False).first()
        )
        if found is None:
            raise ApplicationError(
                _("Domain khusus “%(domain)s” tidak ditemukan.") % {"domain": domain},
                fields={"domain": [_("Domain ini bukan domain khusus daerah ini.")]},
                status=404,
            )
        found.delete()
        audit_record(
            actor=actor,
            action="tenant.domain_remove",
            target=tenant,
            before={"domain": domain},
            reason=reason,
        )


IMPERSONATION_MINUTES = 30


def impersonation_start(*, tenant: Tenant, operator: User, reason: str) -> ImpersonationGrant:
    """Grant an operator a one-time, 30-minute support sign-in as the tenant's administrator."""
    if not reason.strip():
        raise ApplicationError(
            _("Sebutkan alasan akses dukungan."), fields={"reason": [_("Alasan wajib diisi.")]}
        )
    if tenant.is_public or tenant.status in (Tenant.Status.PROVISIONING,):
        raise ApplicationError(_("Daerah ini belum dapat diakses."), status=409)
    with schema_context(tenant.schema_name):
        target = User.objects.filter(peran=User.Peran.ADMIN_PEMDA, is_active=True).order_by("id").first()
    if target is None:
        raise ApplicationError(_("Daerah ini belum memiliki administrator aktif."), status=409)
    with transaction.atomic():
        grant = ImpersonationGrant.objects.create(
            tenant=tenant,
            operator=str(operator),
            operator_id=operator.pk,
            target_username=target.username,
            reason=reason.strip(),
            expires_at=timezone.now() + timedelta(minutes=IMPERSONATION_MINUTES),
        )
        audit_record(
            actor=operator,
            action="tenant.impersonate",
            target=tenant,
            after={"as": target.username, "grant": grant.pk},
            reason=reason.strip(),
        )
    return grant


def impersonation_redeem(*, grant_id: int, tenant: Tenant) -> tuple[ImpersonationGrant, User]:
    """Use a grant on the tenant's host, once, before it expires; audited in the tenant's schema."""
    with transaction.atomic():
        grant = (
            ImpersonationGrant.objects.select_for_update().filter(pk=grant_id, tenant_id=tenant.pk).first()
        )
        if grant is None or grant.used_at is not None or grant.expires_at <= timezone.now():
            raise ApplicationError(
                _("Tautan akses dukungan tidak berlaku (sudah dipakai atau kedaluwarsa)."),
                code="impersonation_invalid",
                status=403,
            )
        grant.used_at = timezone.now()
        grant.save(update_fields=["used_at"])
        user = User.objects.get(username=grant.target_username)
        audit_record(
            actor=None,
            action="support.impersonation",
            target=user,
            after={"operator": grant.operator, "until": grant.expires_at.isoformat()},
            reason=grant.reason,
        )
    return grant, user


def platform_setting_update(
    *, actor: User, require_approval: bool, retention_days: int | str
) -> PlatformSetting:
    """Operators' platform switches: approval before provisioning, retention before deletion."""
    try:
        days = int(retention_days)
    except (TypeError, ValueError):
        days = -1
    if not 7 <= days <= 3650:
        raise ApplicationError(
            _("Masa retensi 7–3650 hari."), fields={"retention_days": [_("Isi angka 7 sampai 3650.")]}
        )
    with transaction.atomic():
        setting = PlatformSetting.objects.select_for_update().get(pk=PlatformSetting.load().pk)
        before = {"require_approval": setting.require_approval, "retention_days": setting.retention_days}
        setting.require_approval = require_approval
        setting.retention_days = days
        setting.save(update_fields=["require_approval", "retention_days", "updated_at"])
        audit_record(
            actor=actor,
            action="platform.settings",
            target=setting,
            before=before,
            after={"require_approval": require_approval, "retention_days": days},
        )
    return setting
