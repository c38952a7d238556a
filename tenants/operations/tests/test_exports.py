"""The regency admin's full export: a task with progress, a zip with a manifest, an expiring link."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context
from freezegun import freeze_time

from eoffice.accounts.models import User
from tenants.operations.exports import export_download_token, export_run
from tenants.operations.models import Export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_storage(settings, tmp_path) -> None:
    settings.TENANT_BACKUP_BUCKET = ""
    settings.TENANT_BACKUP_LOCAL_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin(sumedang) -> User:
    with schema_context("sumedang"):
        user = User.objects.get(username="admin.sumedang")
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "not-used-here"}
        )
    return user


@pytest.fixture
def admin_client(client_for, sumedang, admin):
    client = client_for(sumedang)
    with schema_context("sumedang"):  # sessions live in the tenant's schema
        client.force_login(admin)
    return client


def test_export_zip_has_every_table_as_json_and_csv_the_files_and_a_manifest_without_secrets(sumedang, admin):
    # given a tenant with a file
    default_storage.save("tenants/sumedang/persuratan/surat-1.pdf", ContentFile(b"%PDF-1.7 uji"))
    with schema_context("sumedang"):
        users = User.objects.count()
    export = Export.objects.create(schema_name="sumedang", requested_by="admin.sumedang", created_at=_now())
    # when
    export = export_run(export_id=export.pk)
    # then
    assert (export.status, export.progress) == (Export.Status.READY, 100)
    assert export.storage_key == f"tenants/sumedang/exports/{export.pk}/export-sumedang.zip"
    path = _local_path(export.storage_key)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        users_json = json.loads(archive.read("json/accounts_user.json"))
        users_csv = archive.read("csv/accounts_user.csv").decode().splitlines()
        assert archive.read("files/persuratan/surat-1.pdf") == b"%PDF-1.7 uji"
        names = set(archive.namelist())
    assert manifest["tables"]["accounts_user"]["rows"] == users == len(users_json) == len(users_csv) - 1
    assert "password" not in users_json[0]
    assert "password" not in users_csv[0].split(",")
    assert "json/django_session.json" not in names and "json/mfa_authenticator.json" not in names
    assert manifest["excluded"]["columns"] == {"accounts_user": ["password"]}
    assert manifest["files"] == {"persuratan/surat-1.pdf": hashlib.sha256(b"%PDF-1.7 uji").hexdigest()}
    assert {f"json/{t}.json" for t in manifest["tables"]} <= names
    assert {f"csv/{t}.csv" for t in manifest["tables"]} <= names


def test_export_page_queues_one_export_at_a_time_and_shows_progress(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    from tenants.operations import tasks

    sent = []
    monkeypatch.setattr(tasks.tenant_export_task, "delay", lambda **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/ekspor/")
    assert (response.status_code, response["Location"]) == (302, "/ekspor/")
    export = Export.objects.get(schema_name="sumedang")
    assert sent == [{"export_id": export.pk}]
    again = admin_client.post("/ekspor/", follow=True)
    assert "Ekspor sebelumnya masih diproses" in again.content.decode()
    assert Export.objects.filter(schema_name="sumedang").count() == 1
    page = admin_client.get("/ekspor/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress max="100" value="0"' in page


def test_download_link_works_then_expires(admin_client, settings):
    export = Export.objects.create(schema_name="sumedang", requested_by="admin.sumedang", created_at=_now())
    export = export_run(export_id=export.pk)
    token = export_download_token(export=export)
    # when
    ok = admin_client.get(f"/ekspor/unduh/{token}/")
    # then
    assert ok.status_code == 200
    body = b"".join(ok.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).read("manifest.json")
    with freeze_time(_now() - timedelta(hours=settings.TENANT_EXPORT_LINK_HOURS, minutes=1)):
        old_token = export_download_token(export=export)
    expired = admin_client.get(f"/ekspor/unduh/{old_token}/")
    assert expired.status_code == 410
    assert "sudah kedaluwarsa" in expired.content.decode()
    Export.objects.filter(pk=export.pk).update(expires_at=_now() - timedelta(minutes=1))
    assert admin_client.get(f"/ekspor/unduh/{token}/").status_code == 410
    assert admin_client.get(f"/ekspor/unduh/{token}x/").status_code == 404


def test_export_page_is_for_the_regency_admin_only(client_for, sumedang):
    with schema_context("sumedang"):
        employee = User.objects.exclude(peran=User.Peran.ADMIN_PEMDA).first()
    client = client_for(sumedang)
    with schema_context("sumedang"):
        client.force_login(employee)
    assert client.get("/ekspor/").status_code == 403
    assert Export.objects.count() == 0


def test_another_tenants_link_is_refused(client_for, kendari, admin, sumedang):
    export = Export.objects.create(schema_name="sumedang", requested_by="x", created_at=_now())
    export = export_run(export_id=export.pk)
    with schema_context("kendari"):
        other = User.objects.get(username="admin.kendari")
        Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = client_for(kendari)
    with schema_context("kendari"):
        client.force_login(other)
    assert client.get(f"/ekspor/unduh/{export_download_token(export=export)}/").status_code == 404


def _now():
    from django.utils import timezone

    return timezone.now()


def _local_path(key: str):
    from tenants.operations.storage import LocalBackupStorage, backup_storage

    storage = backup_storage()
    assert isinstance(storage, LocalBackupStorage)
    return storage.local_path(key)
