"""Notifications never cross regencies, nor users: each lives in its regency's schema and is
shown only to its recipient, on the page, in the bell and through the API."""

import pytest
from django_tenants.utils import schema_context

from conftest import host_client
from eoffice.accounts.models import User
from eoffice.notifications.models import Notifikasi
from eoffice.notifications.services import notifikasi_kirim

pytestmark = pytest.mark.django_db

SUMEDANG_ADMIN, KENDARI_ADMIN = "admin.sumedang", "admin.kendari"


def _kirim(schema, username, judul):
    with schema_context(schema):
        [n] = notifikasi_kirim(
            penerima=[User.objects.get(username=username)], jenis="uji", judul=judul, tautan="/"
        )
        return n


def _login(tenant, username):
    client = host_client(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=username))
    return client


def test_notifications_live_in_their_regencys_schema(sumedang, kendari):
    n = _kirim("sumedang", SUMEDANG_ADMIN, "Rahasia Sumedang")

    with schema_context("sumedang"):
        assert Notifikasi.objects.filter(pk=n.pk, judul="Rahasia Sumedang").exists()
    with schema_context("kendari"):
        assert not Notifikasi.objects.filter(judul="Rahasia Sumedang").exists()


def test_kendari_user_never_sees_sumedangs_notifications(sumedang, kendari):
    # given notifications in both regencies; schemas number their rows independently, so pick a
    # Sumedang id that is not also Kendari's own (that one would rightly be Kendari's to read)
    milik = _kirim("kendari", KENDARI_ADMIN, "Milik Kendari")
    pertama = _kirim("sumedang", SUMEDANG_ADMIN, "Rahasia Sumedang")
    kedua = _kirim("sumedang", SUMEDANG_ADMIN, "Rahasia Sumedang lagi")
    rahasia = pertama if pertama.pk != milik.pk else kedua
    kendari_admin = _login(kendari, KENDARI_ADMIN)

    # when Kendari's admin looks at the page and the API, and tries Sumedang's id
    page = kendari_admin.get("/notifikasi/").text
    api = kendari_admin.get("/api/v1/notifikasi/").json()
    baca = kendari_admin.post(f"/api/v1/notifikasi/{rahasia.pk}/baca/")
    buka = kendari_admin.post(f"/notifikasi/{rahasia.pk}/buka/")

    # then only Kendari's own shows up, and Sumedang's row is untouched
    assert "Milik Kendari" in page and "Rahasia Sumedang" not in page
    assert [r["judul"] for r in api["results"]] == ["Milik Kendari"]
    assert (baca.status_code, buka.status_code) == (404, 404)
    assert baca.json()["error"]["code"] == "not_found"
    with schema_context("sumedang"):
        assert Notifikasi.objects.get(pk=rahasia.pk).dibaca_pada is None


def test_a_sumedang_session_sees_no_kendari_notifications(sumedang, kendari):
    _kirim("kendari", KENDARI_ADMIN, "Milik Kendari")
    sumedang_client = _login(sumedang, SUMEDANG_ADMIN)
    kendari_client = host_client(kendari)
    kendari_client.cookies["sessionid"] = sumedang_client.cookies["sessionid"].value

    assert kendari_client.get("/notifikasi/").status_code == 302  # to the login page
    api = kendari_client.get("/api/v1/notifikasi/")
    assert api.status_code == 403
    assert "Milik Kendari" not in api.text


def test_a_user_sees_only_their_own_within_one_regency(sumedang):
    # given a notification for the Sumedang admin and one for the Sumedang employee
    employee = "198609262015051001"
    _kirim("sumedang", SUMEDANG_ADMIN, "Untuk admin")
    untuk_pegawai = _kirim("sumedang", employee, "Untuk pegawai")
    admin = _login(sumedang, SUMEDANG_ADMIN)

    # when the admin looks
    page = admin.get("/notifikasi/").text
    api = admin.get("/api/v1/notifikasi/").json()

    # then only the admin's own, the bell counts only theirs, and the employee's id is 404
    assert "Untuk admin" in page and "Untuk pegawai" not in page
    assert [r["judul"] for r in api["results"]] == ["Untuk admin"]
    assert 'data-jumlah="1"' in page
    assert admin.post(f"/api/v1/notifikasi/{untuk_pegawai.pk}/baca/").status_code == 404
    assert admin.post("/api/v1/notifikasi/baca-semua/").json() == {"ditandai": 1}
    with schema_context("sumedang"):
        assert Notifikasi.objects.get(pk=untuk_pegawai.pk).dibaca_pada is None
