"""The bell in the header, the /notifikasi/ page, opening a notification and "tandai semua dibaca"."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eoffice.notifications.models import Notifikasi
from eoffice.notifications.services import notifikasi_kirim
from modules.kepegawaian.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def _kirim(user, judul, tautan="/cuti/"):
    [n] = notifikasi_kirim(penerima=[user], jenis="uji", judul=judul, tautan=tautan)
    return n


def _bell(html):
    match = re.search(r'<a href="/notifikasi/" id="notifikasi-lonceng"[^>]*>.*?</a>', html, re.S)
    return match.group(0) if match else None


def test_bell_shows_the_unread_count_with_one_count_query(di_sumedang, client_for):
    # given three notifications, one read
    user = UserFactory()
    for judul in ("A", "B", "C"):
        _kirim(user, judul)
    Notifikasi.objects.filter(penerima=user, judul="A").update(dibaca_pada="2026-01-01T00:00:00Z")
    client = _client(client_for, di_sumedang, user)

    # when any page is rendered
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").text

    # then the header bell says 2, from one COUNT on the notifications table
    bell = _bell(html)
    assert bell is not None
    assert '<span class="topbar__bell-count" data-jumlah="2">2</span>' in bell
    assert 'aria-label="Notifikasi: 2 belum dibaca"' in bell
    on_table = [q["sql"] for q in queries.captured_queries if "notifications_notifikasi" in q["sql"]]
    assert len(on_table) == 1
    assert on_table[0].startswith('SELECT COUNT(*) AS "__count" FROM "notifications_notifikasi"')


def test_bell_without_unread_has_no_count(di_sumedang, client_for):
    client = _client(client_for, di_sumedang, UserFactory())
    bell = _bell(client.get("/").text)
    assert bell is not None
    assert "topbar__bell-count" not in bell
    assert 'aria-label="Notifikasi: tidak ada yang belum dibaca"' in bell


def test_no_bell_for_anonymous_visitors(di_sumedang, client_for):
    html = client_for(di_sumedang).get("/accounts/login/").text
    assert "notifikasi-lonceng" not in html


def test_page_lists_own_newest_first_unread_highlighted_and_paginated(di_sumedang, client_for):
    # given 21 notifications (the page holds 20), the oldest read, and one for someone else
    user, lain = UserFactory(), UserFactory()
    for i in range(21):
        _kirim(user, f"Notifikasi nomor {i:02d}")
    _kirim(lain, "Milik orang lain")
    Notifikasi.objects.filter(judul="Notifikasi nomor 00").update(dibaca_pada="2026-01-01T00:00:00Z")
    client = _client(client_for, di_sumedang, user)

    # when
    first, second = client.get("/notifikasi/"), client.get("/notifikasi/?page=2")

    # then
    assert first.status_code == second.status_code == 200
    judul = re.findall(r"Notifikasi nomor (\d\d)", first.text)
    assert judul == [f"{i:02d}" for i in range(20, 0, -1)]
    assert re.findall(r"Notifikasi nomor (\d\d)", second.text) == ["00"]
    assert first.text.count("notif__item notif__item--baru") == 20
    assert second.text.count("notif__item--baru") == 0
    assert "Halaman 1 dari 2" in first.text
    assert "20 notifikasi belum dibaca." in first.text
    assert "Milik orang lain" not in first.text + second.text


def test_page_counts_unread_and_is_empty_for_a_new_user(di_sumedang, client_for):
    user = UserFactory()
    client = _client(client_for, di_sumedang, user)
    assert "Belum ada notifikasi." in client.get("/notifikasi/").text
    _kirim(user, "Satu")
    html = client.get("/notifikasi/").text
    assert "1 notifikasi belum dibaca." in html
    assert "Tandai semua dibaca" in html


def test_opening_marks_read_and_goes_to_its_page(di_sumedang, client_for):
    user = UserFactory()
    n = _kirim(user, "Permohonan cuti menunggu", tautan="/cuti/persetujuan/")
    client = _client(client_for, di_sumedang, user)

    response = client.post(f"/notifikasi/{n.pk}/buka/")

    assert (response.status_code, response["Location"]) == (302, "/cuti/persetujuan/")
    assert Notifikasi.objects.get(pk=n.pk).dibaca_pada is not None


def test_opening_one_without_a_link_returns_to_the_list(di_sumedang, client_for):
    user = UserFactory()
    n = _kirim(user, "Tanpa tautan", tautan="")
    response = _client(client_for, di_sumedang, user).post(f"/notifikasi/{n.pk}/buka/")
    assert (response.status_code, response["Location"]) == (302, "/notifikasi/")


def test_opening_someone_elses_is_404_and_changes_nothing(di_sumedang, client_for):
    pemilik, lain = UserFactory(), UserFactory()
    n = _kirim(pemilik, "Rahasia")
    client = _client(client_for, di_sumedang, lain)

    assert client.post(f"/notifikasi/{n.pk}/buka/").status_code == 404
    assert client.get(f"/notifikasi/{n.pk}/buka/").status_code == 405
    assert Notifikasi.objects.get(pk=n.pk).dibaca_pada is None


def test_mark_all_read_by_htmx_swaps_the_list_and_the_bell(di_sumedang, client_for):
    # given two unread for the user and one for someone else
    user, lain = UserFactory(), UserFactory()
    _kirim(user, "Satu")
    _kirim(user, "Dua")
    _kirim(lain, "Tiga")
    client = _client(client_for, di_sumedang, user)

    # when
    response = client.post("/notifikasi/baca-semua/", HTTP_HX_REQUEST="true")

    # then the list comes back without unread rows, with the bell swapped out of band
    html = response.text
    assert response.status_code == 200
    assert html.startswith('<section id="notifikasi-daftar"')
    assert "<html" not in html
    assert "notif__item--baru" not in html
    assert 'id="notifikasi-lonceng"' in html and 'hx-swap-oob="true"' in html
    assert "topbar__bell-count" not in html
    assert Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).count() == 0
    assert Notifikasi.objects.filter(penerima=lain, dibaca_pada__isnull=True).count() == 1


def test_mark_all_read_without_javascript_reloads_the_page(di_sumedang, client_for):
    user = UserFactory()
    _kirim(user, "Satu")
    response = _client(client_for, di_sumedang, user).post("/notifikasi/baca-semua/")
    assert (response.status_code, response["Location"]) == (302, "/notifikasi/")
    assert Notifikasi.objects.get(penerima=user).dibaca_pada is not None


def test_pages_need_a_login(di_sumedang, client_for):
    response = client_for(di_sumedang).get("/notifikasi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
