"""Reads on tenants: onboarding choices, the operator console's list and detail."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from eoffice.audit.models import AuditEvent
from eoffice.core.health import expected_migrations
from tenants import provisioning
from tenants.models import Registration, Tenant, TenantConfigVersion, Wilayah


def tenant_current() -> Tenant:
    """The Tenant row of the schema this connection is on: the request's or task's regency
    (schema_context sets only a stand-in without the zone, language and configuration)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]


def wilayah_available() -> list[tuple[str, str]]:
    """Kabupaten/kota that may still apply: not on the platform and no application in progress."""
    taken = set(Tenant.objects.exclude(kode=None).values_list("kode", flat=True))
    taken |= set(
        Registration.objects.filter(status__in=Registration.OPEN_STATUSES).values_list(
            "wilayah_id", flat=True
        )
    )
    return [
        (kode, nama)
        for kode, nama in Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN_KOTA)
        .order_by("nama")
        .values_list("kode", "nama")
        if kode not in taken
    ]


def tenant_list(
    *, search: str = "", status: str = "", provinsi: str = "", module: str = "", plan: str = ""
) -> QuerySet[Tenant]:
    tenants = Tenant.objects.exclude(schema_name="public").prefetch_related("domains")
    if search:
        tenants = tenants.filter(
            Q(name__icontains=search)
            | Q(kode__startswith=search)
            | Q(schema_name__icontains=search)
            | Q(domains__domain__icontains=search)
        ).distinct()
    if status:
        tenants = tenants.filter(status=status)
    if provinsi:
        tenants = tenants.filter(provinsi=provinsi)
    if plan:
        tenants = tenants.filter(plan=plan)
    if module:
        # No "modules" key means every module is on.
        tenants = tenants.filter(Q(config__modules__contains=[module]) | ~Q(config__has_key="modules"))
    return tenants.order_by("name")


@dataclass(frozen=True)
class TenantStats:
    schema_bytes: int
    users: int
    employees: int
    last_activity: datetime | None
    migrations_pending: int


def tenant_stats(*, tenants: list[Tenant]) -> dict[int, TenantStats]:
    """Size, head counts, last sign-in and migration state per tenant, in two queries."""
    if not tenants:
        return {}
    schemas = [tenant.schema_name for tenant in tenants]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
            FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'm')
            WHERE n.nspname = ANY(%s) GROUP BY n.nspname
            """,
            [schemas],
        )
        sizes = dict(cursor.fetchall())
        existing = [schema for schema in schemas if schema in sizes]
        counts: dict[str, tuple[int, int, datetime | None]] = {}
        if existing:
            parts = [
                f"""SELECT %s, (SELECT count(*) FROM "{schema}".accounts_user),
                    (SELECT count(*) FROM "{schema}".kepegawaian_pegawai),
                    (SELECT max(last_login) FROM "{schema}".accounts_user)"""
                for schema in existing
            ]
            cursor.execute(" UNION ALL ".join(parts), existing)
            counts = {row[0]: (row[1], row[2], row[3]) for row in cursor.fetchall()}
    head = expected_migrations()
    result = {}
    for tenant in tenants:
        users, employees, last = counts.get(tenant.schema_name, (0, 0, None))
        result[tenant.pk] = TenantStats(
            schema_bytes=sizes.get(tenant.schema_name, 0),
            users=users,
            employees=employees,
            last_activity=last,
            migrations_pending=len(head - provisioning.applied_migrations(tenant.schema_name))
            if tenant.schema_name in sizes
            else 0,
        )
    return result


def tenant_provinces() -> list[str]:
    return list(
        Tenant.objects.exclude(provinsi="").order_by("provinsi").values_list("provinsi", flat=True).distinct()
    )


def tenant_audit_trail(*, tenant: Tenant, limit: int = 50) -> list[AuditEvent]:
    """Platform-side events about the tenant (status, domains, configuration, impersonation)."""
    return list(
        AuditEvent.objects.filter(target_type="tenants.tenant", target_id=str(tenant.pk)).order_by(
            "-created_at"
        )[:limit]
    )


def config_history(*, tenant: Tenant) -> list[TenantConfigVersion]:
    return list(TenantConfigVersion.objects.filter(tenant=tenant).order_by("-version"))


def config_diff(*, older: dict[str, Any], newer: dict[str, Any]) -> list[str]:
    return sorted(key for key in set(older) | set(newer) if older.get(key) != newer.get(key))
