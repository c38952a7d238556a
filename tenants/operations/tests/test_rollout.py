"""The rollout engine against real schemas in a real PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Tenant
from tenants.operations.models import Rollout, RolloutTenant, SchemaState
from tenants.operations.pgtools import schema_ddl
from tenants.operations.rollout import RolloutOptions, rollout_plan, rollout_run
from tenants.operations.selectors import migration_order, schema_heads, schemas_applied_migrations
from tenants.operations.tests.conftest import BEHIND_APP


def _applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _behind_nodes() -> list[str]:
    return [f"{app}.{name}" for app, name in migration_order() if app == BEHIND_APP]


def test_applied_migrations_of_every_schema_are_read_in_one_union_query(scratch):
    # given two behind schemas and one at the head
    behind = scratch.behind(2)
    fresh = scratch.fresh()
    # when
    with CaptureQueriesContext(connection) as queries:
        applied = schemas_applied_migrations(schemas=[*behind, fresh, "no_such_schema"])
    # then: one catalogue lookup plus ONE query over every schema's django_migrations
    sql = [query["sql"] for query in queries if not query["sql"].startswith("SET ")]
    assert len(sql) == 2
    assert sql[1].count("UNION ALL") == 2
    assert applied["no_such_schema"] is None
    assert applied[fresh] == frozenset(migration_order())
    assert applied[behind[0]] == frozenset(n for n in migration_order() if n[0] != BEHIND_APP)


def test_rollout_migrates_template_first_then_replays_the_plan_and_skips_schemas_at_head(scratch):
    # given a template, three behind tenants and one at the head
    template, *tenants = scratch.behind(4)
    current = scratch.fresh()
    # when
    rollout = rollout_run(
        plan_kwargs={"schemas": [*tenants, current], "managed": [template]},
        options=RolloutOptions(workers=2),
        started_by="test",
    )
    # then every schema is at the head
    assert rollout.status == Rollout.Status.SUCCEEDED
    heads = schema_heads(schemas=[template, *tenants, current])
    assert heads.behind == {}
    assert heads.missing == []
    rows = {row.schema_name: row for row in RolloutTenant.objects.filter(rollout=rollout)}
    # the template is migrated first by Django's executor, the tenants replay its DDL
    assert (rows[template].wave, rows[template].method, rows[template].status) == (1, "executor", "succeeded")
    for name in tenants:
        assert (rows[name].method, rows[name].status) == ("replay", "succeeded")
        assert rows[name].migrations == _behind_nodes()
        assert rows[name].duration_ms is not None
    assert rows[current].status == "skipped"
    assert rows["public"].status == "skipped"
    states = {s.schema_name: s for s in SchemaState.objects.filter(schema_name__in=[*tenants, current])}
    assert all(state.at_head and state.pending == [] for state in states.values())
    assert states[tenants[0]].last_rollout_id == rollout.pk


def test_rolled_out_schemas_are_identical_to_a_freshly_migrated_one(scratch):
    # given a recorded (executor) schema, a replayed one, and one migrated from scratch the standard way
    recorded, replayed = scratch.behind_migrated(), scratch.behind_migrated()
    rollout_run(
        plan_kwargs={"schemas": [recorded, replayed], "managed": []}, options=RolloutOptions(workers=1)
    )
    fresh = scratch.fresh()
    # when
    dumps = {name: schema_ddl(schema=name) for name in (recorded, replayed, fresh)}
    # then the structure (tables, columns, indexes, constraints, sequences) is the same
    assert "CREATE TABLE SCHEMA.presensi_statusharian" in dumps[fresh]
    assert dumps[replayed] == dumps[fresh]
    assert dumps[recorded] == dumps[fresh]
    assert _applied(replayed) == _applied(fresh)
    # and post_migrate work ran because the model set changed: same content types and permissions
    with connection.cursor() as cursor:
        sets = []
        for name in (replayed, fresh):
            cursor.execute(
                f'SELECT ct.app_label, ct.model, p.codename FROM "{name}".auth_permission p '
                f'JOIN "{name}".django_content_type ct ON ct.id = p.content_type_id'
            )
            sets.append(set(cursor.fetchall()))
    assert sets[0] == sets[1]
    assert ("presensi", "statusharian", "view_statusharian") in sets[0]


def test_failing_tenant_is_rolled_back_put_in_maintenance_and_does_not_block_others(scratch):
    # given three behind tenants, one of which has a table in the way of the migration
    good_a, broken, good_b = scratch.behind(3)
    tenant = scratch.tenant_for(broken)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{broken}".presensi_statusharian (id int)')
    # when the operator chose maintenance for failures
    rollout = rollout_run(
        plan_kwargs={"schemas": [good_a, broken, good_b], "managed": []},
        options=RolloutOptions(workers=2, on_failure=Rollout.OnFailure.MAINTENANCE),
    )
    # then the broken tenant failed with its error, rolled back entirely, and is in maintenance
    assert rollout.status == Rollout.Status.FAILED
    row = RolloutTenant.objects.get(rollout=rollout, schema_name=broken)
    assert row.status == "failed"
    assert "already exists" in row.error
    assert not any(app == BEHIND_APP for app, _name in _applied(broken))
    assert _tables(broken) >= {"presensi_statusharian"}
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.MAINTENANCE
    state = SchemaState.objects.get(schema_name=broken)
    assert (state.at_head, state.last_result) == (False, "failed")
    assert state.pending == _behind_nodes()
    # and the others reached the head
    assert schema_heads(schemas=[good_a, good_b]).behind == {}


def test_failed_tenant_left_on_last_good_state_when_operator_chose_keep(scratch):
    # given
    broken, good = scratch.behind(2)
    tenant = scratch.tenant_for(broken)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{broken}".presensi_statusharian (id int)')
    # when
    rollout = rollout_run(
        plan_kwargs={"schemas": [broken, good], "managed": []},
        options=RolloutOptions(workers=1, on_failure=Rollout.OnFailure.KEEP),
    )
    # then
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ACTIVE
    assert RolloutTenant.objects.get(rollout=rollout, schema_name=good).status == "succeeded"
    # and after the operator fixes the schema, a resumed rollout migrates only what is left
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{broken}".presensi_statusharian')
    resumed = rollout_run(
        plan_kwargs={"schemas": [broken, good], "managed": []},
        options=RolloutOptions(workers=1),
        resume=rollout,
    )
    assert resumed.pk == rollout.pk
    assert resumed.status == Rollout.Status.SUCCEEDED
    assert resumed.resumed_count == 1
    statuses = dict(RolloutTenant.objects.filter(rollout=rollout).values_list("schema_name", "status"))
    assert statuses[broken] == "succeeded"
    assert statuses[good] == "succeeded"  # migrated by the first run; a resume keeps its record


def test_canary_failure_halts_the_rollout_before_the_waves(scratch):
    # given a broken canary
    canary, other = scratch.behind(2)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{canary}".presensi_statusharian (id int)')
    # when
    rollout = rollout_run(
        plan_kwargs={"schemas": [canary, other], "managed": [], "canary": [canary]},
        options=RolloutOptions(workers=2),
    )
    # then
    assert rollout.status == Rollout.Status.HALTED
    statuses = dict(RolloutTenant.objects.filter(rollout=rollout).values_list("schema_name", "status"))
    assert statuses == {"public": "skipped", canary: "failed", other: "pending"}
    assert schema_heads(schemas=[other]).behind == {other: _behind_nodes()}


def test_plan_orders_public_managed_canary_then_waves(scratch):
    # given
    template, canary, *rest = scratch.behind(5)
    # when
    plan = rollout_plan(schemas=[canary, *rest], managed=[template], canary=[canary], wave_size=2)
    # then
    assert [(task.schema, task.wave) for task in plan.to_migrate] == [
        (template, 1),
        (canary, 2),
        (rest[0], 3),
        (rest[1], 3),
        (rest[2], 4),
    ]
    assert plan.tasks[0].schema == "public"
    assert plan.tasks[0].pending == ()


def test_unknown_canary_is_refused(db):
    from eoffice.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        rollout_plan(schemas=[], managed=[], canary=["bukan_tenant"])
    assert error.value.fields == {"canary": ["Gunakan nama skema tenant yang terdaftar."]}


def test_root_health_names_the_schemas_behind_the_head(scratch, client_for):
    # given a tenant whose schema is behind (committed: no `db` fixture, the rollout uses threads)
    platform_tenant = Tenant.objects.get(schema_name="public")
    schema = scratch.behind(1)[0]
    scratch.tenant_for(schema)
    # when
    migrations = client_for(platform_tenant).get("/health/").json()["migrations"]
    # then
    assert migrations["schemas"]["all_at_head"] is False
    assert schema in migrations["schemas"]["behind"]
    assert migrations["schemas"]["total"] == migrations["schemas"]["at_head"] + len(
        migrations["schemas"]["behind"]
    ) + len(migrations["schemas"]["missing"])
    # and after the rollout it is at the head
    rollout_run(plan_kwargs={"schemas": [schema], "managed": []}, options=RolloutOptions(workers=1))
    after = client_for(platform_tenant).get("/health/").json()["migrations"]["schemas"]
    assert schema not in after["behind"]


def test_migration_facts_decide_replay_and_post_migrate(db):
    from tenants.operations.rollout import MigrationCatalogue, MigrationFacts

    catalogue = MigrationCatalogue()
    behind = tuple(node for node in migration_order() if node[0] == BEHIND_APP)
    # CreateModel and friends: DDL only, and the model set changes
    assert catalogue.facts(behind) == MigrationFacts(replayable=True, changes_model_set=True)
    # RunPython: every schema runs Django's executor
    python = (("contenttypes", "0002_remove_content_type_name"),)
    assert catalogue.facts(python).replayable is False


def test_post_migrate_work_runs_only_when_the_model_set_changes(scratch, monkeypatch):
    from tenants.operations import rollout as engine
    from tenants.operations.rollout import MigrationCatalogue, MigrationFacts

    calls = []
    monkeypatch.setattr(engine, "emit_post_migrate_signal", lambda *args, **kwargs: calls.append(args))
    # given the model set changes: every migrated schema gets its content types and permissions
    first = scratch.behind(2)
    rollout_run(plan_kwargs={"schemas": first, "managed": []}, options=RolloutOptions(workers=1))
    assert len(calls) == 2
    # given a plan that does not change the model set (as an AddField would)
    calls.clear()
    monkeypatch.setattr(
        MigrationCatalogue,
        "facts",
        lambda self, pending: MigrationFacts(replayable=True, changes_model_set=False),
    )
    second = scratch.behind(2)
    rollout_run(plan_kwargs={"schemas": second, "managed": []}, options=RolloutOptions(workers=1))
    # then no post_migrate work at all, and the schemas still reach the head
    assert calls == []
    assert schema_heads(schemas=second).behind == {}


def test_a_squashed_migration_counts_as_applied_when_all_it_replaces_are(monkeypatch):
    from tenants.operations import selectors

    squash, first, second = ("x", "0001_squashed_0002"), ("x", "0001_a"), ("x", "0002_b")
    monkeypatch.setattr(selectors, "_replacements", lambda: ((squash, frozenset({first, second})),))
    assert selectors.applied_with_squashes(frozenset({first, second})) == {first, second, squash}
    assert selectors.applied_with_squashes(frozenset({first})) == {first}
