"""Kendari's administrator changes the regency's colour on the settings page (HTMX) and sees errors."""

from tenants.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.test_onboarding import _in_worker


def _restore_kendari() -> None:
    from tenants.models import Tenant, TenantConfigVersion

    kendari = Tenant.objects.get(schema_name="kendari")
    first = TenantConfigVersion.objects.filter(tenant=kendari).order_by("version").first()
    TenantConfigVersion.objects.filter(tenant=kendari).exclude(pk=first.pk).delete()
    kendari.config = first.config
    kendari.save(update_fields=["config"])


def test_admin_saves_settings_and_sees_field_errors(page, live_url):
    try:
        page.goto(live_url("kendari") + "/accounts/login/")
        page.get_by_label("NIP atau e-mail").fill("admin.kendari")
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(live_url("kendari") + "/")
        page.goto(live_url("kendari") + "/pengaturan/")
        page.get_by_label("Jam pulang (Senin–Kamis)").fill("06:00")
        page.get_by_role("button", name="Simpan konfigurasi").click()
        page.get_by_text("Jam pulang harus setelah jam masuk.").wait_for()
        screenshot(page, "tenant-settings-error")

        page.get_by_label("Jam pulang (Senin–Kamis)").fill("16:00")
        page.get_by_label("Nama tampilan").fill("e-Office Kota Kendari")
        page.get_by_label("Catatan perubahan").fill("Nama tampilan baru")
        page.get_by_role("button", name="Simpan konfigurasi").click()
        page.get_by_text("Konfigurasi tersimpan sebagai versi baru.").wait_for()
        assert page.get_by_label("Nama tampilan").input_value() == "e-Office Kota Kendari"
        page.reload()
        assert "Nama tampilan baru" in page.locator("table").inner_text()
        screenshot(page, "tenant-settings")
    finally:
        _in_worker(_restore_kendari)
