"""The cuti REST API: balance, request refused with the reason, decision, cancellation."""

import datetime

import pytest
from django_tenants.utils import schema_context

from modules.cuti.models import PermohonanCuti


def _client(client_for, tenant, user):
    client = client_for(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(user)
    return client


@pytest.fixture
def kantor_api(sumedang):
    from modules.presensi.tests.conftest import kantor_setup

    with schema_context(sumedang.schema_name):
        return kantor_setup(sumedang)


def test_balance_request_decision_and_cancellation(sumedang, client_for, kantor_api):
    kantor = kantor_api
    employee = _client(client_for, sumedang, kantor.user)
    boss = _client(client_for, sumedang, kantor.kepala_user)

    saldo = employee.get("/api/v1/cuti/saldo/?tahun=2026").json()
    assert saldo == {"tahun": 2026, "saldo": 4, "menunggu": 0, "tersedia": 4}

    refused = employee.post(
        "/api/v1/cuti/permohonan/",
        {"jenis": "CT", "mulai": "2026-12-07", "selesai": "2026-12-11", "alasan": "Pulang kampung"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "saldo_kurang"
    assert list(refused.json()["error"]["fields"]) == ["selesai"]

    created = employee.post(
        "/api/v1/cuti/permohonan/",
        {"jenis": "CT", "mulai": "2026-12-14", "selesai": "2026-12-15", "alasan": "Pulang kampung"},
        content_type="application/json",
    )
    assert (created.status_code, created.json()["lama_hari"], created.json()["status"]) == (
        201,
        2,
        "diajukan",
    )
    pk = created.json()["id"]

    # the employee cannot approve their own request; nothing changes
    own = employee.post(
        f"/api/v1/cuti/permohonan/{pk}/putus/", {"setuju": True}, content_type="application/json"
    )
    assert own.status_code == 403
    with schema_context(sumedang.schema_name):
        assert PermohonanCuti.objects.get(pk=pk).status == "diajukan"

    approved = boss.post(
        f"/api/v1/cuti/permohonan/{pk}/putus/", {"setuju": True}, content_type="application/json"
    )
    assert approved.json()["status"] == "disetujui"
    assert employee.get("/api/v1/cuti/saldo/?tahun=2026").json()["saldo"] == 2

    cancelled = employee.post(
        f"/api/v1/cuti/permohonan/{pk}/batal/", {"alasan": "Batal"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == "dibatalkan"
    assert employee.get("/api/v1/cuti/saldo/?tahun=2026").json()["saldo"] == 4


def test_bad_year_and_unknown_request_are_4xx(sumedang, client_for, kantor_api):
    employee = _client(client_for, sumedang, kantor_api.user)
    assert employee.get("/api/v1/cuti/saldo/?tahun=dua").status_code == 400
    assert (
        employee.post(
            "/api/v1/cuti/permohonan/999999/batal/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    bad = employee.post(
        "/api/v1/cuti/permohonan/", {"jenis": "XX", "mulai": "kemarin"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"jenis", "mulai", "selesai", "alasan"}


def test_cuti_pages_render_for_employee_and_approver(sumedang, client_for, kantor_api):
    employee = _client(client_for, sumedang, kantor_api.user)
    page = employee.post(
        "/cuti/", {"jenis": "CT", "mulai": "2026-12-07", "selesai": "2026-12-11", "alasan": "x"}
    )
    assert page.status_code == 400
    assert "Sisa cuti tahunan 2026 Anda 4 hari" in page.content.decode()
    assert _client(client_for, sumedang, kantor_api.kepala_user).get("/cuti/persetujuan/").status_code == 200


def test_attachment_is_served_to_the_approver_but_not_to_a_colleague(sumedang, client_for, kantor_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eoffice.accounts.models import User
    from modules.cuti.services import cuti_ajukan

    with schema_context(sumedang.schema_name):
        note = SimpleUploadedFile(
            "surat-dokter.pdf", b"%PDF-1.4 surat dokter", content_type="application/pdf"
        )
        p = cuti_ajukan(
            user=kantor_api.user,
            jenis="CS",
            mulai=datetime.date(2026, 12, 7),
            selesai=datetime.date(2026, 12, 8),
            alasan="Demam",
            lampiran=note,
        )
        colleague = User.objects.create_user(
            username="199101012020011009", email="c@x.id", nama="Rekan", password="x" * 12
        )
    boss = _client(client_for, sumedang, kantor_api.kepala_user)
    response = boss.get(f"/cuti/{p.pk}/lampiran/")
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"%PDF-1.4 surat dokter")
    assert _client(client_for, sumedang, colleague).get(f"/cuti/{p.pk}/lampiran/").status_code == 404
