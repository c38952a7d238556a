"""Onboarding on the root host: application, verification link, approval, provisioning, hand-over."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django_tenants.utils import schema_context, schema_exists
from freezegun import freeze_time

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Unit
from tenants import onboarding
from tenants.models import PlatformSetting, Registration, Tenant
from tenants.onboarding import (
    registration_approve,
    registration_create,
    registration_provision,
    registration_retry,
    registration_verify,
    registration_verify_token,
    subdomain_suggest,
)

pytestmark = pytest.mark.django_db


def _apply(**overrides) -> Registration:
    values = {
        "wilayah_kode": "74.72",
        "nama_pemohon": "La Ode Ahmad",
        "jabatan_pemohon": "Kepala Diskominfo",
        "email": "kominfo@baubaukota.go.id",
        "email_konfirmasi": "kominfo@baubaukota.go.id",
        "telepon": "0402 2821234",
        "subdomain": "",
        "terms_accepted": True,
    }
    values.update(overrides)
    return registration_create(**values)


def test_subdomain_is_suggested_from_the_name():
    assert subdomain_suggest(nama="Kota Kendari") == "kendari"
    assert subdomain_suggest(nama="Kabupaten Bandung Barat") == "bandung-barat"


def test_application_defaults_subdomain_and_waits_for_verification():
    registration = _apply()
    assert (registration.subdomain, registration.status) == ("bau-bau", Registration.Status.UNVERIFIED)
    assert registration.wilayah.nama == "Kota Bau Bau"


@pytest.mark.parametrize(
    ("overrides", "field", "message_part"),
    [
        ({"wilayah_kode": "32.11"}, "wilayah", "sudah bergabung"),  # Sumedang is on the platform
        ({"wilayah_kode": "99.99"}, "wilayah", "Pilih kabupaten/kota"),
        ({"subdomain": "kendari"}, "subdomain", "sudah dipakai"),
        ({"subdomain": "admin"}, "subdomain", "dicadangkan"),
        ({"subdomain": "-x"}, "subdomain", "tidak valid"),
        ({"email_konfirmasi": "lain@baubaukota.go.id"}, "email_konfirmasi", "tidak sama"),
        ({"email": "kominfo@gmail.com", "email_konfirmasi": "kominfo@gmail.com"}, "email", "e-mail dinas"),
        ({"terms_accepted": False}, "terms", "ketentuan"),
        ({"telepon": "abc"}, "telepon", "telepon"),
    ],
)
def test_bad_application_names_the_field_and_creates_nothing(
    sumedang, kendari, overrides, field, message_part
):
    with pytest.raises(ApplicationError) as error:
        _apply(**overrides)
    assert field in error.value.fields
    assert message_part.lower() in " ".join(error.value.fields[field]).lower()
    assert Registration.objects.count() == 0


def test_same_regency_or_subdomain_cannot_apply_twice():
    _apply()
    with pytest.raises(ApplicationError) as error:
        _apply()
    assert "sedang diproses" in error.value.fields["wilayah"][0]
    with pytest.raises(ApplicationError) as error:
        _apply(wilayah_kode="74.05", subdomain="bau-bau")
    assert "sudah dipakai" in error.value.fields["subdomain"][0]
    assert Registration.objects.count() == 1


def test_verification_queues_provisioning_once(django_capture_on_commit_callbacks):
    registration = _apply()
    token = registration_verify_token(registration=registration)
    with django_capture_on_commit_callbacks() as callbacks:
        verified = registration_verify(token=token)
    assert verified.status == Registration.Status.QUEUED
    assert len(callbacks) == 1  # the Celery task is sent after commit
    # a second click on the same link is refused
    with pytest.raises(ApplicationError) as error:
        registration_verify(token=token)
    assert error.value.code == "link_used"


def test_expired_tampered_or_foreign_link_is_refused():
    registration = _apply()
    token = registration_verify_token(registration=registration)
    with freeze_time(registration.created_at + timedelta(hours=49)), pytest.raises(ApplicationError) as error:
        registration_verify(token=token)
    assert error.value.code == "link_expired"
    with pytest.raises(ApplicationError) as error:
        registration_verify(token=token[:-2] + "xx")
    assert error.value.code == "link_invalid"
    # a link signed for another address does not verify this registration
    forged = signing.dumps(
        {"r": registration.pk, "e": "lain@baubaukota.go.id"}, salt=onboarding.VERIFY_SALT, compress=True
    )
    with pytest.raises(ApplicationError) as error:
        registration_verify(token=forged)
    assert error.value.code == "link_invalid"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNVERIFIED


def test_operator_approval_when_required(django_capture_on_commit_callbacks):
    PlatformSetting.objects.update_or_create(pk=1, defaults={"require_approval": True})
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    assert registration.status == Registration.Status.AWAITING_APPROVAL
    operator = User.objects.get(username="operator")
    with django_capture_on_commit_callbacks() as callbacks:
        approved = registration_approve(registration=registration, actor=operator)
    assert (approved.status, approved.approved_by, len(callbacks)) == ("queued", str(operator), 1)


def test_provisioning_task_creates_the_tenant_and_is_idempotent():
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    done = registration_provision(registration_id=registration.pk)
    assert (done.status, done.step, done.attempts) == ("done", "done", 1)
    tenant = Tenant.objects.get(kode="74.72")
    assert (tenant.schema_name, tenant.timezone, tenant.status, tenant.provinsi) == (
        "bau_bau",
        "Asia/Makassar",
        "active",
        "Sulawesi Tenggara",
    )
    with schema_context("bau_bau"):
        admin = User.objects.get(username="admin.bau-bau")
        assert (admin.email, admin.peran) == ("kominfo@baubaukota.go.id", "admin_pemda")
        assert Unit.objects.filter(jenis=Unit.Jenis.KECAMATAN).count() == 8
    # a second delivery of the task (or a double click) creates nothing more
    again = registration_provision(registration_id=registration.pk)
    assert again.attempts == 1
    assert Tenant.objects.filter(kode="74.72").count() == 1


def test_applicant_is_mailed_when_the_regency_is_ready(django_capture_on_commit_callbacks):
    # given a verified application (the applicant may have closed the progress page)
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    # when the worker provisions it
    with django_capture_on_commit_callbacks(execute=True):
        registration_provision(registration_id=registration.pk)
    # then the applicant gets the address, a one-time sign-in and their username
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["kominfo@baubaukota.go.id"],
        "e-Office Kota Bau Bau siap digunakan",
    )
    assert "http://bau-bau.localhost/" in message.body and "admin.bau-bau" in message.body
    login = re.search(r"http://bau-bau\.localhost(/pengaturan/masuk/\S+/)", message.body).group(1)
    reset = re.search(r"http://bau-bau\.localhost(/accounts/password/reset/)", message.body).group(1)
    response = Client(HTTP_HOST="bau-bau.localhost").get(login)
    assert response.status_code == 302 and response.url.startswith("/accounts/password/set/")
    # and, the link once used, the administrator (no password yet) can still get one by e-mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_HOST="bau-bau.localhost").post(reset, {"email": "kominfo@baubaukota.go.id"})
    assert response.status_code == 302
    [reset_mail] = mail.outbox
    assert "http://bau-bau.localhost/accounts/password/reset/key/" in reset_mail.body


def test_failed_provisioning_is_recorded_cleaned_and_retryable(kendari):
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    # the subdomain gets taken by someone else after the application (a race the checks cannot see)
    kendari.domains.create(domain="bau-bau.localhost", is_primary=False)
    failed = registration_provision(registration_id=registration.pk)
    assert failed.status == Registration.Status.FAILED
    assert "sudah dipakai" in failed.error
    assert not Tenant.objects.filter(kode="74.72").exists()
    assert not schema_exists("bau_bau")
    kendari.domains.filter(domain="bau-bau.localhost").delete()
    registration_retry(registration=failed, actor=None)
    assert registration_provision(registration_id=registration.pk).status == Registration.Status.DONE


def test_root_form_to_subdomain_login_through_http(
    client_for, platform_tenant, django_capture_on_commit_callbacks
):
    # given the root host form
    root = client_for(platform_tenant)
    page = root.get("/daftar/")
    assert page.status_code == 200
    assert "74.72 Kota Bau Bau" in page.content.decode()
    assert "32.11 Kabupaten Sumedang" not in page.content.decode()
    # when the applicant submits it (the e-mail leaves after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = root.post(
            "/daftar/",
            {
                "wilayah": "74.72 Kota Bau Bau",
                "nama_pemohon": "La Ode Ahmad",
                "jabatan_pemohon": "Kepala Diskominfo",
                "email": "kominfo@baubaukota.go.id",
                "email_konfirmasi": "kominfo@baubaukota.go.id",
                "telepon": "0402 2821234",
                "subdomain": "",
                "terms": "on",
            },
        )
    assert response.status_code == 302
    # then a verification mail carries the link
    [message] = mail.outbox
    link = re.search(r"http://\S+/daftar/verifikasi/\S+/", message.body).group(0)
    response = root.get(link.split("localhost", 1)[1])
    registration = Registration.objects.get()
    assert response.url == f"/daftar/status/{registration.public_id}/"
    registration_provision(registration_id=registration.pk)  # what the worker does
    partial = root.get(f"/daftar/status/{registration.public_id}/bagian/").content.decode()
    assert 'data-status="done"' in partial
    login_url = re.search(r'href="(http://bau-bau\.localhost[^"]+)"', partial).group(1)
    # and the applicant lands on the new host signed in as its administrator
    routing_client = Client(HTTP_HOST="bau-bau.localhost")
    response = routing_client.get(login_url.split("bau-bau.localhost", 1)[1].lstrip(":0123456789"))
    assert response.status_code == 302 and response.url == "/accounts/password/set/?next=/pengaturan/mulai/"
    welcome = routing_client.get("/pengaturan/mulai/")
    assert "Buat kata sandi" in welcome.content.decode()
    # the one-time link does not work twice
    reuse = Client(HTTP_HOST="bau-bau.localhost").get(
        login_url.split("bau-bau.localhost", 1)[1].lstrip(":0123456789")
    )
    assert reuse.status_code == 409


def test_another_browser_cannot_watch_or_take_over_the_registration(client_for, platform_tenant):
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    assert client_for(platform_tenant).get(f"/daftar/status/{registration.public_id}/").status_code == 404


def test_form_errors_are_shown_with_400_and_input_kept(client_for, platform_tenant):
    response = client_for(platform_tenant).post(
        "/daftar/",
        {
            "wilayah": "74.72",
            "nama_pemohon": "La Ode",
            "jabatan_pemohon": "Kadis",
            "email": "a@baubaukota.go.id",
            "email_konfirmasi": "b@baubaukota.go.id",
            "telepon": "0402 2821234",
            "subdomain": "www",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Konfirmasi e-mail tidak sama" in body
    assert "dicadangkan" in body
    assert "Setujui ketentuan" in body
    assert 'value="La Ode"' in body
    assert Registration.objects.count() == 0


def test_onboarding_can_start_from_a_published_configuration(sumedang):
    # given Sumedang's published configuration with its own letter numbering
    from tenants.configuration import config_publish, config_update

    data = {**sumedang.config, "letter_numbering": {"format": "{nomor}/SMD/{tahun}"}}
    config_update(tenant=sumedang, data=data, actor=None)
    template = config_publish(tenant=sumedang, actor=None)
    # when Bau Bau applies starting from it and is provisioned
    registration = _apply(config_template_id=template.pk)
    registration_verify(token=registration_verify_token(registration=registration))
    registration_provision(registration_id=registration.pk)
    # then it has Sumedang's settings under its own name and zone
    tenant = Tenant.objects.get(kode="74.72")
    assert tenant.config["letter_numbering"]["format"] == "{nomor}/SMD/{tahun}"
    assert (tenant.config["display_name"], tenant.config["timezone"]) == ("Kota Bau Bau", "Asia/Makassar")


def test_provisioning_task_runs_the_service_and_refills_the_spare_pool(settings):
    from tenants import provisioning
    from tenants.tasks import registration_provision as task

    settings.TENANT_SPARE_POOL_SIZE = 1
    registration = registration_verify(token=registration_verify_token(registration=_apply()))
    result = task.apply(args=[registration.pk]).get()
    assert result == "done"
    assert Tenant.objects.get(kode="74.72").status == Tenant.Status.ACTIVE
    assert len(provisioning.spare_schema_names()) == 1


def test_database_refuses_a_second_open_application_for_the_same_regency():
    # given one application; when a racing request skips the service's checks
    from django.db import IntegrityError, transaction

    first = _apply()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            wilayah=first.wilayah,
            nama_pemohon="Lain",
            jabatan_pemohon="Lain",
            email="lain@baubaukota.go.id",
            telepon="0402 1",
            subdomain="baubau-lain",
            terms_accepted_at=first.terms_accepted_at,
        )
    # then only the first exists; a rejected application frees the regency again
    assert Registration.objects.count() == 1
    Registration.objects.filter(pk=first.pk).update(status=Registration.Status.REJECTED)
    assert _apply(subdomain="baubau").status == Registration.Status.UNVERIFIED


def test_addresses_in_e_mails_follow_the_deployments_scheme_and_port(settings):
    from tenants.services import site_url

    assert site_url(host="bau-bau.localhost", path="/x/") == "http://bau-bau.localhost/x/"
    settings.SITE_PORT = 8000  # make run: the development server
    assert site_url(host="bau-bau.localhost", path="/x/") == "http://bau-bau.localhost:8000/x/"
    settings.SITE_PORT, settings.SECURE_SSL_REDIRECT = None, True  # behind the HTTPS proxy
    assert site_url(host="bau-bau.eoffice.id", path="/x/") == "https://bau-bau.eoffice.id/x/"
