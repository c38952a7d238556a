"""Operator console pages (root host, staff only) and the regency admin's export page."""

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from tenants.operations.models import Backup, Rollout, RolloutTenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db) -> User:
    user = User.objects.get(username="operator")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "not-used-here"})
    return user


@pytest.fixture
def console(client_for, platform_tenant, operator):
    client = client_for(platform_tenant)
    client.force_login(operator)
    return client


@pytest.fixture
def rollout(db) -> Rollout:
    rollout = Rollout.objects.create(status=Rollout.Status.RUNNING, started_at=timezone.now(), workers=4)
    RolloutTenant.objects.create(rollout=rollout, schema_name="sumedang", wave=3, status="succeeded")
    RolloutTenant.objects.create(
        rollout=rollout,
        schema_name="kendari",
        wave=3,
        status="failed",
        error="LockNotAvailable: lock timeout",
    )
    RolloutTenant.objects.create(rollout=rollout, schema_name="public", wave=0, status="skipped")
    return rollout


def test_rollout_page_shows_heads_wave_progress_and_failures_with_live_polling(console, rollout):
    # when
    page = console.get("/operator/rollouts/")
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "skema berada pada migrasi terbaru" in html
    assert '<progress max="2" value="2"' in html
    assert "LockNotAvailable: lock timeout" in html
    assert f'hx-get="/operator/rollouts/{rollout.pk}/"' in html
    assert 'hx-trigger="every 2s"' in html


def test_rollout_progress_partial_for_htmx(console, rollout):
    page = console.get(f"/operator/rollouts/{rollout.pk}/", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.lstrip().startswith('<div id="rollout-progress"')
    assert "<html" not in html


def test_rollout_page_refuses_non_staff_and_tenant_hosts(client_for, platform_tenant, sumedang):
    # given a regency admin on their own host, and a non-staff account on the root
    admin = _tenant_admin(sumedang)
    tenant_client = client_for(sumedang)
    with schema_context("sumedang"):
        tenant_client.force_login(admin)
    # then
    assert tenant_client.get("/operator/rollouts/").status_code == 404
    anonymous = client_for(platform_tenant).get("/operator/rollouts/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_start_rollout_validates_input_and_queues_the_task(
    console, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    from tenants.operations import tasks

    monkeypatch.setattr(tasks.rollout_run_task, "delay", lambda **kwargs: sent.append(kwargs))
    bad = console.post("/operator/rollouts/start/", {"workers": "0", "on_failure": "keep"})
    assert bad.status_code == 302 and sent == []
    with django_capture_on_commit_callbacks(execute=True):
        console.post(
            "/operator/rollouts/start/", {"workers": "3", "on_failure": "maintenance", "canary": "sumedang"}
        )
    assert sent == [
        {"canary": ["sumedang"], "workers": 3, "on_failure": "maintenance", "started_by": "operator"}
    ]


def test_backups_page_lists_backups(console):
    Backup.objects.create(
        schema_name="kendari",
        trigger="scheduled",
        status="failed",
        created_at=timezone.now(),
        error="BackupStorageError: upload failed on s3://x",
    )
    page = console.get("/operator/backups/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "BackupStorageError: upload failed on s3://x" in html
    assert "Terjadwal" in html


def _tenant_admin(tenant) -> User:
    with schema_context(tenant.schema_name):
        return User.objects.get(username=f"admin.{tenant.schema_name}")


def test_restore_from_the_console_is_queued_for_a_good_backup_only(
    console, django_capture_on_commit_callbacks, monkeypatch
):
    from tenants.operations import tasks

    sent = []
    monkeypatch.setattr(tasks.backup_restore_task, "delay", lambda **kwargs: sent.append(kwargs))
    good = Backup.objects.create(
        schema_name="kendari", trigger="manual", status="succeeded", created_at=timezone.now()
    )
    failed = Backup.objects.create(
        schema_name="kendari", trigger="manual", status="failed", created_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert console.post(f"/operator/backups/{good.pk}/restore/").status_code == 302
    assert console.post(f"/operator/backups/{failed.pk}/restore/").status_code == 404
    assert sent == [{"backup_id": good.pk, "requested_by": "operator"}]


def test_swap_from_the_console_needs_the_typed_schema_name(console):
    from tenants.operations.models import Restore

    restore = Restore.objects.create(
        source_schema="kendari",
        target_schema="kendari_restore_x",
        status="verified",
        created_at=timezone.now(),
    )
    page = console.get("/operator/backups/").content.decode()
    assert "Ketik “kendari” untuk menukar" in page
    response = console.post(
        f"/operator/restores/{restore.pk}/", {"action": "swap", "confirm": "kendar"}, follow=True
    )
    assert "Ketik nama skema kendari untuk mengonfirmasi penukaran." in response.content.decode()
    restore.refresh_from_db()
    assert restore.status == "verified"
