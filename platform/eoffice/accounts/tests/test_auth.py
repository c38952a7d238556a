"""Sign-in by NIP or e-mail, mandatory MFA for admins, lockout, password reset, host-bound sessions."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axes.models import AccessAttempt
from django.core import mail
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from tenants.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, login: str, password: str = DEMO_PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def _totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))  # the current period


def test_employee_signs_in_with_nip_as_printed_or_email(sumedang, client_for):
    # given the demo employee of Sumedang
    client = client_for(sumedang)
    # when they sign in with the NIP written with spaces
    response = _login(client, "19860926 201505 1 001")
    # then they are in
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/api/v1/me/").json()["username"] == "198609262015051001"
    other = client_for(sumedang)
    assert _login(other, "pegawai@sumedang.go.id").status_code == 302
    assert other.get("/api/v1/me/").json()["username"] == "198609262015051001"


def test_admin_without_totp_is_sent_to_mfa_setup(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = True
    client = client_for(sumedang)
    _login(client, "admin.sumedang")
    # when the admin opens any page or API
    page = client.get("/kepegawaian/")
    api = client.get("/api/v1/me/")
    # then the page redirects to TOTP set-up and the API refuses
    assert page.status_code == 302 and page.url == "/accounts/2fa/totp/activate/"
    assert api.status_code == 403 and api.json()["error"]["code"] == "mfa_required"


def test_admin_opd_is_sent_to_mfa_setup_too(sumedang, client_for, settings):
    from modules.kepegawaian.tests.factories import UserFactory

    settings.MFA_ENFORCE_FOR_ADMINS = True
    with schema_context(sumedang.schema_name):
        UserFactory(username="admin.opd.uji", peran="admin_opd")
    client = client_for(sumedang)
    assert _login(client, "admin.opd.uji").status_code == 302
    response = client.get("/kepegawaian/", follow=True)
    # then set-up asks to confirm the password first (allauth's reauthentication), then shows TOTP
    assert [url for url, _status in response.redirect_chain] == [
        "/accounts/2fa/totp/activate/",
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert response.status_code == 200


def test_admin_completes_totp_setup_and_gets_recovery_codes(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = True
    client = client_for(sumedang)
    _login(client, "admin.sumedang")
    # given the password confirmed again, as allauth asks before changing MFA
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200
    secret = form.context["form"].secret
    # when the admin types the code from the authenticator app
    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_code(secret)})
    # then TOTP and recovery codes exist, and the app opens
    assert response.status_code == 302
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        kinds = set(Authenticator.objects.filter(user=admin).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/api/v1/me/").status_code == 200


def test_employee_is_not_forced_to_mfa(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = True
    client = client_for(sumedang)
    _login(client, "198609262015051001")
    assert client.get("/api/v1/me/").status_code == 200


def test_admin_with_totp_must_give_a_code_then_works(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = True
    secret = generate_totp_secret()
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        TOTP.activate(admin, secret)
    client = client_for(sumedang)
    # when the admin signs in with the password only
    response = _login(client, "admin.sumedang")
    # then allauth asks for the second factor, and nothing is reachable yet
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/api/v1/me/").status_code == 403
    # when the TOTP code is given
    response = client.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret)})
    # then the admin is in
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["peran"] == "admin_pemda"


def test_admin_can_sign_in_with_a_recovery_code_once(sumedang, client_for, settings):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    settings.MFA_ENFORCE_FOR_ADMINS = True
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        TOTP.activate(admin, generate_totp_secret())
        code = RecoveryCodes.activate(admin).get_unused_codes()[0]
    # when the admin lost the phone and uses a recovery code
    client = client_for(sumedang)
    assert _login(client, "admin.sumedang").url == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "admin.sumedang"
    # then the same code does not work a second time
    again = client_for(sumedang)
    _login(again, "admin.sumedang")
    assert again.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert again.get("/api/v1/me/").status_code == 403


def test_operator_on_root_host_must_set_up_mfa(platform_tenant, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = True
    client = client_for(platform_tenant)
    with schema_context("public"):
        operator = User.objects.get(username="operator")
        assert not Authenticator.objects.filter(user=operator).exists()
    client.force_login(operator)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/"


def test_axes_lockout_after_repeated_failures_even_with_right_password(kendari, client_for, settings):
    # given allauth's own rate limit out of the way, so axes is what is tested
    settings.ACCOUNT_RATE_LIMITS = False
    client = client_for(kendari)
    # when the password is wrong as often as the limit allows, the NIP typed both ways
    statuses = [
        _login(
            client, "19900115 201903 2 002" if attempt % 2 else "199001152019032002", "salah-sekali"
        ).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    # then the last failure locks the login, and even the right password is refused
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = _login(client, "199001152019032002")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert client.get("/api/v1/me/").status_code == 403
    with schema_context(kendari.schema_name):
        assert (
            AccessAttempt.objects.get(username="199001152019032002").failures_since_start
            == settings.AXES_FAILURE_LIMIT + 1
        )
    # and another employee on the same address can still sign in
    assert _login(client_for(kendari), "admin.kendari").status_code == 302


def test_password_reset_by_email_sets_new_password(kendari, client_for):
    client = client_for(kendari)
    # when the employee asks for a reset link
    response = client.post("/accounts/password/reset/", {"email": "pegawai@kendari.go.id"})
    assert response.status_code == 302
    # then a mail with a link on the tenant's host arrives
    assert len(mail.outbox) == 1
    link = re.search(r"http://kendari\.localhost\S*/accounts/password/reset/key/\S+/", mail.outbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    form = client.get(path, follow=True)
    set_path = form.redirect_chain[-1][0] if form.redirect_chain else path
    response = client.post(set_path, {"password1": "Kendari-baru-2026!", "password2": "Kendari-baru-2026!"})
    assert response.status_code == 302
    assert _login(client_for(kendari), "199001152019032002", "Kendari-baru-2026!").status_code == 302


def test_session_from_one_regency_is_not_valid_on_another(sumedang, kendari, client_for):
    client = client_for(sumedang)
    _login(client, "198609262015051001")
    assert client.get("/api/v1/me/").status_code == 200
    # when the same cookie is sent to Kendari's host
    other = client_for(kendari)
    other.cookies = client.cookies
    # then Kendari sees no signed-in user
    assert other.get("/api/v1/me/").status_code == 403
