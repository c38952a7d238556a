"""Provisioning from the template: complete, correct after a migration is added, all-or-nothing."""

import shutil
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from django_tenants.utils import schema_context, schema_exists

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Unit
from tenants import provisioning
from tenants.models import Domain, Tenant, TenantConfigVersion
from tenants.services import AdminAccount, tenant_provision, wilayah_units_for

pytestmark = pytest.mark.django_db


def _provision(kode: str = "74.72", subdomain: str = "baubau", username: str = "admin.baubau") -> Tenant:
    return tenant_provision(
        kode=kode,
        name="Kota Baubau",
        jenis=Tenant.Jenis.KOTA,
        provinsi="Sulawesi Tenggara",
        timezone=Tenant.Zona.WITA,
        subdomain=subdomain,
        admin=AdminAccount(username=username, email="admin@baubaukota.go.id", nama="Admin Baubau"),
    )


def _columns(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s", [schema]
        )
        return set(cursor.fetchall())


def _tenant_model_columns() -> set[tuple[str, str]]:
    """(table, column) of every concrete field of every model living in tenant schemas."""
    wanted = set()
    migrated = MigrationLoader(None, ignore_no_migrations=True).migrated_apps
    for app_config in apps.get_app_configs():
        # An app still without migrations has no tables on any path (it is work in progress).
        if app_config.name not in settings.TENANT_APPS or app_config.label not in migrated:
            continue
        for model in app_config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                wanted |= {
                    (model._meta.db_table, field.column) for field in model._meta.local_concrete_fields
                }
    return wanted


def test_kendari_wilayah_has_11_kecamatan_and_65_kelurahan():
    # given the reference data loaded by migration
    # when the regency's units are listed
    rows = wilayah_units_for(kode="74.71")
    # then
    assert sum(1 for _k, _n, level in rows if level == 3) == 11
    assert sum(1 for _k, _n, level in rows if level == 4) == 65


def test_demo_kendari_was_provisioned_with_its_organisation(kendari):
    # given Kendari created by demo_seed through tenant_provision
    # then its schema holds the skeleton and its first configuration exists
    with schema_context(kendari.schema_name):
        assert Unit.objects.filter(jenis=Unit.Jenis.KECAMATAN).count() == 11
        assert Unit.objects.filter(jenis=Unit.Jenis.KELURAHAN).count() == 65
        assert Unit.objects.filter(jenis=Unit.Jenis.PEMDA).get().nama == "Kota Kendari"
    assert kendari.status == Tenant.Status.ACTIVE
    assert kendari.config["timezone"] == "Asia/Makassar"
    assert TenantConfigVersion.objects.filter(tenant=kendari).count() == 1


def test_provision_creates_active_tenant_with_admin_units_and_every_model_column():
    # when
    tenant = _provision()
    # then the tenant is active on its host with its administrator and units
    assert tenant.status == Tenant.Status.ACTIVE
    assert Domain.objects.get(tenant=tenant).domain == f"baubau.{settings.ROOT_DOMAIN}"
    with schema_context("baubau"):
        admin = User.objects.get()
        assert (admin.username, admin.peran, admin.has_usable_password()) == (
            "admin.baubau",
            "admin_pemda",
            False,
        )
        assert Unit.objects.filter(jenis=Unit.Jenis.KECAMATAN).count() == 8
    # and the schema has every column of the current tenant models, and every migration recorded
    missing = _tenant_model_columns() - _columns("baubau")
    assert missing == set()
    assert provisioning.missing_migrations("baubau") == set()
    event = AuditEvent.objects.get(action="tenant.provision", target_id=str(tenant.pk))
    assert event.after["method"] in ("restore", "spare")


def test_provision_takes_a_spare_schema_when_one_is_ready():
    # given one spare at the head
    assert provisioning.spare_pool_fill(size=1) == 1
    [spare] = provisioning.spare_schema_names()
    # when
    tenant = _provision()
    # then the spare became the tenant's schema
    assert not schema_exists(spare)
    assert provisioning.spare_schema_names() == []
    assert (
        AuditEvent.objects.get(action="tenant.provision", target_id=str(tenant.pk)).after["method"] == "spare"
    )
    assert _tenant_model_columns() - _columns("baubau") == set()


def test_managed_schema_names_lists_template_and_spares():
    provisioning.spare_pool_fill(size=2)
    names = provisioning.managed_schema_names()
    assert names[-1] == provisioning.TEMPLATE_SCHEMA
    assert len([name for name in names if name.startswith(provisioning.SPARE_PREFIX)]) == 2


def test_added_migration_reaches_template_spares_and_new_tenant(tmp_path, monkeypatch):
    # given a new migration for presensi that adds a column (a copy of the app's migrations
    # plus one more, as a release would ship)
    package = f"probe_migrations_{uuid.uuid4().hex[:8]}"
    target = tmp_path / package
    shutil.copytree(
        Path(apps.get_app_config("presensi").path) / "migrations",
        target,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    [leaf] = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("presensi")
    (target / "9999_probe_column.py").write_text(
        "from django.db import migrations, models\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('presensi', '{leaf[1]}')]\n"
        "    operations = [migrations.AddField('statusharian', 'kolom_uji', models.IntegerField(null=True))]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    provisioning.spare_pool_fill(size=1)  # a spare made before the release: it must not be used
    with override_settings(MIGRATION_MODULES={"presensi": package}):
        # when the template is compared with the code, then it lags by exactly that migration
        assert provisioning.missing_migrations(provisioning.TEMPLATE_SCHEMA) == {
            ("presensi", "9999_probe_column")
        }
        # when a tenant is provisioned
        tenant = _provision()
        # then the template was migrated first and the tenant has the new column
        assert provisioning.missing_migrations(provisioning.TEMPLATE_SCHEMA) == set()
        assert provisioning.missing_migrations(tenant.schema_name) == set()
    assert ("presensi_statusharian", "kolom_uji") in _columns("baubau")
    assert ("presensi_statusharian", "kolom_uji") in _columns(provisioning.TEMPLATE_SCHEMA)
    method = AuditEvent.objects.get(action="tenant.provision", target_id=str(tenant.pk)).after["method"]
    assert method == "clone"  # the lagging spare was skipped; the uncommitted template was copied
    sys.modules.pop(package, None)


def test_failed_provisioning_leaves_no_schema_and_no_rows():
    # given an administrator name the account rules refuse (a space), failing after the schema exists
    # when
    with pytest.raises(ApplicationError) as error:
        _provision(username="admin baubau")
    # then nothing of the tenant is left, so a retry can start again
    assert "username" in error.value.fields
    assert not Tenant.objects.filter(kode="74.72").exists()
    assert not Domain.objects.filter(domain__startswith="baubau.").exists()
    assert not schema_exists("baubau")
    # and the retry succeeds
    assert _provision().status == Tenant.Status.ACTIVE


@pytest.mark.parametrize(
    ("kode", "subdomain", "field", "status"),
    [
        ("74.71", "kendari2", "kode", 409),  # the regency is on the platform already
        ("74.72", "kendari", "subdomain", 409),  # the subdomain is taken
        ("74.72", "www", "subdomain", 400),  # reserved
        ("74.72", "Bau Bau", "subdomain", 400),  # invalid
        ("74.72", "tenant-template", "subdomain", 400),  # would collide with platform schemas
    ],
)
def test_duplicate_reserved_or_invalid_input_is_refused_without_a_tenant(
    kendari, kode, subdomain, field, status
):
    before = Tenant.objects.count()
    with pytest.raises(ApplicationError) as error:
        _provision(kode=kode, subdomain=subdomain)
    assert field in error.value.fields
    assert error.value.status == status
    assert Tenant.objects.count() == before


def test_villages_sharing_a_name_in_one_kecamatan_get_distinct_unit_names():
    # given Kecamatan Sorkam Barat (12.01.10), which has both a kelurahan and a desa "Sorkam Kanan"
    rows = {code: nama for code, nama, _level in wilayah_units_for(kode="12.01")}
    # then both become units with names that can live under one parent
    assert rows["12.01.10.1001"] == "Sorkam Kanan (Kelurahan)"
    assert rows["12.01.10.2018"] == "Sorkam Kanan (Desa)"
    assert rows["12.01.10.1019"] == "Binasi"


def test_every_regency_gets_unit_names_unique_under_their_parent():
    # given the whole reference list; then no regency's skeleton breaks the unit-name constraint
    from collections import Counter

    from tenants.models import Wilayah

    for kode in Wilayah.objects.filter(level=2).values_list("kode", flat=True):
        rows = wilayah_units_for(kode=kode)
        names = Counter((code.rsplit(".", 1)[0], nama) for code, nama, _level in rows)
        assert max(names.values(), default=1) == 1, kode
