"""Deletion after retention removes schema, files and backups, and records what was deleted."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from eoffice.core.errors import ApplicationError
from tenants.models import Tenant
from tenants.operations.backups import backup_create
from tenants.operations.models import Backup, TenantDeletion
from tenants.operations.services import tenant_purge
from tenants.operations.storage import backup_storage


@pytest.fixture(autouse=True)
def _local_storage(settings, tmp_path) -> None:
    settings.TENANT_BACKUP_BUCKET = ""
    settings.TENANT_BACKUP_LOCAL_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone()[0] == 1


def test_purge_after_retention_removes_schema_files_and_backups_and_records_them(scratch):
    # given an archived tenant past its retention, with a file and a backup
    schema = scratch.fresh()
    tenant = scratch.tenant_for(schema)
    default_storage.save(f"tenants/{schema}/persuratan/a.pdf", ContentFile(b"%PDF"))
    backup = backup_create(tenant=tenant)
    Tenant.objects.filter(pk=tenant.pk).update(
        status=Tenant.Status.ARCHIVED, delete_after=timezone.now() - timedelta(days=1)
    )
    tenant.refresh_from_db()
    # when
    deletion = tenant_purge(tenant=tenant, actor=None, reason="Masa retensi berakhir")
    # then
    assert not _schema_exists(schema)
    assert not Tenant.objects.filter(pk=tenant.pk).exists()
    assert not default_storage.exists(f"tenants/{schema}/persuratan/a.pdf")
    assert backup_storage().keys(prefix=f"tenants/{schema}/") == []
    assert Backup.objects.get(pk=backup.pk).status == Backup.Status.DELETED
    recorded = TenantDeletion.objects.get(schema_name=schema)
    assert recorded.pk == deletion.pk
    assert recorded.status == TenantDeletion.Status.DELETED
    assert recorded.deleted["files"] == 1
    assert recorded.deleted["backup_objects"] == 3
    assert recorded.deleted["backups"] == [backup.pk]
    assert recorded.deleted["tables"]["django_migrations"] > 0
    assert recorded.deleted["rows"] == sum(recorded.deleted["tables"].values())


def test_purge_before_retention_ends_is_refused_and_deletes_nothing(scratch):
    schema = scratch.fresh()
    tenant = scratch.tenant_for(schema)
    default_storage.save(f"tenants/{schema}/a.txt", ContentFile(b"x"))
    Tenant.objects.filter(pk=tenant.pk).update(
        status=Tenant.Status.ARCHIVED, delete_after=timezone.now() + timedelta(days=30)
    )
    tenant.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        tenant_purge(tenant=tenant, actor=None, reason="terlalu cepat")
    assert error.value.code == "retention_running"
    assert _schema_exists(schema)
    assert default_storage.exists(f"tenants/{schema}/a.txt")
    assert not TenantDeletion.objects.filter(schema_name=schema).exists()


def test_purge_of_an_active_tenant_is_refused(db, sumedang):
    with pytest.raises(ApplicationError) as error:
        tenant_purge(tenant=sumedang, actor=None, reason="salah pilih")
    assert error.value.code == "not_archived"
    assert _schema_exists("sumedang")
