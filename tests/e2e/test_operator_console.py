"""An operator (with MFA) finds a regency in the console, live-filtered, and opens its detail."""

from django.test import Client

from tests.e2e.conftest import screenshot
from tests.e2e.test_onboarding import _in_worker


def _operator_session() -> str:
    from allauth.mfa.models import Authenticator

    from eoffice.accounts.models import User

    operator = User.objects.get(username="operator")
    Authenticator.objects.get_or_create(user=operator, type=Authenticator.Type.TOTP, defaults={"data": {}})
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    return client.cookies["sessionid"].value


def _cleanup() -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user__username="operator").delete()


def test_operator_filters_tenants_and_opens_kendari(page, live_url):
    session = _in_worker(_operator_session)
    try:
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_url()}])
        page.goto(live_url() + "/operator/")
        rows = page.locator("#tenant-rows tbody tr")
        assert rows.count() == 2
        assert "Kabupaten Sumedang" in rows.nth(0).inner_text()
        assert "Aktif" in rows.nth(1).inner_text()
        screenshot(page, "operator-console")

        page.get_by_label("Cari").fill("kendari")
        page.wait_for_function("document.querySelectorAll('#tenant-rows tbody tr').length === 1")
        assert "Kota Kendari" in page.locator("#tenant-rows tbody tr").inner_text()

        page.get_by_role("link", name="Kota Kendari").click()
        page.get_by_role("heading", name="Kota Kendari").wait_for()
        assert "kendari.localhost" in page.locator("main").inner_text()
        assert page.get_by_role("button", name="Tangguhkan").is_visible()
        screenshot(page, "operator-tenant-detail")
    finally:
        _in_worker(_cleanup)
