"""Per-tenant configuration: validation, versions, revert, custom domains, publish/adopt, pages and API."""

import copy

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Unit
from tenants.configuration import config_adopt, config_publish, config_revert, config_update
from tenants.models import Domain, Tenant, TenantConfigVersion

pytestmark = pytest.mark.django_db


def _admin(tenant: Tenant) -> User:
    with schema_context(tenant.schema_name):
        return User.objects.get(username=f"admin.{tenant.schema_name}")


def _signed_in(client_for, tenant: Tenant, username: str | None = None) -> Client:
    client = client_for(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=username or f"admin.{tenant.schema_name}"))
    return client


def test_update_saves_a_new_version_and_follows_zone_and_language(kendari):
    # given
    data = copy.deepcopy(kendari.config)
    data["calendar"]["start"] = "07:00"
    data["language"] = "en"
    # when
    version = config_update(tenant=kendari, data=data, actor=_admin(kendari), reason="Perwali jam kerja")
    # then
    kendari.refresh_from_db()
    assert (version.version, version.actor, version.reason) == (2, "Admin Kota Kendari", "Perwali jam kerja")
    assert (kendari.config["calendar"]["start"], kendari.language) == ("07:00", "en")
    event = AuditEvent.objects.filter(action="config.update").latest("id")
    assert event.after == {"version": 2, "changed": ["calendar", "language"]}


def test_invalid_configuration_names_every_field_and_changes_nothing(kendari):
    data = copy.deepcopy(kendari.config)
    data["branding"]["primary_color"] = "biru"
    data["calendar"]["start"] = "25:00"
    data["calendar"]["ramadan"] = {
        "start_date": "2027-02-20",
        "end_date": "2027-02-01",
        "start": "08:00",
        "end": "15:00",
    }
    data["letter_numbering"]["format"] = "{nomor}/{rahasia}"
    data["modules"] = ["kepegawaian", "catur"]
    data["timezone"] = "Asia/Tokyo"
    with pytest.raises(ApplicationError) as error:
        config_update(tenant=kendari, data=data, actor=None)
    assert set(error.value.fields) == {
        "branding.primary_color",
        "calendar.start",
        "calendar.ramadan.end_date",
        "letter_numbering.format",
        "modules",
        "timezone",
    }
    assert "{rahasia}" in error.value.fields["letter_numbering.format"][0]
    kendari.refresh_from_db()
    assert kendari.config["branding"]["primary_color"] == "#0f5c8c"
    assert TenantConfigVersion.objects.filter(tenant=kendari).count() == 1


def test_kepegawaian_stays_on_when_every_module_is_switched_off(kendari):
    data = copy.deepcopy(kendari.config)
    data["modules"] = []
    config_update(tenant=kendari, data=data, actor=None)
    assert kendari.config["modules"] == ["kepegawaian"]


def test_revert_restores_an_earlier_version_as_a_new_one(kendari):
    original = copy.deepcopy(kendari.config)
    data = copy.deepcopy(original)
    data["display_name"] = "e-Office Kendari Baru"
    config_update(tenant=kendari, data=data, actor=None)
    reverted = config_revert(tenant=kendari, version=1, actor=_admin(kendari))
    assert reverted.version == 3
    assert reverted.reason == "Dikembalikan ke versi 1"
    assert kendari.config == original
    with pytest.raises(ApplicationError) as error:
        config_revert(tenant=kendari, version=99, actor=None)
    assert error.value.status == 404


def test_custom_domains_follow_the_configuration_and_route(kendari, sumedang):
    data = copy.deepcopy(kendari.config)
    data["custom_domains"] = ["eoffice.kendarikota.go.id"]
    config_update(tenant=kendari, data=data, actor=None)
    assert Domain.objects.get(domain="eoffice.kendarikota.go.id").tenant == kendari
    response = Client(HTTP_HOST="eoffice.kendarikota.go.id").get("/health/")
    assert response.json()["tenant"]["schema"] == "kendari"
    # the same domain cannot go to Sumedang too
    other = copy.deepcopy(sumedang.config)
    other["custom_domains"] = ["eoffice.kendarikota.go.id"]
    with pytest.raises(ApplicationError) as error:
        config_update(tenant=sumedang, data=other, actor=None)
    assert "sudah dipakai" in error.value.fields["custom_domains"][0]
    assert TenantConfigVersion.objects.filter(tenant=sumedang).count() == 1
    # removing it from the configuration removes the host
    data["custom_domains"] = []
    config_update(tenant=kendari, data=data, actor=None)
    assert not Domain.objects.filter(domain="eoffice.kendarikota.go.id").exists()


def test_kendari_adopts_sumedangs_published_configuration_but_keeps_identity_and_data(kendari, sumedang):
    # given Sumedang's own working calendar, published
    data = copy.deepcopy(sumedang.config)
    data["calendar"]["start"] = "07:15"
    data["letter_numbering"]["format"] = "{nomor}/SMD/{tahun}"
    config_update(tenant=sumedang, data=data, actor=None)
    template = config_publish(tenant=sumedang, actor=None, nama="Standar Sumedang")
    with schema_context("kendari"):
        units_before = Unit.objects.count()
    # when Kendari adopts it
    version = config_adopt(tenant=kendari, template_id=template.pk, actor=_admin(kendari))
    # then it has Sumedang's settings with its own name, zone and colours, and none of its data
    assert version.reason == "Mengadopsi konfigurasi Kabupaten Sumedang"
    assert kendari.config["calendar"]["start"] == "07:15"
    assert kendari.config["letter_numbering"]["format"] == "{nomor}/SMD/{tahun}"
    assert (kendari.config["display_name"], kendari.config["timezone"]) == ("Kota Kendari", "Asia/Makassar")
    with schema_context("kendari"):
        assert Unit.objects.count() == units_before
    with pytest.raises(ApplicationError):
        config_adopt(tenant=sumedang, template_id=template.pk, actor=None)


def test_settings_page_saves_through_htmx_and_shows_field_errors(client_for, kendari):
    client = _signed_in(client_for, kendari)
    page = client.get("/pengaturan/")
    assert page.status_code == 200
    assert "Riwayat konfigurasi" in page.content.decode()
    form = {
        "display_name": "e-Office Kota Kendari",
        "logo_url": "",
        "primary_color": "#123456",
        "secondary_color": "#abcdef",
        "timezone": "Asia/Makassar",
        "language": "id",
        "work_days": ["1", "2", "3", "4", "5"],
        "start": "07:30",
        "end": "16:00",
        "friday_end": "16:30",
        "ramadan_start_date": "",
        "ramadan_end_date": "",
        "ramadan_start": "08:00",
        "ramadan_end": "15:00",
        "modules": ["kepegawaian"],
        "letter_format": "{nomor}/{tahun}",
        "notify_email": "on",
        "digest_hour": "7",
        "custom_domains": "",
        "reason": "Warna baru",
    }
    saved = client.post("/pengaturan/", form, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "tersimpan sebagai versi baru" in saved.content.decode()
    kendari.refresh_from_db()
    assert kendari.config["branding"]["primary_color"] == "#123456"
    bad = client.post(
        "/pengaturan/", {**form, "end": "06:00", "letter_format": "surat"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400
    assert "Jam pulang harus setelah jam masuk." in bad.content.decode()
    assert "Format harus memuat {nomor} dan {tahun}." in bad.content.decode()


def test_settings_pages_and_api_refuse_employees_and_anonymous(client_for, kendari):
    employee = _signed_in(client_for, kendari, username="199001152019032002")
    assert employee.get("/pengaturan/").status_code == 403
    assert employee.get("/api/v1/pengaturan/").status_code == 403
    anonymous = client_for(kendari)
    assert anonymous.get("/pengaturan/").status_code == 302
    assert anonymous.get("/api/v1/pengaturan/").status_code == 403


def test_sumedang_admin_session_is_worthless_on_kendari(client_for, sumedang, kendari):
    # given Sumedang's admin signed in on Sumedang's host
    sumedang_client = _signed_in(client_for, sumedang)
    assert sumedang_client.get("/api/v1/pengaturan/").json()["config"]["display_name"] == "Kabupaten Sumedang"
    # when the same session cookie is sent to Kendari's host
    stolen = client_for(kendari)
    stolen.cookies = sumedang_client.cookies
    # then Kendari neither shows nor changes its configuration
    assert stolen.get("/api/v1/pengaturan/").status_code == 403
    assert stolen.get("/pengaturan/").status_code == 302
    before = copy.deepcopy(kendari.config)
    response = stolen.put(
        "/api/v1/pengaturan/",
        {"config": {**before, "display_name": "Diretas"}},
        content_type="application/json",
    )
    assert response.status_code == 403
    kendari.refresh_from_db()
    assert kendari.config == before


def test_api_reads_updates_lists_and_reverts(client_for, kendari):
    client = _signed_in(client_for, kendari)
    current = client.get("/api/v1/pengaturan/").json()
    assert current["version"] == 1
    changed = {**current["config"], "display_name": "Kendari Kota Lulo"}
    response = client.put(
        "/api/v1/pengaturan/", {"config": changed, "reason": "API"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)
    bad = client.put(
        "/api/v1/pengaturan/", {"config": {**changed, "language": "jv"}}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"language": ["Bahasa harus “id” atau “en”."]}
    history = client.get("/api/v1/pengaturan/versi/").json()
    assert [row["version"] for row in history] == [2, 1]
    reverted = client.post("/api/v1/pengaturan/versi/1/kembalikan/")
    assert reverted.json()["config"]["display_name"] == "Kota Kendari"
