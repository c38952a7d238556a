"""`manage.py tenant_rollout`: dry run, no-op run."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.operations.models import Rollout, RolloutTenant
from tenants.operations.rollout import RolloutOptions, rollout_run
from tenants.operations.selectors import migration_order, schema_heads
from tenants.operations.tests.conftest import BEHIND_APP


def test_dry_run_lists_waves_schemas_and_migrations_and_changes_nothing(scratch):
    # given
    canary, other = scratch.behind(2)
    rollouts = Rollout.objects.count()
    out = StringIO()
    # when
    call_command(
        "tenant_rollout", "--dry-run", "--schemas", f"{canary},{other}", "--canary", canary, stdout=out
    )
    # then
    pending = ", ".join(f"{app}.{name}" for app, name in migration_order() if app == BEHIND_APP)
    lines = out.getvalue().splitlines()
    assert "wave 2 (canary): 1 schema(s)" in lines
    assert f"  {canary}: {pending}" in lines
    assert "wave 3 (parallel): 1 schema(s)" in lines
    assert f"  {other}: {pending}" in lines
    assert "2 schema(s) to migrate" in out.getvalue()
    assert Rollout.objects.count() == rollouts
    assert set(schema_heads(schemas=[canary, other]).behind) == {canary, other}


def test_no_op_rollout_skips_every_schema_at_head_with_a_constant_number_of_queries(db, sumedang, kendari):
    # given every schema at the head
    # when
    with CaptureQueriesContext(connection) as queries:
        rollout = rollout_run(
            plan_kwargs={"managed": [], "schemas": ["sumedang", "kendari"]}, options=RolloutOptions(workers=4)
        )
    # then nothing ran in any schema; the queries do not depend on the number of tenants
    assert rollout.status == Rollout.Status.SUCCEEDED
    statuses = set(RolloutTenant.objects.filter(rollout=rollout).values_list("status", flat=True))
    assert statuses == {"skipped"}
    assert set(RolloutTenant.objects.filter(rollout=rollout).values_list("schema_name", flat=True)) == {
        "sumedang",
        "kendari",
        "public",
    }
    assert len(queries) <= 16
    assert not any("django_migrations (app" in q["sql"] for q in queries)


def test_rollout_with_bad_worker_count_is_refused(db):
    with pytest.raises(CommandError, match="Jumlah worker harus 1–64."):
        call_command("tenant_rollout", "--workers", "0", verbosity=0)
