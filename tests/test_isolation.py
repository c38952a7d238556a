"""Data never crosses tenants: Sumedang's accounts, sessions and data are invisible on Kendari."""

from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User
from tenants.demo import DEMO_PASSWORD

SUMEDANG_NIP = "198609262015051001"


def test_sumedang_employee_cannot_sign_in_on_kendari(kendari, sumedang):
    response = host_client(kendari).post(
        "/accounts/login/", {"login": SUMEDANG_NIP, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 200  # the form again, with an error
    assert "NIP / nama pengguna dan/atau kata sandi yang Anda masukkan tidak benar" in response.text or (
        "tidak benar" in response.text
    )
    assert "_auth_user_id" not in host_client(kendari).session


def test_sumedang_session_is_not_valid_on_kendari(kendari, sumedang):
    sumedang_client = host_client(sumedang)
    assert (
        sumedang_client.post(
            "/accounts/login/", {"login": SUMEDANG_NIP, "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )
    session_cookie = sumedang_client.cookies["sessionid"].value

    kendari_client = host_client(kendari)
    kendari_client.cookies["sessionid"] = session_cookie

    assert kendari_client.get("/").status_code == 302  # to the login page: no such session here
    api = kendari_client.get("/api/v1/me/")
    assert api.status_code == 403
    assert SUMEDANG_NIP not in api.text


def test_accounts_live_in_their_own_schema(kendari, sumedang):
    with schema_context(sumedang.schema_name):
        assert User.objects.filter(username=SUMEDANG_NIP).exists()
    with schema_context(kendari.schema_name):
        assert not User.objects.filter(username=SUMEDANG_NIP).exists()
    with schema_context("public"):
        assert not User.objects.filter(username=SUMEDANG_NIP).exists()


def test_kendari_api_shows_only_kendari_user(kendari):
    client = host_client(kendari)
    with schema_context(kendari.schema_name):
        client.force_login(User.objects.get(username="admin.kendari"))

    body = client.get("/api/v1/me/").json()

    assert body["username"] == "admin.kendari"
    assert body["email"] == "admin@kendari.go.id"


def test_operator_of_root_site_is_not_a_tenant_user(kendari):
    response = host_client(kendari).post("/accounts/login/", {"login": "operator", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_cached_values_of_one_regency_are_invisible_to_another(kendari, sumedang):
    from django.core.cache import cache

    with schema_context(sumedang.schema_name):
        cache.set("rekap:bulan-ini", "data Sumedang")
    with schema_context(kendari.schema_name):
        assert cache.get("rekap:bulan-ini") is None
        cache.set("rekap:bulan-ini", "data Kendari")
    with schema_context(sumedang.schema_name):
        assert cache.get("rekap:bulan-ini") == "data Sumedang"
