"""Suspended or provisioning regencies answer 503 with Retry-After; archived ones are read-only."""

import json

from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from tenants.models import Tenant
from tenants.services import tenant_set_status


def test_suspended_tenant_shows_clear_page_with_retry_after(kendari):
    tenant_set_status(tenant=kendari, status=Tenant.Status.SUSPENDED, actor=None, reason="Tunggakan kontrak")

    response = host_client(kendari).get("/accounts/login/")

    assert response.status_code == 503
    assert response["Retry-After"] == "3600"
    assert "Layanan ditangguhkan" in response.text
    assert "Kota Kendari" in response.text


def test_suspended_tenant_api_returns_error_body(kendari):
    tenant_set_status(tenant=kendari, status=Tenant.Status.SUSPENDED, actor=None, reason="Tunggakan kontrak")

    response = host_client(kendari).get("/api/v1/me/")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "tenant_suspended"


def test_suspension_is_audited_and_health_still_answers(kendari):
    tenant_set_status(tenant=kendari, status=Tenant.Status.SUSPENDED, actor=None, reason="Tunggakan kontrak")

    event = AuditEvent.objects.get(action="tenant.status", target_id=str(kendari.pk))
    assert (event.before, event.after, event.reason) == (
        {"status": "active"},
        {"status": "suspended"},
        "Tunggakan kontrak",
    )
    assert host_client(kendari).get("/health/").json()["tenant"]["status"] == "suspended"


def test_other_tenants_are_unaffected(kendari, sumedang):
    tenant_set_status(tenant=kendari, status=Tenant.Status.SUSPENDED, actor=None, reason="Uji")

    assert host_client(sumedang).get("/accounts/login/").status_code == 200


def test_resumed_tenant_serves_again(kendari):
    tenant_set_status(tenant=kendari, status=Tenant.Status.SUSPENDED, actor=None, reason="Uji")
    tenant_set_status(tenant=kendari, status=Tenant.Status.ACTIVE, actor=None, reason="Lunas")

    assert host_client(kendari).get("/accounts/login/").status_code == 200


def test_archived_tenant_is_read_only(kendari):
    tenant_set_status(tenant=kendari, status=Tenant.Status.ARCHIVED, actor=None, reason="Pindah platform")
    client = host_client(kendari)
    with schema_context("kendari"):
        client.force_login(User.objects.get(username="admin.kendari"))

    read = client.get("/api/v1/me/")
    write = client.post(
        "/api/v1/me/password/",
        data=json.dumps({"current_password": "x", "new_password": "y"}),
        content_type="application/json",
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["error"]["code"] == "tenant_archived"
