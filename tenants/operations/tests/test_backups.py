"""Per-tenant backup to S3 (moto in server mode on loopback) and verified restore into a new schema."""

import json
import logging
import secrets
import socket
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from moto.server import ThreadedMotoServer

from eoffice.core.modules import all_modules
from eoffice.settings.apps import MODULE_APPS
from tenants.operations.backups import (
    BackupRefused,
    _connect,
    backup_create,
    backup_restore,
    restore_discard,
    schema_digest,
)
from tenants.operations.models import Backup, Restore
from tenants.operations.storage import BackupStorageError, S3BackupStorage

BUCKET = "eoffice-backups"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch) -> S3BackupStorage:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = f"{BUCKET}-{secrets.token_hex(3)}"
    settings.TENANT_BACKUP_BUCKET = bucket
    settings.TENANT_BACKUP_S3_ENDPOINT_URL = s3_endpoint
    settings.TENANT_BACKUP_S3_ACCESS_KEY_ID = "testing"
    settings.TENANT_BACKUP_S3_SECRET_ACCESS_KEY = "testing"
    settings.TENANT_BACKUP_RETRIES = 2
    storage = S3BackupStorage(
        bucket=bucket,
        endpoint_url=s3_endpoint,
        region="us-east-1",
        access_key="testing",
        secret_key="testing",
    )
    storage.client.create_bucket(Bucket=bucket)
    return storage


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sumedang_file(sumedang) -> Iterator[str]:
    name = default_storage.save(
        f"tenants/{sumedang.schema_name}/uji/{secrets.token_hex(4)}/surat.txt", ContentFile(b"Surat uji\n")
    )
    yield name
    default_storage.delete(name)


@pytest.fixture
def restores() -> Iterator[list[Restore]]:
    made: list[Restore] = []
    yield made
    for restore in made:
        restore_discard(restore=restore)


def test_backup_goes_to_s3_under_the_tenant_prefix_with_a_manifest(s3, sumedang, sumedang_file):
    # when
    backup = backup_create(tenant=sumedang, requested_by="operator")
    # then three objects under tenants/<schema>/backups/, the manifest last and complete
    assert backup.status == Backup.Status.SUCCEEDED
    assert backup.prefix.startswith("tenants/sumedang/backups/")
    keys = s3.keys(prefix=backup.prefix)
    assert [key.rsplit("/", 1)[1] for key in keys] == ["files.tar", "manifest.json", "schema.dump"]
    body = s3.client.get_object(Bucket=s3.bucket, Key=backup.prefix + "manifest.json")["Body"].read()
    manifest = json.loads(body)
    assert manifest["schema"] == "sumedang"
    assert manifest["files"]["count"] == 1
    assert sumedang_file.removeprefix("tenants/sumedang/") in manifest["files"]["items"]
    with _connect() as conn:
        assert manifest["tables"] == schema_digest(conn, "sumedang")
    assert manifest["tables"]["accounts_user"]["rows"] >= 1
    assert backup.expires_at is not None and backup.dump_bytes == manifest["dump"]["bytes"]


def test_round_trip_restores_every_table_of_every_module_identically(s3, sumedang, sumedang_file, restores):
    # given a backup of a tenant with data
    backup = backup_create(tenant=sumedang)
    with _connect() as conn:
        original = schema_digest(conn, "sumedang")
    # when
    restore = backup_restore(backup=backup, requested_by="operator")
    restores.append(restore)
    # then the new schema has the same tables, rows and checksums, and the same files
    assert restore.status == Restore.Status.VERIFIED
    assert restore.target_schema.startswith("sumedang_restore_")
    with _connect() as conn:
        restored = schema_digest(conn, restore.target_schema)
    assert restored == original
    assert restore.verification["mismatched"] == []
    assert restore.verification["files_ok"] is True
    copied = sumedang_file.replace("tenants/sumedang/", f"tenants/{restore.target_schema}/")
    with default_storage.open(copied, "rb") as handle:
        assert handle.read() == b"Surat uji\n"
    # and every module's tables took part; every module that seeds demo data had rows in the backup
    seeded = {spec.name for spec in all_modules() if spec.demo_seed}
    assert seeded
    for app in MODULE_APPS:
        label = apps.get_app_config(app.rsplit(".", 1)[-1]).label
        tables = {t: v for t, v in restored.items() if t.startswith(f"{label}_")}
        assert tables, f"no tables of {label} in the restore"
        if label in seeded:
            assert sum(item["rows"] for item in tables.values()) > 0, f"no rows of {label} in the backup"
    # and the live schema was not touched
    with _connect() as conn:
        assert schema_digest(conn, "sumedang") == original


def test_corrupt_dump_is_refused_before_anything_is_created(s3, sumedang):
    # given a backup whose dump was damaged in storage
    backup = backup_create(tenant=sumedang)
    s3.client.put_object(Bucket=s3.bucket, Key=backup.prefix + "schema.dump", Body=b"PGDMP not really")
    target = f"sumedang_corrupt_{secrets.token_hex(3)}"
    # when
    with pytest.raises(BackupRefused) as error:
        backup_restore(backup=backup, target_schema=target)
    # then
    assert error.value.message == "Berkas dump rusak: checksum tidak cocok dengan manifest."
    restore = Restore.objects.get(target_schema=target)
    assert restore.status == Restore.Status.REFUSED
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [target])
        assert cursor.fetchone() == (0,)


def test_foreign_backup_is_refused(s3, sumedang, kendari):
    # given Kendari's backup objects placed where Sumedang's backup should be
    own = backup_create(tenant=sumedang)
    foreign = backup_create(tenant=kendari)
    for name in ("manifest.json", "schema.dump", "files.tar"):
        s3.client.copy_object(
            Bucket=s3.bucket,
            Key=own.prefix + name,
            CopySource={"Bucket": s3.bucket, "Key": foreign.prefix + name},
        )
    target = f"sumedang_foreign_{secrets.token_hex(3)}"
    # when
    with pytest.raises(BackupRefused) as error:
        backup_restore(backup=own, target_schema=target)
    # then
    assert error.value.message == (
        "Manifest cadangan tidak cocok dengan catatan cadangan ini (rusak atau milik lain)."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [target])
        assert cursor.fetchone() == (0,)


def test_restore_never_overwrites_an_existing_schema(s3, sumedang):
    backup = backup_create(tenant=sumedang)
    from eoffice.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        backup_restore(backup=backup, target_schema="kendari")
    assert error.value.fields == {"target_schema": ["Pilih nama skema baru."]}


def test_unreachable_storage_fails_loudly_after_retries_and_raises_an_alert(
    settings, sumedang, caplog, monkeypatch
):
    # given storage on a port where nothing listens, and Sentry watching
    import sentry_sdk

    alerts = []
    monkeypatch.setattr(
        sentry_sdk, "capture_message", lambda message, level=None: alerts.append((message, level))
    )
    settings.TENANT_BACKUP_RETRIES = 2
    storage = S3BackupStorage(
        bucket="nowhere",
        endpoint_url=f"http://127.0.0.1:{_free_port()}",
        region="us-east-1",
        access_key="x",
        secret_key="y",
    )
    # when
    with caplog.at_level(logging.ERROR), pytest.raises(BackupStorageError):
        backup_create(tenant=sumedang, storage=storage)
    # then
    backup = Backup.objects.get(schema_name="sumedang", status=Backup.Status.FAILED)
    assert "upload failed on s3://nowhere" in backup.error
    assert backup.attempts == 1
    assert [r.getMessage() for r in caplog.records if r.name == "tenants.operations.backups"] == [
        "tenant backup failed"
    ]
    assert alerts == [("tenant backup failed", "error")]


def test_backup_task_is_retried_when_storage_is_unreachable(settings, sumedang):
    # given storage that cannot be reached
    from tenants.operations.tasks import tenant_backup_task

    settings.TENANT_BACKUP_RETRIES = 1
    settings.TENANT_BACKUP_BUCKET = "nowhere"
    settings.TENANT_BACKUP_S3_ENDPOINT_URL = f"http://127.0.0.1:{_free_port()}"
    # when the task runs (eagerly: Celery re-runs it for each retry)
    result = tenant_backup_task.apply(kwargs={"schema_name": "sumedang", "trigger": "scheduled"})
    # then it was tried 1 + max_retries times, each attempt recorded as failed, and then it failed
    assert result.state == "FAILURE"
    assert isinstance(result.result, BackupStorageError)
    failed = Backup.objects.filter(schema_name="sumedang", status=Backup.Status.FAILED)
    assert failed.count() == 1 + tenant_backup_task.max_retries


def _value_for(field, schema: str, made: dict):  # noqa: ANN001, ANN202
    """A valid-looking value for a required field (the module's own defaults and choices first)."""
    import datetime
    import decimal
    import uuid

    from django.db import models

    if field.has_default():
        return field.get_default()
    if field.is_relation:
        return _row_of(field.related_model, schema, made)
    if field.choices:
        return field.flatchoices[0][0]
    today = timezone.localdate().replace(day=1)  # TMT and "berlaku" dates are the 1st of a month
    kinds = [
        (models.EmailField, "uji@contoh.go.id"),
        (models.FileField, f"tenants/{schema}/uji/berkas.txt"),
        (models.UUIDField, uuid.uuid4()),
        (models.GenericIPAddressField, "127.0.0.1"),
        (models.BooleanField, False),
        (models.DecimalField, decimal.Decimal("1")),
        (models.FloatField, 1.0),
        (models.IntegerField, 1),
        (models.DateTimeField, timezone.now()),
        (models.DateField, today),
        (models.TimeField, datetime.time(7, 30)),
        (models.DurationField, datetime.timedelta(hours=1)),
        (models.JSONField, {}),
        (models.BinaryField, b"uji"),
    ]
    for kind, value in kinds:
        if isinstance(field, kind):
            return value
    length = getattr(field, "max_length", None) or 20
    return "uji"[:length]


def _row_of(model, schema: str, made: dict):  # noqa: ANN001, ANN202
    """The model's first row, or a new one: optional fields filled first (a CHECK often needs them
    together), and if the database refuses, left empty."""
    from django.db import IntegrityError, transaction

    existing = model._default_manager.first()
    if existing is not None:
        return existing
    error: Exception | None = None
    for fill_optional in (True, False):
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and field.get_internal_type().endswith("AutoField"):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            if field.null and (not fill_optional or field.related_model is model):
                continue
            values[field.name] = _value_for(field, schema, made)
        try:
            with transaction.atomic():
                row = model._default_manager.create(**values)
        except IntegrityError as exc:
            error = exc
            continue
        made.setdefault(model._meta.label, row)
        return row
    raise AssertionError(f"cannot make a row of {model._meta.label}: {error}")


def _fill_every_module(tenant) -> None:  # noqa: ANN001
    """The modules' own demo data, then at least one row in every table a module owns."""
    from django.db import transaction
    from django.utils.module_loading import import_string
    from django_tenants.utils import schema_context

    from eoffice.accounts.models import User
    from modules.kepegawaian.tests.factories import PegawaiFactory, UserFactory

    made: dict = {}
    with schema_context(tenant.schema_name), transaction.atomic():
        # A regency admin first: modules seed their demo data in the admin's name.
        UserFactory(peran=User.Peran.ADMIN_PEMDA)
        for spec in all_modules():
            if spec.demo_seed:
                import_string(spec.demo_seed)(tenant)
        # The demo data is keyed on the demo regencies' codes: employees come from the factories.
        UserFactory.create_batch(2)
        PegawaiFactory.create_batch(3)
        for app in MODULE_APPS:
            config = apps.get_app_config(app.rsplit(".", 1)[-1])
            for model in config.get_models():
                _row_of(model, tenant.schema_name, made)
                for m2m in model._meta.many_to_many:
                    through = m2m.remote_field.through
                    assert through is not None
                    if not through._default_manager.exists():
                        getattr(_row_of(model, tenant.schema_name, made), m2m.name).add(
                            _row_of(m2m.related_model, tenant.schema_name, made)
                        )


def test_round_trip_of_a_tenant_with_rows_in_every_table_of_every_module(scratch, s3, settings, tmp_path):
    # given a tenant with rows in every table of every module (each module's demo data, plus rows)
    schema = scratch.fresh()
    tenant = scratch.tenant_for(schema)
    _fill_every_module(tenant)
    with _connect() as conn:
        original = schema_digest(conn, schema)
    module_tables = {
        model._meta.db_table
        for app in MODULE_APPS
        for model in apps.get_app_config(app.rsplit(".", 1)[-1]).get_models(include_auto_created=True)
    }
    assert module_tables <= set(original)
    assert {table: original[table]["rows"] for table in module_tables if original[table]["rows"] == 0} == {}
    # when
    backup = backup_create(tenant=tenant)
    restore = backup_restore(backup=backup)
    scratch.schemas.append(restore.target_schema)
    # then every table (module tables included) has the same rows and checksum
    with _connect() as conn:
        assert schema_digest(conn, restore.target_schema) == original
    assert (restore.status, restore.verification["mismatched"]) == (Restore.Status.VERIFIED, [])


@pytest.mark.timeout(60)
def test_a_restore_that_psql_refuses_fails_with_the_reason_instead_of_hanging(sumedang, tmp_path):
    # given a dump of a whole regency (far more SQL than a pipe holds)
    from eoffice.core.errors import ApplicationError
    from tenants.operations.backups import _restore_dump_as
    from tenants.operations.pgtools import pg_run

    dump = tmp_path / "schema.dump"
    pg_run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-n", "sumedang", "-f", str(dump)])
    # when it is restored under a schema that exists, so psql stops at its first statement
    with pytest.raises(ApplicationError) as error:
        _restore_dump_as(dump, "sumedang", "kendari")
    # then the restore fails with psql's reason, and kendari is untouched
    assert error.value.code == "restore_failed"
    assert 'schema "kendari" already exists' in error.value.message
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM kendari.accounts_user")
        assert cursor.fetchone()[0] > 0
