"""Lifecycle (suspend, resume, archive, delete after retention) and the operator console."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists
from freezegun import freeze_time

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from tenants.models import ImpersonationGrant, PlatformSetting, Tenant
from tenants.operations.models import Export
from tenants.services import (
    tenant_archive,
    tenant_delete_expired,
    tenant_resume,
    tenant_suspend,
)

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


def test_suspended_tenant_answers_503_on_pages_and_api_and_resumes(client_for, kendari, operator):
    # when
    tenant_suspend(tenant=kendari, actor=operator, reason="Tunggakan tagihan")
    # then
    page = client_for(kendari).get("/")
    assert page.status_code == 503
    assert "Layanan ditangguhkan" in page.content.decode()
    api = client_for(kendari).get("/api/v1/me/")
    assert (api.status_code, api.json()["error"]["code"]) == (503, "tenant_suspended")
    connection.set_schema_to_public()
    event = AuditEvent.objects.filter(action="tenant.status").latest("id")
    assert (event.actor, event.reason, event.after) == (
        "Operator Platform",
        "Tunggakan tagihan",
        {"status": "suspended"},
    )
    tenant_resume(tenant=kendari, actor=operator, reason="Lunas")
    assert client_for(kendari).get("/accounts/login/").status_code == 200


def test_status_change_needs_a_reason_and_a_valid_transition(kendari):
    with pytest.raises(ApplicationError) as error:
        tenant_suspend(tenant=kendari, actor=None, reason=" ")
    assert "reason" in error.value.fields
    tenant_archive(tenant=kendari, actor=None, reason="Berhenti berlangganan")
    with pytest.raises(ApplicationError) as error:
        tenant_resume(tenant=kendari, actor=None, reason="Salah klik")
    assert error.value.status == 409
    assert Tenant.objects.get(pk=kendari.pk).status == Tenant.Status.ARCHIVED


def test_archived_tenant_is_read_only_and_deleted_only_after_retention(client_for, kendari):
    PlatformSetting.objects.update_or_create(pk=1, defaults={"retention_days": 30})
    archived = tenant_archive(tenant=kendari, actor=None, reason="Kontrak berakhir")
    assert archived.delete_after.date() == (timezone.now() + timedelta(days=30)).date()
    assert client_for(kendari).post("/api/v1/me/password/", {}).status_code == 403
    # the final export stays possible while archived
    with schema_context("kendari"):
        admin = User.objects.get(username="admin.kendari")
    exporter = client_for(kendari)
    exporter.force_login(admin)
    assert exporter.post("/ekspor/").status_code == 302
    connection.set_schema_to_public()
    assert Export.objects.filter(schema_name="kendari", status=Export.Status.QUEUED).count() == 1
    connection.set_schema_to_public()
    with pytest.raises(ApplicationError) as error:
        tenant_delete_expired(tenant=archived, actor=None, reason="Retensi")
    assert error.value.code == "retention_running"
    assert schema_exists("kendari")
    with freeze_time(archived.delete_after + timedelta(minutes=1)):
        tenant_delete_expired(tenant=archived, actor=None, reason="Retensi berakhir")
    assert not schema_exists("kendari")
    assert not Tenant.objects.filter(kode="74.71").exists()
    assert AuditEvent.objects.filter(action="tenant.delete", reason="Retensi berakhir").count() == 1


def test_console_requires_staff_and_mfa(client_for, platform_tenant):
    anonymous = client_for(platform_tenant).get("/operator/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    staff_without_mfa = client_for(platform_tenant)
    staff_without_mfa.force_login(User.objects.get(username="operator"))
    response = staff_without_mfa.get("/operator/")
    assert (response.status_code, response.url) == (302, "/accounts/2fa/totp/activate/")
    plain = User.objects.create_user(
        username="bukan.operator", email="x@localhost", nama="Bukan", password="x"
    )
    not_staff = client_for(platform_tenant)
    not_staff.force_login(plain)
    assert not_staff.get("/operator/").status_code == 403


def test_console_lists_filters_and_shows_stats(console, kendari):
    page = console.get("/operator/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Kabupaten Sumedang" in body and "Kota Kendari" in body
    filtered = console.get("/operator/", {"search": "kendari"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Kota Kendari" in filtered and "Kabupaten Sumedang" not in filtered
    by_status = console.get("/operator/", {"status": "suspended"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada daerah yang cocok." in by_status
    by_province = console.get(
        "/operator/", {"provinsi": "Jawa Barat"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Kabupaten Sumedang" in by_province and "Kota Kendari" not in by_province


def test_console_detail_suspends_with_reason(console, kendari):
    detail = console.get(f"/operator/daerah/{kendari.pk}/")
    assert detail.status_code == 200
    assert "kendari.localhost" in detail.content.decode()
    console.post(f"/operator/daerah/{kendari.pk}/status/", {"action": "suspend", "reason": ""})
    assert Tenant.objects.get(pk=kendari.pk).status == Tenant.Status.ACTIVE  # no reason, no change
    console.post(f"/operator/daerah/{kendari.pk}/status/", {"action": "suspend", "reason": "Audit keamanan"})
    assert Tenant.objects.get(pk=kendari.pk).status == Tenant.Status.SUSPENDED


def test_impersonation_is_one_time_time_limited_audited_and_bannered(console, client_for, kendari):
    # when the operator asks for support access
    response = console.post(f"/operator/daerah/{kendari.pk}/dukungan/", {"reason": "Tiket #42"})
    assert response.status_code == 302
    path = response.url.split("kendari.localhost", 1)[1].lstrip(":0123456789")
    # then on Kendari's host it signs in as Kendari's admin with a visible banner
    tenant_client = client_for(kendari)
    assert tenant_client.get(path).status_code == 302
    dashboard = tenant_client.get("/").content.decode()
    assert "Akses dukungan oleh operator Operator Platform" in dashboard
    connection.set_schema_to_public()
    assert AuditEvent.objects.filter(action="tenant.impersonate", reason="Tiket #42").count() == 1
    # and the link cannot be used twice
    assert client_for(kendari).get(path).status_code == 403
    # and the session ends by itself after 30 minutes
    grant = ImpersonationGrant.objects.get()
    with freeze_time(grant.expires_at + timedelta(seconds=1)):
        expired = tenant_client.get("/")
    assert expired.status_code == 302


def test_commands_list_and_change_status(kendari, capsys):
    call_command("tenant_list", "--search", "kendari")
    assert "kendari" in capsys.readouterr().out
    call_command("tenant_suspend", "kendari", "--reason", "Skrip pemeliharaan")
    assert Tenant.objects.get(pk=kendari.pk).status == Tenant.Status.SUSPENDED
    call_command("tenant_resume", "kendari", "--reason", "Selesai")
    assert Tenant.objects.get(pk=kendari.pk).status == Tenant.Status.ACTIVE


def test_provision_command_uses_the_wilayah_data(capsys):
    call_command(
        "tenant_provision", "74.72", "--subdomain", "baubau", "--admin-email", "admin@baubaukota.go.id"
    )
    tenant = Tenant.objects.get(kode="74.72")
    assert (tenant.name, tenant.provinsi, tenant.timezone) == (
        "Kota Bau Bau",
        "Sulawesi Tenggara",
        "Asia/Makassar",
    )
    assert "ready on baubau.localhost" in capsys.readouterr().out


def test_console_requires_approval_then_approves_a_registration(console, django_capture_on_commit_callbacks):
    from tenants.models import Registration
    from tenants.onboarding import registration_create, registration_verify, registration_verify_token

    # given the operator turns on approval in the platform settings
    console.post("/operator/pengaturan/", {"require_approval": "on", "retention_days": "60"})
    setting = PlatformSetting.load()
    assert (setting.require_approval, setting.retention_days) == (True, 60)
    bad = console.post("/operator/pengaturan/", {"retention_days": "1"}, follow=True)
    assert "Masa retensi 7–3650 hari." in bad.content.decode()
    assert PlatformSetting.load().retention_days == 60
    # when an application is verified it waits for the operator
    registration = registration_create(
        wilayah_kode="74.72",
        nama_pemohon="La Ode Ahmad",
        jabatan_pemohon="Kepala Diskominfo",
        email="kominfo@baubaukota.go.id",
        email_konfirmasi="kominfo@baubaukota.go.id",
        telepon="0402 2821234",
        subdomain="",
        terms_accepted=True,
    )
    registration_verify(token=registration_verify_token(registration=registration))
    page = console.get("/operator/pendaftaran/").content.decode()
    assert "Kota Bau Bau" in page and "Menunggu persetujuan operator" in page
    # then approving it from the console queues the provisioning task
    with django_capture_on_commit_callbacks() as callbacks:
        console.post(f"/operator/pendaftaran/{registration.pk}/", {"action": "approve"})
    approved = Registration.objects.get(pk=registration.pk)
    assert (approved.status, approved.approved_by, len(callbacks)) == ("queued", "Operator Platform", 1)
