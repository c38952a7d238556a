"""An employee of Kota Kendari signs in with their NIP and lands on Kendari's dashboard."""

from tenants.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot


def test_employee_signs_in_on_kendari_and_sees_kendari(page, live_url):
    page.goto(live_url("kendari") + "/")

    page.get_by_label("NIP atau e-mail").fill("19900115 201903 2 002")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.wait_for_url(live_url("kendari") + "/")
    assert page.locator(".topbar__name").inner_text() == "Kota Kendari"
    assert page.locator("h1").inner_text() == "Selamat datang, Wa Ode Nurhayati, S.E."
    assert "Berhasil masuk sebagai Wa Ode Nurhayati, S.E." in page.get_by_role("status").inner_text()
    assert "WITA" in page.locator(".topbar__clock").inner_text()
    screenshot(page, "kendari-dashboard")


def test_wrong_password_is_refused_in_indonesian(page, live_url):
    page.goto(live_url("kendari") + "/accounts/login/")

    page.get_by_label("NIP atau e-mail").fill("199001152019032002")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()

    alert = page.get_by_role("alert").first
    assert "tidak benar" in alert.inner_text() or "salah" in alert.inner_text().lower()
    assert page.get_by_label("NIP atau e-mail").input_value() == "199001152019032002"
