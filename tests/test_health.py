from django.test import Client

from conftest import host_client


def test_root_health_reports_database_broker_and_migrations(platform_tenant):
    response = Client(HTTP_HOST="localhost").get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["migrations"]["pending"] == []
    assert "tenant" not in body


def test_tenant_health_names_the_tenant(kendari):
    body = host_client(kendari).get("/health/").json()

    assert body["tenant"] == {"schema": "kendari", "name": "Kota Kendari", "status": "active"}
    assert body["migrations"]["at_head"] is True


def test_health_reports_pending_migrations(kendari):
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context("kendari"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'audit' AND name = '0001_initial'")

    response = host_client(kendari).get("/health/")

    assert response.status_code == 503
    assert response.json()["migrations"] == {"at_head": False, "pending": ["audit.0001_initial"]}
