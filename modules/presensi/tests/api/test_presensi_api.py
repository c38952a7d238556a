"""The REST API the PWA uses, the pages, and isolation between regencies."""

import datetime
import io
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from eoffice.accounts.models import User
from modules.presensi.apis import PresensiOutput
from modules.presensi.models import Presensi, StatusHarian
from modules.presensi.tests.conftest import KANTOR_LAT, KANTOR_LON, jpeg_bytes, kantor_setup

MONDAY_0712_WIB = datetime.datetime(2026, 12, 7, 0, 12, tzinfo=datetime.UTC)


def _client(client_for, tenant, user):
    client = client_for(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(user)
    return client


def _payload(client_uuid=None, **overrides):
    data = {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "jenis": "masuk",
        "latitude": str(KANTOR_LAT),
        "longitude": str(KANTOR_LON),
        "akurasi_m": "12.5",
        "waktu_perangkat": MONDAY_0712_WIB.isoformat(),
        "dikirim_perangkat": MONDAY_0712_WIB.isoformat(),
        "swafoto": io.BytesIO(jpeg_bytes()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def frozen_monday():
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_0712_WIB):
        yield


def test_checkin_then_offline_replay_of_same_uuid_answers_200_and_stores_once(
    sumedang, client_for, frozen_monday
):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    client = _client(client_for, sumedang, kantor.user)
    client_uuid = uuid.uuid4()
    # when the phone sends, loses the answer, and replays the same check-in
    first = client.post("/api/v1/presensi/checkin/", _payload(client_uuid))
    second = client.post("/api/v1/presensi/checkin/", _payload(client_uuid))
    # then
    assert first.status_code == 201
    assert second.status_code == 200
    assert (first.json()["id"], first.json()["replay"], second.json()["replay"]) == (
        second.json()["id"],
        False,
        True,
    )
    assert first.json()["status"] == "diterima"
    with schema_context(sumedang.schema_name):
        assert Presensi.objects.filter(client_uuid=client_uuid).count() == 1


def test_checkin_refused_outside_geofence_has_the_error_body(sumedang, client_for, frozen_monday):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    client = _client(client_for, sumedang, kantor.user)
    response = client.post("/api/v1/presensi/checkin/", _payload(latitude="-6.870000"))
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "di_luar_geofence"
    assert body["message"].startswith("Anda berada 1268 m dari Kantor Diskominfo")
    with schema_context(sumedang.schema_name):
        assert Presensi.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"client_uuid": "bukan-uuid"}, "client_uuid"),
        ({"latitude": "95"}, "latitude"),
        ({"jenis": "istirahat"}, "jenis"),
        ({"waktu_perangkat": "kemarin"}, "waktu_perangkat"),
    ],
)
def test_checkin_bad_input_is_400_naming_the_field(sumedang, client_for, frozen_monday, override, field):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    response = _client(client_for, sumedang, kantor.user).post(
        "/api/v1/presensi/checkin/", _payload(**override)
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_checkin_serializers_built_once_still_answer_in_each_requests_zone_and_language(
    sumedang, kendari, client_for, frozen_monday
):
    # The check-in validates and answers with one serializer instance per process (its fields
    # built once): nothing of one request may stay on it for the next.
    clients = {}
    for tenant in (sumedang, kendari):
        with schema_context(tenant.schema_name):
            kantor = kantor_setup(tenant)
        clients[tenant.schema_name] = client = _client(client_for, tenant, kantor.user)
        stored = client.post("/api/v1/presensi/checkin/", _payload())
        assert stored.status_code == 201
        with schema_context(tenant.schema_name), timezone.override(tenant.timezone):
            row = Presensi.objects.select_related("lokasi").get(pk=stored.json()["id"])
            assert stored.json() == {**PresensiOutput(row).data, "replay": False}
        assert stored.json()["waktu"].endswith("+07:00" if tenant is sumedang else "+08:00")

    def refused(tenant, language):
        client = clients[tenant.schema_name]
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post("/api/v1/presensi/checkin/", _payload(latitude="95", jenis="istirahat"))
        assert response.status_code == 400
        fields = response.json()["error"]["fields"]
        assert sorted(fields) == ["jenis", "latitude"]
        return fields["jenis"]

    assert refused(kendari, "en") == ['"istirahat" is not a valid choice.']
    assert refused(sumedang, "id") == ['"istirahat" tidak ada dalam daftar pilihan.']


def test_user_without_pegawai_gets_403(sumedang, client_for, frozen_monday):
    with schema_context(sumedang.schema_name):
        kantor_setup(sumedang)
        admin = User.objects.get(username="admin.sumedang")
    response = _client(client_for, sumedang, admin).get("/api/v1/presensi/hari-ini/")
    assert response.status_code == 403


def test_hari_ini_gives_schedule_and_locations(sumedang, client_for, frozen_monday):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    body = _client(client_for, sumedang, kantor.user).get("/api/v1/presensi/hari-ini/").json()
    assert (body["tanggal"], body["zona"], body["jadwal"]["masuk"], body["jadwal"]["pulang"]) == (
        "2026-12-07",
        "Asia/Jakarta",
        "07:30",
        "16:00",
    )
    assert body["lokasi"] == [
        {"nama": "Kantor Diskominfo", "latitude": -6.8586, "longitude": 107.9196, "radius_m": 100}
    ]


def test_selfie_is_served_to_its_owner_but_not_to_another_employee_nor_another_regency(
    sumedang, kendari, client_for, frozen_monday
):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        other = User.objects.create_user(
            username="199001012020011001", email="o@x.id", nama="Lain", password="x" * 12
        )
    owner = _client(client_for, sumedang, kantor.user)
    pk = owner.post("/api/v1/presensi/checkin/", _payload()).json()["id"]
    assert owner.get(f"/presensi/swafoto/{pk}/").status_code == 200
    assert _client(client_for, sumedang, other).get(f"/presensi/swafoto/{pk}/").status_code == 404
    with schema_context(kendari.schema_name):
        kendari_user = User.objects.get(username="admin.kendari")
        User.objects.filter(pk=kendari_user.pk).update(peran=User.Peran.PEGAWAI)
    assert _client(client_for, kendari, kendari_user).get(f"/presensi/swafoto/{pk}/").status_code == 404


def test_riwayat_and_koreksi_flow_over_the_api(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        StatusHarian.objects.create(pegawai=kantor.pegawai, tanggal=datetime.date(2026, 11, 30), status="tk")
    employee = _client(client_for, sumedang, kantor.user)
    riwayat = employee.get("/api/v1/presensi/riwayat/?bulan=2026-11").json()
    assert [(d["tanggal"], d["status"]) for d in riwayat["hari"]] == [("2026-11-30", "tk")]
    assert employee.get("/api/v1/presensi/riwayat/?bulan=11-2026").status_code == 400
    created = employee.post(
        "/api/v1/presensi/koreksi/",
        {"tanggal": "2026-11-30", "jenis": "sakit", "alasan": "Demam", "nomor_dokumen": "SKD/12"},
    )
    assert created.status_code == 201
    # another employee cannot decide it: 404, nothing changes
    assert (
        employee.post(
            f"/api/v1/presensi/koreksi/{created.json()['id']}/putus/",
            {"setuju": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    boss = _client(client_for, sumedang, kantor.kepala_user)
    decided = boss.post(
        f"/api/v1/presensi/koreksi/{created.json()['id']}/putus/",
        {"setuju": True},
        content_type="application/json",
    )
    assert decided.json()["status"] == "disetujui"
    riwayat = employee.get("/api/v1/presensi/riwayat/?bulan=2026-11").json()
    assert [(d["status"], d["dokumen"]) for d in riwayat["hari"]] == [("sakit", "SKD/12")]


def test_pwa_page_manifest_and_service_worker(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    client = _client(client_for, sumedang, kantor.user)
    page = client.get("/presensi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "presensi.js" in html and "eoffice.js" not in html and "htmx" not in html
    manifest = client.get("/presensi/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["scope"] == "/presensi/"
    sw = client.get("/presensi/sw.js")
    assert (sw.status_code, sw["Service-Worker-Allowed"]) == (200, "/presensi/")


def test_admin_pages_and_recap_exports(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = False
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        StatusHarian.objects.create(
            pegawai=kantor.pegawai, tanggal=datetime.date(2026, 11, 30), status="hadir", tl=2
        )
        admin = User.objects.get(username="admin.sumedang")
    client = _client(client_for, sumedang, admin)
    for url in [
        "/presensi/lokasi/",
        "/presensi/jadwal/",
        "/presensi/harian/?tanggal=2026-11-30",
        "/presensi/rekap/?bulan=2026-11",
    ]:
        assert client.get(url).status_code == 200, url
    bad = client.post(
        "/presensi/lokasi/", {"nama": "Pos", "latitude": "-6.85", "longitude": "200", "radius_m": "5"}
    )
    assert bad.status_code == 400
    assert "radius_m" in bad.context["form"].errors and "longitude" in bad.context["form"].errors
    xlsx = client.get("/presensi/rekap/?bulan=2026-11&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == kantor.pegawai.nip)
    assert (row[3], row[14]) == (1, 1)  # one hadir, one TL2
    pdf = client.get("/presensi/rekap/?bulan=2026-11&format=pdf")
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    # one employee's month, day by day
    one = client.get(f"/presensi/rekap/?bulan=2026-11&pegawai={kantor.pegawai.pk}")
    assert [(d.tanggal, d.status, d.tl) for d in one.context["days"]] == [
        (datetime.date(2026, 11, 30), "hadir", 2)
    ]
    assert client.get("/presensi/rekap/?bulan=2026-11&pegawai=999999").status_code == 404


def test_employee_cannot_open_admin_pages(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
    client = _client(client_for, sumedang, kantor.user)
    assert client.get("/presensi/lokasi/").status_code == 403
    assert client.get("/presensi/rekap/").status_code == 403
    assert client.get("/presensi/riwayat/").status_code == 200
    assert client.get("/presensi/koreksi/").status_code == 200
    assert timezone.is_aware(timezone.now())


def test_admin_pages_answer_4xx_not_500_on_garbage_ids(sumedang, client_for, settings):
    settings.MFA_ENFORCE_FOR_ADMINS = False
    with schema_context(sumedang.schema_name):
        kantor_setup(sumedang)
        admin = User.objects.get(username="admin.sumedang")
    client = _client(client_for, sumedang, admin)
    assert client.get("/presensi/rekap/?unit=abc").status_code == 404
    assert client.get("/presensi/rekap/?bulan=kemarin").status_code == 200
    assert client.get("/presensi/harian/?tanggal=bukan-tanggal").status_code == 200
    assert client.post("/presensi/harian/", {"aksi": "terima", "presensi": "x"}).status_code == 404
