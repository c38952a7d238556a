"""tenant_backup, tenant_restore (incl. the confirmed swap), tenant_restore_drill, tenant_export."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.operations.models import Backup, Export, Restore


@pytest.fixture(autouse=True)
def _local_storage(settings, tmp_path) -> None:
    settings.TENANT_BACKUP_BUCKET = ""
    settings.TENANT_BACKUP_LOCAL_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _rows(schema: str, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".{table}')
        return cursor.fetchone()[0]


def test_backup_restore_and_confirmed_swap_of_a_tenant(scratch):
    # given a tenant with one audit row, backed up
    schema = scratch.fresh()
    scratch.tenant_for(schema)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{schema}".audit_auditevent (actor, action, target_type, target_id, target, reason, '
            "request_id, created_at) VALUES ('uji', 'uji.sebelum', 'x', '1', 'x', '', '', now())"
        )
    assert "backup #" in _run("tenant_backup", "--schema", schema)
    # and a change made after the backup
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE \"{schema}\".audit_auditevent SET action = 'uji.sesudah'")
    # when restored into a new schema
    output = _run("tenant_restore", "--latest", schema)
    restore = Restore.objects.get(source_schema=schema)
    scratch.schemas.append(restore.target_schema)
    # then it is verified and the live schema is untouched
    assert f"Restore #{restore.pk}: verified into {restore.target_schema}" in output
    assert f"--swap {restore.pk} --confirm {schema}" in output
    # when the operator swaps without typing the name
    with pytest.raises(CommandError, match=f"Ketik nama skema {schema}"):
        _run("tenant_restore", "--swap", str(restore.pk), "--confirm", "salah")
    # and with it
    output = _run("tenant_restore", "--swap", str(restore.pk), "--confirm", schema)
    restore.refresh_from_db()
    kept = restore.verification["previous_schema"]
    scratch.schemas.append(kept)
    # then the tenant's schema holds the backup's data and the old schema is kept
    assert restore.status == Restore.Status.SWAPPED
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT action FROM "{schema}".audit_auditevent')
        assert cursor.fetchall() == [("uji.sebelum",)]
        cursor.execute(f'SELECT action FROM "{kept}".audit_auditevent')
        assert cursor.fetchall() == [("uji.sesudah",)]
    assert f"the old one is {kept}" in output


def test_restore_drill_reports_the_verification_and_cleans_up(db, sumedang):
    # when
    output = _run("tenant_restore_drill", "--schema", "sumedang", "--fresh")
    # then
    assert output.startswith("Drill sumedang: backup #")
    assert "— verified:" in output
    assert "mismatched: none" in output
    restore = Restore.objects.get(source_schema="sumedang")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [restore.target_schema])
        assert cursor.fetchone() == (0,)
    assert Backup.objects.get(schema_name="sumedang").trigger == Backup.Trigger.DRILL


def test_export_command_builds_the_zip(db, sumedang):
    output = _run("tenant_export", "--schema", "sumedang")
    export = Export.objects.get(schema_name="sumedang")
    assert export.status == Export.Status.READY
    assert f"Export #{export.pk}: ready" in output


def test_backup_of_unknown_tenant_is_refused(db):
    with pytest.raises(CommandError, match="Unknown tenant schema"):
        _run("tenant_backup", "--schema", "tidak_ada")
