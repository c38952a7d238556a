"""The presensi PWA in Chromium: a granted fake location inside and outside the geofence, a file
as the selfie, and a check-in made offline that is sent once, when the phone is back online."""

import datetime
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import Pegawai
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.models import LokasiKantor, Presensi, ShiftPegawai, StatusHarian
from modules.presensi.tests.conftest import jpeg_bytes
from tenants.models import Tenant
from tests.e2e.conftest import screenshot

# An office of its own, kilometres from any demo office, so "outside" is outside every fence.
LAT, LON = Decimal("-6.812300"), Decimal("107.961100")


@dataclass
class Setup:
    nip: str
    session: str


@pytest.fixture
def pwa_employee(live_url, django_db_blocker) -> Iterator[Setup]:
    """Committed data the live server can see: an employee with a shift covering now (so the
    test does not depend on the hour it runs), their office, and a signed-in session."""
    tenant = Tenant.objects.get(schema_name="sumedang")
    zone = ZoneInfo(tenant.timezone)
    now = datetime.datetime.now(zone)
    with schema_context("sumedang"):
        # Explicit NIP: the demo regency already holds factory-made employees.
        unit = UnitFactory(nama=f"Bagian Uji Presensi PWA {secrets.token_hex(3)}")
        nip = f"19850315201001{secrets.randbelow(10)}{secrets.randbelow(1000):03d}"
        pegawai = PegawaiFactory(unit=unit, nip=nip, jabatan=JabatanFactory(unit=unit))
        user = User.objects.create_user(
            username=pegawai.nip,
            email=f"{pegawai.nip}@uji.go.id",
            nama=pegawai.nama,
            password="eoffice-demo-2026",
        )
        Pegawai.objects.filter(pk=pegawai.pk).update(user=user)
        LokasiKantor.objects.create(
            nama="Kantor Uji PWA", unit=unit, latitude=LAT, longitude=LON, radius_m=100
        )
        start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
        end = (now + datetime.timedelta(hours=6)).time().replace(second=0, microsecond=0)
        ShiftPegawai.objects.create(
            pegawai=pegawai, tanggal=now.date(), nama_shift="Uji", jam_masuk=start, jam_pulang=end
        )
        client = Client(HTTP_HOST="sumedang.localhost")
        client.force_login(user)
        session = client.cookies["sessionid"].value
    yield Setup(nip=pegawai.nip, session=session)
    with schema_context("sumedang"):
        StatusHarian.objects.filter(pegawai=pegawai).delete()
        Presensi.objects.filter(pegawai=pegawai).delete()
        ShiftPegawai.objects.filter(pegawai=pegawai).delete()
        LokasiKantor.objects.filter(unit=unit).delete()
        # In SQL: the server may lag the newest modules' migrations, and the ORM's cascade would
        # look into every table that refers to employees or users.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM kepegawaian_pegawai WHERE id = %s", [pegawai.pk])
            cursor.execute("DELETE FROM kepegawaian_jabatan WHERE unit_id = %s", [unit.pk])
            cursor.execute("DELETE FROM kepegawaian_unit WHERE id = %s", [unit.pk])
            cursor.execute("DELETE FROM django_session WHERE session_key = %s", [session])
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])


def _phone(browser, live_url, setup: Setup, *, latitude: float, longitude: float):
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": latitude, "longitude": longitude, "accuracy": 12},
        permissions=["geolocation"],
    )
    context.add_cookies([{"name": "sessionid", "value": setup.session, "url": live_url("sumedang")}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_url("sumedang") + "/presensi/")
    # The service worker installs (caching the app shell) before the test goes on.
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active !== null)") is True
    page.wait_for_selector("#p-loc:has-text('akurasi ±12 m')")
    page.set_input_files(
        "#p-selfie",
        files=[{"name": "swafoto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((1200, 1600))}],
    )
    page.wait_for_selector("#p-preview:not([hidden])")
    return context, page


def _stored(nip: str) -> list[tuple[str, str, int]]:
    with schema_context("sumedang"):
        return [
            (p.jenis, p.status, p.swafoto.size if p.swafoto else 0)
            for p in Presensi.objects.filter(pegawai__nip=nip).order_by("waktu")
        ]


def test_check_in_inside_the_geofence_with_a_selfie(browser, live_url, pwa_employee):
    context, page = _phone(
        browser, live_url, pwa_employee, latitude=float(LAT) + 0.0003, longitude=float(LON)
    )
    page.get_by_role("button", name="Presensi masuk").click()
    page.wait_for_selector("#p-msg[data-kind='ok']")
    assert page.locator("#p-msg").inner_text().startswith("Tercatat: presensi masuk pukul")
    screenshot(page, "presensi-pwa-masuk")
    stored = _stored(pwa_employee.nip)
    assert [(j, s) for j, s, _ in stored] == [("masuk", "diterima")]
    # compressed on the phone: 1200×1600 became at most 640 px on the long side
    assert 0 < stored[0][2] < 60_000
    context.close()


def test_check_in_outside_the_geofence_is_refused_with_the_distance(browser, live_url, pwa_employee):
    context, page = _phone(browser, live_url, pwa_employee, latitude=float(LAT) + 0.009, longitude=float(LON))
    page.get_by_role("button", name="Presensi masuk").click()
    page.wait_for_selector("#p-msg[data-kind='error']")
    assert page.locator("#p-msg").inner_text().startswith("Anda berada 1001 m dari Kantor Uji PWA")
    screenshot(page, "presensi-pwa-di-luar")
    assert _stored(pwa_employee.nip) == []
    context.close()


def test_offline_check_in_is_queued_and_sent_once_when_back_online(browser, live_url, pwa_employee):
    context, page = _phone(browser, live_url, pwa_employee, latitude=float(LAT), longitude=float(LON))
    # given no signal
    context.set_offline(True)
    page.wait_for_selector("#p-net[data-state='offline']")
    # when the employee taps
    page.get_by_role("button", name="Presensi masuk").click()
    page.wait_for_selector("#p-queue:has-text('Menunggu dikirim: 1')")
    assert "disimpan di ponsel" in page.locator("#p-msg").inner_text()
    screenshot(page, "presensi-pwa-luring")
    assert _stored(pwa_employee.nip) == []
    # then, back online, the queued check-in is sent and stored exactly once
    context.set_offline(False)
    page.wait_for_selector("#p-msg:has-text('Presensi luring terkirim')")
    page.wait_for_function("document.getElementById('p-queue').textContent === ''")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second 'online' must not resend
    page.wait_for_timeout(500)
    assert [(j, s) for j, s, _ in _stored(pwa_employee.nip)] == [("masuk", "diterima")]
    context.close()


def test_queued_check_in_survives_a_lapsed_session(browser, live_url, pwa_employee):
    context, page = _phone(browser, live_url, pwa_employee, latitude=float(LAT), longitude=float(LON))
    # given a check-in queued offline
    context.set_offline(True)
    page.wait_for_selector("#p-net[data-state='offline']")
    page.get_by_role("button", name="Presensi masuk").click()
    page.wait_for_selector("#p-queue:has-text('Menunggu dikirim: 1')")
    # when the session ends before the phone is back online
    with schema_context("sumedang"):
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=pwa_employee.session).delete()
    context.set_offline(False)
    # then the check-in stays on the phone and the employee is told to sign in again
    page.wait_for_selector("#p-msg:has-text('Sesi Anda berakhir')")
    assert page.locator("#p-queue").inner_text() == "Menunggu dikirim: 1"
    assert _stored(pwa_employee.nip) == []
    context.close()


def test_monthly_recap_page_for_a_leader(browser, live_url):
    # A pimpinan sees the recap of their unit (admins see the same page, behind MFA).
    with schema_context("sumedang"):
        leader = User.objects.create_user(
            username=f"pimpinan.uji.{secrets.token_hex(3)}",
            email=f"pimpinan.uji.{secrets.token_hex(3)}@uji.go.id",
            nama="Pimpinan Uji Presensi",
            password="eoffice-demo-2026",
            peran=User.Peran.PIMPINAN,
        )
        unit = UnitFactory(nama=f"Dinas Uji Rekap {secrets.token_hex(3)}")
        nip = f"19800101200501{secrets.randbelow(10)}{secrets.randbelow(1000):03d}"
        pegawai = PegawaiFactory(
            unit=unit, nip=nip, jabatan=JabatanFactory(unit=unit, is_kepala_unit=True), user=leader
        )
        client = Client(HTTP_HOST="sumedang.localhost")
        client.force_login(leader)
        session = client.cookies["sessionid"].value
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_url("sumedang")}])
    page = context.new_page()
    try:
        page.goto(live_url("sumedang") + "/presensi/rekap/?bulan=2026-12")
        assert page.locator("h1").inner_text() == f"Rekap presensi 2026-12 {unit.nama}"
        assert pegawai.nama in page.locator("table.rekap").inner_text()
        screenshot(page, "presensi-rekap-pimpinan")
    finally:
        context.close()
        with schema_context("sumedang"), connection.cursor() as cursor:
            cursor.execute("DELETE FROM kepegawaian_pegawai WHERE id = %s", [pegawai.pk])
            cursor.execute("DELETE FROM kepegawaian_jabatan WHERE unit_id = %s", [unit.pk])
            cursor.execute("DELETE FROM kepegawaian_unit WHERE id = %s", [unit.pk])
            cursor.execute("DELETE FROM django_session WHERE session_key = %s", [session])
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [leader.pk])
