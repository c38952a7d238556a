"""/api/v1/notifikasi/: own notifications only, paginated, marking read, the one error body."""

import pytest

from eoffice.notifications.models import Notifikasi
from eoffice.notifications.services import notifikasi_kirim
from modules.kepegawaian.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def _kirim(user, judul, **extra):
    [n] = notifikasi_kirim(penerima=[user], **{"jenis": "uji", "judul": judul, **extra})
    return n


def test_list_is_own_newest_first_and_paginated(di_sumedang, client_for):
    # given three for the user and one for someone else
    user, lain = UserFactory(), UserFactory()
    pertama = _kirim(user, "Pertama")
    _kirim(user, "Kedua")
    ketiga = _kirim(user, "Tentang akun", jenis="cuti.disetujui", isi="Isi", tautan="/cuti/", objek=user)
    _kirim(lain, "Milik orang lain")
    client = _client(client_for, di_sumedang, user)

    # when
    body = client.get("/api/v1/notifikasi/?page_size=2").json()
    page2 = client.get("/api/v1/notifikasi/?page_size=2&page=2").json()

    # then
    assert body["count"] == 3
    assert [r["judul"] for r in body["results"]] == ["Tentang akun", "Kedua"]
    assert [r["judul"] for r in page2["results"]] == ["Pertama"]
    assert body["next"].endswith("/api/v1/notifikasi/?page=2&page_size=2")
    assert body["results"][0] == {
        "id": ketiga.pk,
        "jenis": "cuti.disetujui",
        "judul": "Tentang akun",
        "isi": "Isi",
        "tautan": "/cuti/",
        "objek_tipe": "accounts.user",
        "objek_id": str(user.pk),
        "created_at": body["results"][0]["created_at"],
        "dibaca_pada": None,
    }
    assert page2["results"][0]["id"] == pertama.pk


def test_mark_one_read(di_sumedang, client_for):
    user = UserFactory()
    n = _kirim(user, "Satu")

    response = _client(client_for, di_sumedang, user).post(f"/api/v1/notifikasi/{n.pk}/baca/")

    assert response.status_code == 200
    n.refresh_from_db()
    assert n.dibaca_pada is not None
    assert response.json()["dibaca_pada"] is not None


def test_someone_elses_id_is_404_with_the_error_body_and_changes_nothing(di_sumedang, client_for):
    pemilik, lain = UserFactory(), UserFactory()
    n = _kirim(pemilik, "Rahasia")

    response = _client(client_for, di_sumedang, lain).post(f"/api/v1/notifikasi/{n.pk}/baca/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Notifikasi tidak ditemukan.", "fields": {}}
    }
    assert Notifikasi.objects.get(pk=n.pk).dibaca_pada is None


def test_mark_all_read_counts_only_own(di_sumedang, client_for):
    user, lain = UserFactory(), UserFactory()
    _kirim(user, "Satu")
    _kirim(user, "Dua")
    _kirim(lain, "Tiga")
    client = _client(client_for, di_sumedang, user)

    assert client.post("/api/v1/notifikasi/baca-semua/").json() == {"ditandai": 2}
    assert client.post("/api/v1/notifikasi/baca-semua/").json() == {"ditandai": 0}
    assert Notifikasi.objects.filter(penerima=lain, dibaca_pada__isnull=True).count() == 1


def test_anonymous_gets_403_with_the_error_body(di_sumedang, client_for):
    response = client_for(di_sumedang).get("/api/v1/notifikasi/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_schema_documents_the_endpoints_paginated_with_error_body(di_sumedang, client_for):
    client = _client(client_for, di_sumedang, UserFactory())

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    paths = schema["paths"]
    assert {"/api/v1/notifikasi/", "/api/v1/notifikasi/{id}/baca/", "/api/v1/notifikasi/baca-semua/"} <= set(
        paths
    )
    daftar = paths["/api/v1/notifikasi/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert daftar == {"$ref": "#/components/schemas/PaginatedNotifikasiOutputList"}
    baca = paths["/api/v1/notifikasi/{id}/baca/"]["post"]["responses"]
    assert set(baca) == {"200", "400", "403", "404"}
    assert baca["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOutput"
    }
    assert set(schema["components"]["schemas"]["ErrorOutput"]["properties"]) == {"error"}
