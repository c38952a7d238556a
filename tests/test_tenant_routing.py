"""The host picks the tenant: warm lookups cost no query, switches cost one SET, unknown hosts 404."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import host_client
from tenants.models import Domain


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in ctx.captured_queries]


def test_tenant_host_shows_its_own_name(kendari, sumedang):
    kendari_page = host_client(kendari).get("/accounts/login/")
    sumedang_page = host_client(sumedang).get("/accounts/login/")

    assert kendari_page.status_code == 200
    assert "Kota Kendari" in kendari_page.text
    assert "Kabupaten Sumedang" not in kendari_page.text
    assert "Kabupaten Sumedang" in sumedang_page.text


def test_tenant_page_shows_time_in_the_tenant_zone(kendari, sumedang):
    assert "WITA" in host_client(kendari).get("/accounts/login/").text
    assert "WIB" in host_client(sumedang).get("/accounts/login/").text


def test_warm_host_lookup_runs_no_query_and_no_set_search_path(kendari):
    client = host_client(kendari)
    client.get("/")  # warms the host map and the connection's search path

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")

    assert response.status_code == 302  # anonymous: to the login page
    assert _statements(ctx) == []


def test_switching_tenant_sets_search_path_once(kendari, sumedang):
    kendari_client, sumedang_client = host_client(kendari), host_client(sumedang)
    kendari_client.get("/health/")
    sumedang_client.get("/health/")  # both hosts warm; the connection is on Sumedang

    with CaptureQueriesContext(connection) as ctx:
        kendari_client.get("/health/")  # runs queries in Kendari's schema

    sets = [sql for sql in _statements(ctx) if sql.startswith("SET search_path")]
    assert sets == ['SET search_path = "kendari","public"']


def test_cold_lookup_costs_one_query(kendari):
    client = host_client(kendari)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")

    lookups = [sql for sql in _statements(ctx) if "tenants_domain" in sql]
    assert len(lookups) == 1


def test_unknown_host_is_404_revealing_nothing(kendari):
    response = Client(HTTP_HOST="tidakada.localhost").get("/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    for leak in ("Kendari", "Sumedang", "kendari", "sumedang"):
        assert leak not in response.text


def test_unknown_hosts_are_cached_too(kendari):
    Client(HTTP_HOST="tidakada.localhost").get("/")
    with CaptureQueriesContext(connection) as ctx:
        Client(HTTP_HOST="tidakada.localhost").get("/")
    assert _statements(ctx) == []


def test_new_domain_is_routed_at_once(kendari):
    Client(HTTP_HOST="eoffice.kendarikota.go.id").get("/")  # cached as unknown
    Domain.objects.create(domain="eoffice.kendarikota.go.id", tenant=kendari, is_primary=False)

    response = Client(HTTP_HOST="eoffice.kendarikota.go.id").get("/accounts/login/")

    assert response.status_code == 200
    assert "Kota Kendari" in response.text


def test_root_host_serves_the_platform(platform_tenant):
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert "e-Office Nusantara" in response.text
