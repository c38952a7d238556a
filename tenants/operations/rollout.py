"""The rollout engine: migrate every schema to the code's head, fast, isolated and resumable.

Order: public, then the managed schemas (template and spares, which provisioning clones), then
the canary tenants, then everybody else in waves worked by a bounded pool of threads, each with
its own connection. Each schema migrates in ONE transaction with lock and statement timeouts, so a
failure rolls that schema back to its last good state and never leaves it half-migrated; the
failure is recorded and, if the operator asked, the tenant goes into maintenance.

Why it is fast: Django's per-schema path (system checks, recorder and introspection scanning
pg_class, rendering the model state, post_migrate) costs a few hundred milliseconds per schema even
when nothing changes. Here the applied migrations of every schema are read in one query and
schemas at the head are skipped. Schemas that share the same pending migrations share one plan:
the first of them is migrated by Django's executor while the DDL its schema editor runs is
recorded, and the others replay exactly that DDL (Django emits unqualified names, so the search
path picks the schema) and record the same rows in django_migrations. Plans that need Python
(RunPython, unknown operations, non-atomic migrations) run the executor in every schema.
post_migrate work (content types, permissions) runs only when a migration changes the model set.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, migrations, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from eoffice.core.errors import ApplicationError
from tenants.models import Tenant
from tenants.operations.models import Rollout, RolloutTenant, SchemaState
from tenants.operations.safety import UnsafeOperation, migration_unsafe_operations
from tenants.operations.selectors import (
    Node,
    applied_with_squashes,
    migration_order,
    node_label,
    schema_heads,
    schemas_applied_migrations,
    tenant_schema_names,
)

logger = logging.getLogger(__name__)

WAVE_PUBLIC, WAVE_MANAGED, WAVE_CANARY, WAVE_FIRST = 0, 1, 2, 3

# Operations whose database effect is exactly the DDL their schema editor runs.
_REPLAYABLE = (
    migrations.CreateModel,
    migrations.DeleteModel,
    migrations.AddField,
    migrations.RemoveField,
    migrations.AlterField,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
    migrations.AlterModelTableComment,
    migrations.AlterUniqueTogether,
    migrations.AlterIndexTogether,
    migrations.AlterOrderWithRespectTo,
    migrations.AlterModelOptions,
    migrations.AlterModelManagers,
    migrations.AddIndex,
    migrations.RemoveIndex,
    migrations.RenameIndex,
    migrations.AddConstraint,
    migrations.RemoveConstraint,
    migrations.RunSQL,
)
# Operations that change which models (so content types and permissions) exist.
_MODEL_SET = (
    migrations.CreateModel,
    migrations.DeleteModel,
    migrations.RenameModel,
    migrations.AlterModelOptions,
)
# Content types and permissions are cached per database alias, not per schema: post_migrate work
# of two schemas must never overlap.
_POST_MIGRATE_LOCK = threading.Lock()


def _operations(migration: Migration) -> Iterator[migrations.operations.base.Operation]:
    for operation in migration.operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from operation.database_operations
        else:
            yield operation


@dataclass(frozen=True)
class MigrationFacts:
    replayable: bool
    changes_model_set: bool


class MigrationCatalogue:
    """The code's migrations, loaded once per rollout."""

    def __init__(self) -> None:
        self.loader = MigrationLoader(None, ignore_no_migrations=True)
        self.order = migration_order()
        self.target = frozenset(self.order)
        self._facts: dict[tuple[Node, ...], MigrationFacts] = {}

    def migration(self, node: Node) -> Migration:
        return self.loader.graph.nodes[node]

    def pending(self, applied: frozenset[Node]) -> tuple[Node, ...]:
        applied = applied_with_squashes(applied)
        return tuple(node for node in self.order if node not in applied)

    def facts(self, pending: tuple[Node, ...]) -> MigrationFacts:
        if pending not in self._facts:
            replayable, changes = True, False
            for node in pending:
                migration = self.migration(node)
                if not migration.atomic:
                    replayable = False
                for operation in _operations(migration):
                    if not isinstance(operation, _REPLAYABLE):
                        replayable = False
                    if isinstance(operation, _MODEL_SET):
                        changes = True
            self._facts[pending] = MigrationFacts(replayable=replayable, changes_model_set=changes)
        return self._facts[pending]

    def unsafe(self, pending: Sequence[Node]) -> list[UnsafeOperation]:
        found: list[UnsafeOperation] = []
        for node in pending:
            found.extend(migration_unsafe_operations(migration=self.migration(node)))
        return found


@dataclass
class SchemaTask:
    schema: str
    wave: int
    pending: tuple[Node, ...]

    @property
    def labels(self) -> list[str]:
        return [node_label(node) for node in self.pending]


@dataclass
class RolloutPlan:
    catalogue: MigrationCatalogue
    tasks: list[SchemaTask]
    missing: list[str]

    @property
    def to_migrate(self) -> list[SchemaTask]:
        return [task for task in self.tasks if task.pending]

    def waves(self) -> dict[int, list[SchemaTask]]:
        grouped: dict[int, list[SchemaTask]] = {}
        for task in self.to_migrate:
            grouped.setdefault(task.wave, []).append(task)
        return dict(sorted(grouped.items()))

    def unsafe(self) -> list[UnsafeOperation]:
        nodes: list[Node] = []
        for task in self.to_migrate:
            nodes.extend(node for node in task.pending if node not in nodes)
        return self.catalogue.unsafe(nodes)


def managed_schemas() -> list[str]:
    """Template and spare schemas, which every rollout migrates before any tenant."""
    from tenants.provisioning import managed_schema_names

    return list(managed_schema_names())


def rollout_plan(
    *,
    canary: Sequence[str] = (),
    wave_size: int = 50,
    schemas: Sequence[str] | None = None,
    managed: Sequence[str] | None = None,
) -> RolloutPlan:
    """Which schemas need which migrations, in rollout order (one query for every schema)."""
    if wave_size < 1:
        raise ApplicationError(_("Ukuran gelombang minimal 1."), fields={"wave_size": [_("Minimal 1.")]})
    public = get_public_schema_name()
    tenants = list(schemas) if schemas is not None else tenant_schema_names()
    managed_names = list(managed) if managed is not None else managed_schemas()
    unknown = [name for name in canary if name not in tenants]
    if unknown:
        raise ApplicationError(
            _("Tenant kanari tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)},
            fields={"canary": [_("Gunakan nama skema tenant yang terdaftar.")]},
        )
    ordered: list[tuple[str, int]] = [(public, WAVE_PUBLIC)]
    ordered += [(name, WAVE_MANAGED) for name in managed_names if name != public]
    ordered += [(name, WAVE_CANARY) for name in canary if name not in managed_names]
    rest = [name for name in tenants if name not in canary and name not in managed_names and name != public]
    ordered += [(name, WAVE_FIRST + index // wave_size) for index, name in enumerate(rest)]

    catalogue = MigrationCatalogue()
    applied = schemas_applied_migrations(schemas=[name for name, _wave in ordered])
    tasks: list[SchemaTask] = []
    missing: list[str] = []
    for name, wave in ordered:
        nodes = applied[name]
        if nodes is None:
            missing.append(name)
            continue
        tasks.append(SchemaTask(schema=name, wave=wave, pending=catalogue.pending(nodes)))
    return RolloutPlan(catalogue=catalogue, tasks=tasks, missing=missing)


@dataclass(frozen=True)
class RolloutOptions:
    workers: int = 4
    on_failure: str = Rollout.OnFailure.KEEP
    lock_timeout_ms: int = 5_000
    statement_timeout_ms: int = 300_000
    # Stop starting new waves once this many schemas failed (a broken release must not hit everyone).
    halt_after_failures: int = 10


@dataclass
class _Recipe:
    statements: list[str]


@dataclass
class _RecipeBook:
    """Recorded DDL per pending-migration set, shared by the worker threads."""

    recipes: dict[tuple[Node, ...], _Recipe] = field(default_factory=dict)
    locks: dict[tuple[Node, ...], threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def lock_for(self, key: tuple[Node, ...]) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(key, threading.Lock())


class SchemaMigrationError(Exception):
    pass


@contextmanager
def _capturing(connection, sink: list[str]) -> Iterator[None]:
    """Record every statement the connection's schema editors run (DDL, RunSQL, deferred SQL)."""
    base = type(connection).SchemaEditorClass

    class CapturingSchemaEditor(base):  # type: ignore[valid-type,misc]
        def execute(self, sql, params=()):  # noqa: ANN001, ANN202
            super().execute(sql, params)
            if sql is None:
                return
            text = self.connection.ops.compose_sql(str(sql), params) if params else str(sql)
            sink.append(text)

    connection.SchemaEditorClass = CapturingSchemaEditor
    try:
        yield
    finally:
        del connection.SchemaEditorClass


class _Runner:
    def __init__(
        self,
        *,
        rollout: Rollout,
        plan: RolloutPlan,
        options: RolloutOptions,
        report: Callable[[str], None],
    ) -> None:
        self.rollout = rollout
        self.plan = plan
        self.options = options
        self.report = report
        self.book = _RecipeBook()
        self.failures = 0
        self.failures_lock = threading.Lock()
        self.public = get_public_schema_name()

    # -- one schema ----------------------------------------------------------------------------

    def migrate(self, task: SchemaTask) -> bool:
        connection = connections[DEFAULT_DB_ALIAS]
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        started = timezone.now()
        RolloutTenant.objects.filter(rollout=self.rollout, schema_name=task.schema).update(
            status=RolloutTenant.Status.RUNNING, started_at=started, error="", finished_at=None
        )
        clock = time.perf_counter()
        method = ""
        error = ""
        applied: tuple[Node, ...] = task.pending
        try:
            method, applied = self._migrate_schema(connection, task)
        except Exception as exc:  # a failing tenant is recorded, never allowed to stop the others
            error = f"{type(exc).__name__}: {exc}".strip()
            logger.warning("rollout.schema_failed", extra={"schema": task.schema, "error": error})
        finally:
            connection.set_schema_to_public()  # type: ignore[attr-defined]
        duration = round((time.perf_counter() - clock) * 1000)
        ok = not error
        status = RolloutTenant.Status.SUCCEEDED if ok else RolloutTenant.Status.FAILED
        RolloutTenant.objects.filter(rollout=self.rollout, schema_name=task.schema).update(
            status=status,
            method=method,
            migrations=[node_label(node) for node in applied],
            error=error,
            finished_at=timezone.now(),
            duration_ms=duration,
        )
        SchemaState.objects.update_or_create(
            schema_name=task.schema,
            defaults={
                "at_head": ok,
                "pending": [] if ok else task.labels,
                "applied_count": len(self.plan.catalogue.order) if ok else 0,
                "last_rollout": self.rollout,
                "last_result": status,
                "last_error": error,
                "last_duration_ms": duration,
                "checked_at": timezone.now(),
            },
        )
        if not ok:
            with self.failures_lock:
                self.failures += 1
            if self.options.on_failure == Rollout.OnFailure.MAINTENANCE:
                self._maintenance(task.schema, error)
        self.report(f"  {task.schema}: {status} {method} {duration} ms{(' — ' + error) if error else ''}")
        return ok

    def _record_crash(self, task: SchemaTask, exc: Exception) -> None:
        logger.exception("rollout.worker_error", extra={"schema": task.schema})
        with self.failures_lock:
            self.failures += 1
        try:
            connections[DEFAULT_DB_ALIAS].close()
            RolloutTenant.objects.filter(rollout=self.rollout, schema_name=task.schema).update(
                status=RolloutTenant.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:4000]
            )
        except Exception:  # noqa: BLE001 - the database is gone; the rollout record shows it as running
            logger.exception("rollout.record_failed", extra={"schema": task.schema})

    def _maintenance(self, schema: str, error: str) -> None:
        from tenants.services import tenant_set_status

        tenant = Tenant.objects.filter(schema_name=schema).first()
        if tenant is None or tenant.status == Tenant.Status.MAINTENANCE:
            return
        tenant_set_status(
            tenant=tenant,
            status=Tenant.Status.MAINTENANCE,
            actor=None,
            reason=f"Rollout #{self.rollout.pk} gagal: {error[:500]}",
        )

    def _migrate_schema(self, connection, task: SchemaTask) -> tuple[str, tuple[Node, ...]]:
        is_public = task.schema == self.public
        if is_public:
            connection.set_schema_to_public()
        else:
            if len(task.pending) == len(self.plan.catalogue.order):
                # A schema without the table (an empty spare) gets it first, as django-tenants does;
                # everyone else skips this introspection.
                connection.set_schema(task.schema, include_public=False)
                MigrationRecorder(connection).ensure_schema()
            connection.set_schema(task.schema)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true),"
                    " pg_try_advisory_xact_lock(hashtext(%s))",
                    [
                        f"{self.options.lock_timeout_ms}ms",
                        f"{self.options.statement_timeout_ms}ms",
                        f"eoffice-rollout:{task.schema}",
                    ],
                )
                if not cursor.fetchone()[2]:
                    raise SchemaMigrationError(_("Skema ini sedang dimigrasikan oleh proses lain."))
                cursor.execute("SELECT app, name FROM django_migrations")
                applied_now = frozenset(cursor.fetchall())
            pending = self.plan.catalogue.pending(applied_now)
            if not pending:
                return "", ()
            facts = self.plan.catalogue.facts(pending)
            method: str
            if is_public or not facts.replayable:
                self._run_executor(connection, pending, capture=None)
                method = RolloutTenant.Method.EXECUTOR
            else:
                method = self._run_shared_plan(connection, pending)
            if facts.changes_model_set:
                self._post_migrate(connection, pending)
        return method, pending

    def _run_shared_plan(self, connection, pending: tuple[Node, ...]) -> str:
        recipe = self.book.recipes.get(pending)
        if recipe is None:
            with self.book.lock_for(pending):
                recipe = self.book.recipes.get(pending)
                if recipe is None:
                    statements: list[str] = []
                    self._run_executor(connection, pending, capture=statements)
                    # Kept even if this schema later fails on post_migrate work: the DDL stands.
                    self.book.recipes[pending] = _Recipe(statements=statements)
                    return RolloutTenant.Method.EXECUTOR
        with connection.cursor() as cursor:
            for statement in recipe.statements:
                cursor.execute(statement)
            now = timezone.now()
            values = ", ".join(["(%s, %s, %s)"] * len(pending))
            params: list[object] = []
            for app, name in pending:
                params += [app, name, now]
            cursor.execute(f"INSERT INTO django_migrations (app, name, applied) VALUES {values}", params)
        return RolloutTenant.Method.REPLAY

    def _run_executor(self, connection, pending: tuple[Node, ...], capture: list[str] | None) -> None:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        planned = tuple((migration.app_label, migration.name) for migration, _backwards in plan)
        if set(planned) != set(pending):
            raise SchemaMigrationError(
                f"plan mismatch: expected {[node_label(n) for n in pending]}, "
                f"executor planned {[node_label(n) for n in planned]}"
            )
        if capture is None:
            executor.migrate(targets, plan=plan)
        else:
            with _capturing(connection, capture):
                executor.migrate(targets, plan=plan)

    def _post_migrate(self, connection, pending: tuple[Node, ...]) -> None:
        plan = [(self.plan.catalogue.migration(node), False) for node in pending]
        with _POST_MIGRATE_LOCK:
            ContentType.objects.clear_cache()
            try:
                emit_post_migrate_signal(0, False, connection.alias, apps=global_apps, plan=plan)
            finally:
                ContentType.objects.clear_cache()

    # -- waves -----------------------------------------------------------------------------------

    def run(self) -> str:
        waves = self.plan.waves()
        for wave, tasks in waves.items():
            if wave >= WAVE_FIRST and self.failures >= self.options.halt_after_failures:
                self.report(_("Dihentikan: %(n)d skema gagal.") % {"n": self.failures})
                return Rollout.Status.HALTED
            self.report(f"wave {wave}: {len(tasks)} schema(s)")
            if wave == WAVE_PUBLIC:
                if not all(self.migrate(task) for task in tasks):
                    return Rollout.Status.HALTED
            elif wave in (WAVE_MANAGED, WAVE_CANARY):
                results = [self.migrate(task) for task in tasks]
                if not all(results):
                    # The template or a canary failed: the release is broken, spare everybody else.
                    return Rollout.Status.HALTED
            else:
                self._parallel(tasks)
        return Rollout.Status.FAILED if self.failures else Rollout.Status.SUCCEEDED

    def _parallel(self, tasks: list[SchemaTask]) -> None:
        work: queue.Queue[SchemaTask | None] = queue.Queue()
        for task in tasks:
            work.put(task)
        count = max(1, min(self.options.workers, len(tasks)))
        for _index in range(count):
            work.put(None)

        def worker() -> None:
            try:
                while (task := work.get()) is not None:
                    try:
                        self.migrate(task)
                    except Exception as exc:  # recording the outcome failed: still never stop the others
                        self._record_crash(task, exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, name=f"rollout-{i}", daemon=True) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _record_plan(rollout: Rollout, plan: RolloutPlan) -> None:
    now = timezone.now()
    # On resume, schemas this rollout already migrated keep their record.
    done = set(
        RolloutTenant.objects.filter(rollout=rollout, status=RolloutTenant.Status.SUCCEEDED).values_list(
            "schema_name", flat=True
        )
    )
    rows = [
        RolloutTenant(
            rollout=rollout,
            schema_name=task.schema,
            wave=task.wave,
            status=RolloutTenant.Status.PENDING if task.pending else RolloutTenant.Status.SKIPPED,
            migrations=task.labels,
            error="",
        )
        for task in plan.tasks
        if task.pending or task.schema not in done
    ]
    RolloutTenant.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["rollout", "schema_name"],
        update_fields=["wave", "status", "migrations", "error"],
    )
    at_head = [task.schema for task in plan.tasks if not task.pending]
    SchemaState.objects.bulk_create(
        [
            SchemaState(
                schema_name=name,
                at_head=True,
                applied_count=len(plan.catalogue.order),
                pending=[],
                checked_at=now,
            )
            for name in at_head
        ],
        update_conflicts=True,
        unique_fields=["schema_name"],
        update_fields=["at_head", "applied_count", "pending", "checked_at"],
    )


_ROLLOUT_LOCK_KEY = "eoffice-rollout"


@contextmanager
def _rollout_lock() -> Iterator[None]:
    """One rollout at a time over the whole platform (a session lock: it dies with the process)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [_ROLLOUT_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise ApplicationError(
                _("Rollout lain sedang berjalan. Tunggu sampai selesai."), code="rollout_running", status=409
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_ROLLOUT_LOCK_KEY])


def rollout_run(
    *,
    plan_kwargs: dict | None = None,
    options: RolloutOptions | None = None,
    started_by: str = "",
    resume: Rollout | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> Rollout:
    """Migrate every schema that is behind; see the module docstring for the order and guarantees.

    With `resume`, the same rollout record continues: schemas already at the head are skipped, failed
    and interrupted ones are tried again.
    """
    options = options or RolloutOptions()
    if not 1 <= options.workers <= 64:
        raise ApplicationError(_("Jumlah worker harus 1–64."), fields={"workers": [_("Isi 1–64.")]})
    kwargs = dict(plan_kwargs or {})
    with _rollout_lock():
        if resume is not None:
            kwargs.setdefault("canary", resume.canary)
        plan = rollout_plan(**kwargs)
        now = timezone.now()
        if resume is None:
            # A rollout left "running" by a killed process is over; this run takes its place.
            Rollout.objects.filter(status=Rollout.Status.RUNNING).update(
                status=Rollout.Status.INTERRUPTED, finished_at=now
            )
            rollout = Rollout.objects.create(
                status=Rollout.Status.RUNNING,
                on_failure=options.on_failure,
                workers=options.workers,
                canary=list(kwargs.get("canary", [])),
                target=[node_label(node) for node in plan.catalogue.order],
                started_by=started_by,
                started_at=now,
            )
        else:
            rollout = resume
            rollout.status = Rollout.Status.RUNNING
            rollout.resumed_count += 1
            rollout.finished_at = None
            rollout.workers = options.workers
            rollout.on_failure = options.on_failure
            rollout.save(update_fields=["status", "resumed_count", "finished_at", "workers", "on_failure"])
        _record_plan(rollout, plan)
        runner = _Runner(rollout=rollout, plan=plan, options=options, report=report)
        status: str = Rollout.Status.INTERRUPTED
        try:
            status = runner.run()
        finally:
            connections[DEFAULT_DB_ALIAS].set_schema_to_public()  # type: ignore[attr-defined]
            notes = []
            if plan.missing:
                notes.append(_("Skema tidak ditemukan: %(names)s") % {"names": ", ".join(plan.missing)})
            if status == Rollout.Status.SUCCEEDED:
                # The closing check reads every schema again (one query): succeeded means at the head.
                behind = schema_heads(schemas=[task.schema for task in plan.tasks]).behind
                if behind:
                    status = Rollout.Status.FAILED
                    notes.append(_("Masih tertinggal: %(names)s") % {"names": ", ".join(sorted(behind))})
            note = " ".join(notes)
            Rollout.objects.filter(pk=rollout.pk).update(status=status, finished_at=timezone.now(), note=note)
            rollout.refresh_from_db()
    return rollout
