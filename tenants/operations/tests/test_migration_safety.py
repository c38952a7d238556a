"""Zero-downtime rules: unsafe operations in tenant migrations must be reviewed explicitly."""

from django.apps import apps
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from tenants.operations.safety import migration_unsafe_operations

PROJECT_PACKAGES = ("modules.", "eoffice.", "tenants")


def _migration(*operations, reviewed: str = "") -> migrations.Migration:
    attributes: dict = {"operations": list(operations)}
    if reviewed:
        attributes["rollout_reviewed"] = reviewed
    return type("Migration", (migrations.Migration,), attributes)("0002_change", "kepegawaian")


def test_every_tenant_migration_in_the_repository_is_safe_or_reviewed():
    # given the migrations of our apps whose tables live in every tenant schema
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_apps = {app.split(".")[-1] for app in settings.TENANT_APPS}
    checked = 0
    unreviewed = []
    for (label, _name), migration in sorted(loader.disk_migrations.items()):
        config = apps.get_app_config(label)
        if not config.name.startswith(PROJECT_PACKAGES) or config.name not in settings.TENANT_APPS:
            continue
        assert label in tenant_apps
        checked += 1
        # when
        found = migration_unsafe_operations(migration=migration)
        unreviewed += [str(item) for item in found if not item.reviewed]
    # then: mark a reviewed migration with `rollout_reviewed = "why it is safe"` (see safety.py)
    assert checked > 0
    assert unreviewed == []


def test_adding_a_nullable_column_and_a_new_model_with_its_index_is_safe():
    migration = _migration(
        migrations.AddField("pegawai", "catatan", models.TextField(null=True)),
        migrations.CreateModel(
            "Baru", [("id", models.BigAutoField(primary_key=True)), ("x", models.IntegerField())]
        ),
        migrations.AddIndex("baru", models.Index(fields=["x"], name="baru_x_idx")),
    )
    assert migration_unsafe_operations(migration=migration) == []


def test_dropping_renaming_and_indexing_existing_tables_is_flagged():
    migration = _migration(
        migrations.RemoveField("pegawai", "catatan"),
        migrations.RenameField("pegawai", "nama", "nama_lengkap"),
        migrations.AddIndex("pegawai", models.Index(fields=["nama"], name="pegawai_nama_idx")),
        migrations.AddField("pegawai", "kode", models.CharField(max_length=5, unique=True, null=True)),
        migrations.RunPython(migrations.RunPython.noop),
    )
    found = migration_unsafe_operations(migration=migration)
    assert [item.reason for item in found] == [
        "drops a column the running code still reads",
        "renames a column the running code still reads",
        "builds an index while blocking writes (not CONCURRENTLY)",
        "adds a column with an index built while blocking writes",
        "runs arbitrary code per tenant (duration and locks unknown)",
    ]
    assert {item.migration for item in found} == {"kepegawaian.0002_change"}
    assert all(item.reviewed == "" for item in found)


def test_a_reviewed_migration_carries_its_reason():
    migration = _migration(
        migrations.RemoveField("pegawai", "catatan"), reviewed="column unused since 2026-11"
    )
    [item] = migration_unsafe_operations(migration=migration)
    assert item.reviewed == "column unused since 2026-11"
    assert str(item).endswith("(reviewed: column unused since 2026-11)")


def test_pending_unsafe_operations_are_listed_for_the_console():
    from tenants.operations.selectors import SchemaHeads, pending_unsafe_operations

    # given schemas behind on a safe migration and on one that runs Python (Django's own)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    app, name = sorted(key for key in loader.disk_migrations if key[0] == "presensi")[0]
    heads = SchemaHeads(
        total=3,
        at_head=["a"],
        behind={"b": [f"{app}.{name}"], "c": ["contenttypes.0002_remove_content_type_name"]},
        missing=[],
    )
    # when
    found = pending_unsafe_operations(heads=heads)
    # then
    assert found == [
        "contenttypes.0002_remove_content_type_name: Alter field name on contenttype: "
        "may rewrite the table or scan it under an exclusive lock",
        "contenttypes.0002_remove_content_type_name: Raw Python operation: "
        "runs arbitrary code per tenant (duration and locks unknown)",
        "contenttypes.0002_remove_content_type_name: Remove field name from contenttype: "
        "drops a column the running code still reads",
    ]
    assert pending_unsafe_operations(heads=SchemaHeads(total=1, at_head=["a"], behind={}, missing=[])) == []
