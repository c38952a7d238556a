"""One error body for every API failure, in Indonesian by default; nothing written on bad input."""

import json

from django.contrib.auth.hashers import check_password
from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User
from tenants.demo import DEMO_PASSWORD

EMPLOYEE_NIP = "199001152019032002"


def _employee_client(tenant):
    client = host_client(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=EMPLOYEE_NIP))
    return client


def test_unknown_api_path_is_json_404(kendari):
    response = _employee_client(kendari).get("/api/v1/tidak-ada/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Alamat API tidak ditemukan: /api/v1/tidak-ada/",
            "fields": {},
        }
    }


def test_unauthenticated_api_call_is_403_with_error_body(kendari):
    response = host_client(kendari).get("/api/v1/me/")

    assert response.status_code == 403
    body = response.json()["error"]
    assert body["code"] == "not_authenticated"
    assert body["message"] == "Data autentikasi tidak diberikan."


def test_wrong_method_is_405_with_error_body(kendari):
    response = _employee_client(kendari).delete("/api/v1/me/")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_json_is_400_and_changes_nothing(kendari):
    client = _employee_client(kendari)

    response = client.post("/api/v1/me/password/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    with schema_context(kendari.schema_name):
        assert check_password(DEMO_PASSWORD, User.objects.get(username=EMPLOYEE_NIP).password)


def test_missing_field_names_the_field(kendari):
    response = _employee_client(kendari).post(
        "/api/v1/me/password/",
        data=json.dumps({"current_password": DEMO_PASSWORD}),
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"new_password": ["Bidang ini harus diisi."]}


def test_wrong_current_password_is_refused_and_changes_nothing(kendari):
    response = _employee_client(kendari).post(
        "/api/v1/me/password/",
        data=json.dumps({"current_password": "bukan-ini", "new_password": "Kopi-Tubruk-2027"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"current_password": ["Kata sandi saat ini salah."]}
    with schema_context(kendari.schema_name):
        assert check_password(DEMO_PASSWORD, User.objects.get(username=EMPLOYEE_NIP).password)


def test_weak_new_password_is_refused_with_reasons(kendari):
    response = _employee_client(kendari).post(
        "/api/v1/me/password/",
        data=json.dumps({"current_password": DEMO_PASSWORD, "new_password": "12345"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    reasons = response.json()["error"]["fields"]["new_password"]
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter." in reasons


def test_password_change_succeeds_and_is_audited(kendari):
    client = _employee_client(kendari)

    response = client.post(
        "/api/v1/me/password/",
        data=json.dumps({"current_password": DEMO_PASSWORD, "new_password": "Kopi-Tubruk-2027"}),
        content_type="application/json",
    )

    assert response.status_code == 204
    with schema_context(kendari.schema_name):
        from eoffice.audit.models import AuditEvent

        user = User.objects.get(username=EMPLOYEE_NIP)
        assert check_password("Kopi-Tubruk-2027", user.password)
        assert AuditEvent.objects.filter(action="user.password_change", target_id=str(user.pk)).count() == 1
    assert client.get("/api/v1/me/").status_code == 200  # the session survives its own password change


def test_english_when_the_client_asks_for_it(kendari):
    response = host_client(kendari).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["error"]["message"] == "Authentication credentials were not provided."


def test_openapi_schema_and_docs_are_served(kendari):
    client = _employee_client(kendari)

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    assert docs.status_code == 200


def test_openapi_schema_shows_the_error_body_on_every_operation(kendari):
    schema = _employee_client(kendari).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    error_ref = {"$ref": "#/components/schemas/ErrorOutput"}

    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if path.startswith("/api/v1/")
    ]
    assert len(operations) > 40
    for path, method, operation in operations:
        codes = {"403"} | ({"400"} if method in ("post", "put", "patch") else set())
        codes |= {"404"} if "{" in path else set()
        for code in codes:
            body = operation["responses"][code]["content"]["application/json"]["schema"]
            assert body == error_ref, (path, method, code)
    assert set(schema["components"]["schemas"]["CoreErrorOutputDetail"]["properties"]) == {
        "code",
        "message",
        "fields",
    }
