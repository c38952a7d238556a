"""Reads for operating tenants: every schema's migration state in one query, rollouts, backups."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name

from eoffice.core.health import expected_migrations
from tenants.models import Tenant
from tenants.operations.models import Backup, Export, Rollout, RolloutTenant, SchemaState

Node = tuple[str, str]


@cache
def migration_order() -> tuple[Node, ...]:
    """Every migration of the code in an order that respects dependencies (built once per process)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    order: list[Node] = []
    seen: set[Node] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return tuple(order)


@cache
def _replacements() -> tuple[tuple[Node, frozenset[Node]], ...]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple((key, frozenset(migration.replaces)) for key, migration in loader.replacements.items())


def applied_with_squashes(applied: frozenset[Node]) -> frozenset[Node]:
    """A squashed migration counts as applied when every migration it replaces is (as Django does)."""
    squashed = {key for key, replaced in _replacements() if replaced and replaced <= applied}
    return applied | squashed if squashed else applied


def node_label(node: Node) -> str:
    return f"{node[0]}.{node[1]}"


def schemas_existing(*, schemas: Iterable[str]) -> dict[str, bool]:
    """For each schema name: does it exist, and does it have a django_migrations table?

    Returns {schema: has_table} for existing schemas only.
    """
    names = list(dict.fromkeys(schemas))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, EXISTS (
                SELECT 1 FROM pg_class c
                WHERE c.relnamespace = n.oid AND c.relname = 'django_migrations' AND c.relkind = 'r'
            )
            FROM pg_namespace n WHERE n.nspname = ANY(%s)
            """,
            [names],
        )
        return dict(cursor.fetchall())


def schemas_applied_migrations(*, schemas: Sequence[str]) -> dict[str, frozenset[Node] | None]:
    """The applied migrations of every given schema, read in one UNION ALL query.

    A schema without a django_migrations table maps to an empty set, a missing schema to None.
    This replaces Django's per-schema recorder and introspection (several scans of pg_class per
    schema), which is what makes a no-op `migrate_schemas` slow at hundreds of schemas.
    """
    present = schemas_existing(schemas=schemas)
    result: dict[str, frozenset[Node] | None] = {name: None for name in schemas}
    with_table = [name for name in schemas if present.get(name)]
    for name in schemas:
        if name in present and not present[name]:
            result[name] = frozenset()
    if not with_table:
        return result
    quote = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT %s, app, name FROM {quote(name)}.django_migrations" for name in with_table
    )
    applied: dict[str, set[Node]] = {name: set() for name in with_table}
    with connection.cursor() as cursor:
        cursor.execute(union, with_table)
        for schema, app, name in cursor.fetchall():
            applied[schema].add((app, name))
    result.update({name: frozenset(nodes) for name, nodes in applied.items()})
    return result


@dataclass(frozen=True)
class SchemaHeads:
    total: int
    at_head: list[str]
    behind: dict[str, list[str]]
    missing: list[str]

    @property
    def all_at_head(self) -> bool:
        return not self.behind and not self.missing


def tenant_schema_names() -> list[str]:
    """Every tenant schema the platform serves (not public), by name."""
    return list(
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


def schema_heads(*, schemas: Sequence[str] | None = None) -> SchemaHeads:
    """Which schemas are at the code's migration head (public and every tenant by default)."""
    if schemas is None:
        from tenants.provisioning import managed_schema_names

        schemas = list(
            dict.fromkeys([get_public_schema_name(), *managed_schema_names(), *tenant_schema_names()])
        )
    expected = expected_migrations()
    applied = schemas_applied_migrations(schemas=schemas)
    order = migration_order()
    at_head: list[str] = []
    behind: dict[str, list[str]] = {}
    missing: list[str] = []
    for name in schemas:
        nodes = applied[name]
        if nodes is None:
            missing.append(name)
            continue
        pending = expected - applied_with_squashes(nodes)
        if pending:
            behind[name] = [node_label(node) for node in order if node in pending]
        else:
            at_head.append(name)
    return SchemaHeads(total=len(schemas), at_head=at_head, behind=behind, missing=missing)


def rollout_list(*, limit: int = 20) -> list[Rollout]:
    return list(Rollout.objects.all()[:limit])


def rollout_latest_unfinished() -> Rollout | None:
    return (
        Rollout.objects.filter(
            status__in=[
                Rollout.Status.RUNNING,
                Rollout.Status.INTERRUPTED,
                Rollout.Status.FAILED,
                Rollout.Status.HALTED,
            ]
        )
        .order_by("-started_at")
        .first()
    )


@dataclass(frozen=True)
class WaveProgress:
    wave: int
    total: int
    done: int
    succeeded: int
    failed: int
    skipped: int
    running: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def rollout_progress(*, rollout: Rollout) -> list[WaveProgress]:
    """Per wave: how many schemas are done, succeeded, failed, skipped or running."""
    waves: dict[int, dict[str, int]] = {}
    for wave, status in RolloutTenant.objects.filter(rollout=rollout).values_list("wave", "status"):
        counts = waves.setdefault(wave, {})
        counts[status] = counts.get(status, 0) + 1
    progress = []
    for wave in sorted(waves):
        counts = waves[wave]
        done = sum(counts.get(s, 0) for s in ("succeeded", "failed", "skipped"))
        progress.append(
            WaveProgress(
                wave=wave,
                total=sum(counts.values()),
                done=done,
                succeeded=counts.get("succeeded", 0),
                failed=counts.get("failed", 0),
                skipped=counts.get("skipped", 0),
                running=counts.get("running", 0),
            )
        )
    return progress


def rollout_failures(*, rollout: Rollout) -> list[RolloutTenant]:
    return list(RolloutTenant.objects.filter(rollout=rollout, status=RolloutTenant.Status.FAILED))


def schema_state_list() -> list[SchemaState]:
    return list(SchemaState.objects.all())


def backup_list(*, schema_name: str | None = None, limit: int = 50) -> list[Backup]:
    backups = Backup.objects.all()
    if schema_name:
        backups = backups.filter(schema_name=schema_name)
    return list(backups[:limit])


def export_list(*, schema_name: str, limit: int = 10) -> list[Export]:
    return list(Export.objects.filter(schema_name=schema_name)[:limit])


def pending_unsafe_operations(*, heads: SchemaHeads) -> list[str]:
    """Unsafe operations (see safety.py) among the migrations some schema still has to apply."""
    from tenants.operations.safety import migration_unsafe_operations

    labels = sorted({label for pending in heads.behind.values() for label in pending})
    if not labels:
        return []
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    found: list[str] = []
    for label in labels:
        app, name = label.split(".", 1)
        found += [str(item) for item in migration_unsafe_operations(migration=graph.nodes[(app, name)])]
    return found
