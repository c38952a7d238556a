"""A new regency onboards itself end to end: root form, e-mail link, live progress, new host."""

import re
import threading

from django.core import mail
from django.db import connections

from tests.e2e.conftest import screenshot


def _in_worker(function):
    """Run like the Celery worker would: another thread, its own connection, committing. (This
    test's own connection is inside a transaction the live server cannot see.)"""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _cleanup() -> None:
    from eoffice.audit.models import AuditEvent
    from tenants.models import Registration, Tenant
    from tenants.services import tenant_discard

    for tenant in Tenant.objects.filter(kode="74.72"):
        tenant_discard(tenant=tenant)
    registrations = list(Registration.objects.filter(wilayah_id="74.72").values_list("pk", flat=True))
    AuditEvent.objects.filter(
        target_type="tenants.registration", target_id__in=[str(pk) for pk in registrations]
    ).delete()
    AuditEvent.objects.filter(action="tenant.provision", after__kode="74.72").delete()
    Registration.objects.filter(pk__in=registrations).delete()


def test_regency_onboards_from_root_form_to_its_own_host(page, live_url):
    from tenants.models import Registration
    from tenants.onboarding import registration_provision

    _in_worker(_cleanup)
    mail.outbox = []
    try:
        # The applicant finds the form on the platform's landing page.
        page.goto(live_url() + "/")
        page.get_by_role("link", name="Daftarkan daerah Anda").click()
        page.wait_for_url(live_url() + "/daftar/")
        page.get_by_label("Kabupaten/kota").fill("74.72 Kota Bau Bau")
        # the subdomain follows the chosen name until the applicant edits it
        assert page.get_by_label("Subdomain").input_value() == "bau-bau"
        page.get_by_label("Nama pemohon").fill("La Ode Ahmad")
        page.get_by_label("Jabatan").fill("Kepala Diskominfo")
        page.locator("#id_email").fill("kominfo@baubaukota.go.id")
        page.get_by_label("Ulangi e-mail dinas").fill("kominfo@baubaukota.go.id")
        page.get_by_label("Telepon").fill("0402 2821234")
        page.get_by_label(re.compile("Saya menyetujui ketentuan")).check()
        screenshot(page, "onboarding-form")
        page.get_by_role("button", name="Kirim pendaftaran").click()
        page.get_by_role("heading", name="Periksa e-mail Anda").wait_for()

        # The e-mail's link verifies the address and opens the live progress page.
        [message] = mail.outbox
        link = re.search(r"http://\S+/daftar/verifikasi/\S+/", message.body).group(0)
        page.goto(link)
        page.wait_for_url(re.compile(r"/daftar/status/"))
        assert "Menyiapkan e-Office Kota Bau Bau" in page.locator("h1").inner_text()

        # The Celery worker's part, run here: the page keeps polling until it is done.
        registration = Registration.objects.get(wilayah_id="74.72")
        assert _in_worker(lambda: registration_provision(registration_id=registration.pk)).status == "done"
        page.get_by_role("link", name="Masuk ke e-Office daerah Anda").wait_for()
        screenshot(page, "onboarding-progress-done")
        page.get_by_role("link", name="Masuk ke e-Office daerah Anda").click()

        # The applicant lands on the new host, signed in as the regency's administrator, and
        # first sets a password.
        page.wait_for_url(re.compile(r"bau-bau\.localhost:\d+/accounts/password/set/"))
        assert page.locator(".topbar__name").inner_text() == "Kota Bau Bau"
        screenshot(page, "onboarding-set-password")
        passwords = page.locator("input[type=password]")
        passwords.nth(0).fill("Baubau-kominfo-2026!")
        passwords.nth(1).fill("Baubau-kominfo-2026!")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(live_url("bau-bau") + "/pengaturan/mulai/")
        assert "Selamat datang di e-Office Kota Bau Bau" in page.locator("h1").inner_text()
        assert "Kata sandi sudah dibuat." in page.locator("main").inner_text()
        assert page.get_by_role("link", name=re.compile("Aktifkan verifikasi dua langkah")).is_visible()
        assert "La Ode Ahmad" in page.locator(".topbar__user").inner_text()
        screenshot(page, "onboarding-welcome")
    finally:
        _in_worker(_cleanup)
