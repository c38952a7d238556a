"""Tenancy pages stay on their own hosts, and tokens minted for one regency fail on another."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import signing
from django.db import connection

from eoffice.accounts.models import User
from tenants.models import ImpersonationGrant
from tenants.onboarding import (
    LOGIN_SALT,
    registration_create,
    registration_login_token,
    registration_provision,
    registration_verify,
    registration_verify_token,
)
from tenants.services import impersonation_start
from tenants.views_settings import IMPERSONATION_SALT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/daftar/", "/operator/", "/operator/pendaftaran/"])
def test_root_pages_do_not_exist_on_a_regency_host(client_for, kendari, path):
    assert client_for(kendari).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/pengaturan/", "/pengaturan/mulai/", "/api/v1/pengaturan/"])
def test_regency_pages_do_not_exist_on_the_root_host(client_for, platform_tenant, path):
    assert client_for(platform_tenant).get(path).status_code == 404


def test_operator_session_means_nothing_on_a_regency_host(client_for, platform_tenant, kendari):
    operator = User.objects.get(username="operator")
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={})
    root = client_for(platform_tenant)
    root.force_login(operator)
    assert root.get("/operator/").status_code == 200
    regency = client_for(kendari)
    regency.cookies = root.cookies
    assert regency.get("/pengaturan/").status_code == 302
    assert regency.get("/api/v1/pengaturan/").status_code == 403


def test_support_link_for_kendari_fails_on_sumedang(client_for, kendari, sumedang):
    grant = impersonation_start(
        tenant=kendari, operator=User.objects.get(username="operator"), reason="Tiket #7"
    )
    token = signing.dumps({"g": grant.pk}, salt=IMPERSONATION_SALT)
    response = client_for(sumedang).get(f"/pengaturan/dukungan/{token}/")
    assert response.status_code == 403
    connection.set_schema_to_public()
    assert ImpersonationGrant.objects.get(pk=grant.pk).used_at is None


def test_hand_over_link_of_one_regency_fails_on_another(client_for, kendari):
    registration = registration_create(
        wilayah_kode="74.72",
        nama_pemohon="La Ode Ahmad",
        jabatan_pemohon="Kepala Diskominfo",
        email="kominfo@baubaukota.go.id",
        email_konfirmasi="kominfo@baubaukota.go.id",
        telepon="0402 2821234",
        subdomain="",
        terms_accepted=True,
    )
    registration_verify(token=registration_verify_token(registration=registration))
    done = registration_provision(registration_id=registration.pk)
    token = registration_login_token(registration=done)
    response = client_for(kendari).get(f"/pengaturan/masuk/{token}/")
    assert response.status_code == 400
    assert "bukan untuk daerah ini" in response.content.decode()
    forged = signing.dumps({"r": done.pk, "s": "kendari"}, salt=LOGIN_SALT)
    assert client_for(kendari).get(f"/pengaturan/masuk/{forged}/").status_code == 400
