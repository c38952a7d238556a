"""The admin's edit pages for a schedule and an office location: field errors come back with a
4xx, name the field and keep what was typed; an admin OPD only reaches their own units' rows."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import UnitFactory
from modules.presensi.models import JadwalKerja, LokasiKantor
from modules.presensi.services import HariKerja, jadwal_create
from modules.presensi.tests.conftest import kantor_setup

pytestmark = pytest.mark.django_db
T = datetime.time


def _week() -> list[HariKerja]:
    return [HariKerja(h, T(8, 0), T(15, 30) if h == 4 else T(15, 0)) for h in range(5)]


def _admin(client_for, tenant, username: str = "admin.sumedang"):
    client = client_for(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=username))
    return client


def _jadwal_post(**overrides: str) -> dict[str, str]:
    data = {"nama": "Jadwal Diskominfo", "berlaku_mulai": "", "berlaku_sampai": "", "aktif": "on"}
    for h in range(5):
        data[f"masuk_{h}"] = "08:00"
        data[f"pulang_{h}"] = "15:30" if h == 4 else "15:00"
    data.update(overrides)
    return data


@pytest.fixture
def setup(sumedang):
    with schema_context(sumedang.schema_name):
        kantor = kantor_setup(sumedang)
        jadwal = jadwal_create(actor=None, nama="Jadwal Diskominfo", unit=kantor.unit, hari=_week())
    return kantor, jadwal


def test_schedule_list_links_to_the_edit_page_which_shows_the_current_hours(sumedang, client_for, setup):
    _, jadwal = setup
    client = _admin(client_for, sumedang)
    listing = client.get("/presensi/jadwal/").content.decode()
    assert f'href="/presensi/jadwal/{jadwal.pk}/ubah/"' in listing
    page = client.get(f"/presensi/jadwal/{jadwal.pk}/ubah/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="masuk_0" value="08:00"' in html
    assert 'name="pulang_4" value="15:30"' in html
    assert "Jam masuk Senin" in html and "Jam pulang Jumat" in html


def test_schedule_edit_saves_hours_and_turns_it_off(sumedang, client_for, setup):
    _, jadwal = setup
    client = _admin(client_for, sumedang)
    data = _jadwal_post(nama="Jadwal Diskominfo 2027", masuk_0="07:30", pulang_0="16:00")
    del data["aktif"]  # an unchecked box is not sent
    response = client.post(f"/presensi/jadwal/{jadwal.pk}/ubah/", data)
    assert response.status_code == 302 and response["Location"] == "/presensi/jadwal/"
    with schema_context(sumedang.schema_name):
        jadwal.refresh_from_db()
        monday = jadwal.hari.get(hari=0)
        assert (jadwal.nama, jadwal.aktif, monday.jam_masuk, monday.jam_pulang) == (
            "Jadwal Diskominfo 2027",
            False,
            T(7, 30),
            T(16, 0),
        )


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"pulang_2": "07:00"}, "pulang_2", "Jam pulang harus sesudah jam masuk."),
        ({"masuk_1": "jam delapan"}, "masuk_1", "Masukkan waktu yang valid."),
        (
            {"berlaku_mulai": "2027-02-01", "berlaku_sampai": "2027-01-01"},
            "berlaku_sampai",
            "Tanggal ini tidak boleh sebelum &#x27;berlaku mulai&#x27;.",
        ),
        ({"nama": ""}, "nama", "Bidang ini harus diisi."),
    ],
)
def test_schedule_edit_errors_name_the_field_and_keep_the_typed_values(
    sumedang, client_for, setup, overrides, field, error
):
    _, jadwal = setup
    client = _admin(client_for, sumedang)
    data = _jadwal_post(nama="Nama yang diketik", masuk_3="09:15")
    data.update(overrides)
    response = client.post(f"/presensi/jadwal/{jadwal.pk}/ubah/", data)
    assert response.status_code == 400
    html = response.content.decode()
    # the error sits in the field's own block
    block = html.split(f'name="{field}"')[1].split("</div>")[0]
    assert error in block, block
    # what was typed is still there
    assert 'name="masuk_3" value="09:15"' in html
    for name, value in overrides.items():
        assert f'name="{name}" value="{value}"' in html or name == "nama"
    with schema_context(sumedang.schema_name):
        jadwal.refresh_from_db()
        assert (jadwal.nama, jadwal.hari.get(hari=3).jam_masuk) == ("Jadwal Diskominfo", T(8, 0))


def test_admin_opd_cannot_open_another_units_schedule_or_location(sumedang, client_for, setup):
    kantor, jadwal = setup
    with schema_context(sumedang.schema_name):
        lain = UnitFactory(nama="Dinas Pendidikan")
        opd = User.objects.create_user(
            username="admin.opd.pendidikan", email="opd@uji.go.id", password="x", peran=User.Peran.ADMIN_OPD
        )
        AksesUnit.objects.create(user=opd, unit=lain)
        regency = JadwalKerja.objects.filter(unit__isnull=True).first()
    client = _admin(client_for, sumedang, "admin.opd.pendidikan")
    assert client.get(f"/presensi/jadwal/{jadwal.pk}/ubah/").status_code == 404
    assert client.get(f"/presensi/jadwal/{regency.pk}/ubah/").status_code == 404
    assert client.post(f"/presensi/jadwal/{jadwal.pk}/ubah/", _jadwal_post(nama="X")).status_code == 404
    assert client.post(f"/presensi/lokasi/{kantor.lokasi.pk}/ubah/", {"nama": "X"}).status_code == 404
    assert f"/presensi/jadwal/{jadwal.pk}/ubah/" not in client.get("/presensi/jadwal/").content.decode()
    with schema_context(sumedang.schema_name):
        jadwal.refresh_from_db()
        kantor.lokasi.refresh_from_db()
        assert (jadwal.nama, kantor.lokasi.nama) == ("Jadwal Diskominfo", "Kantor Diskominfo")


def test_employee_cannot_open_the_edit_pages(sumedang, client_for, setup):
    kantor, jadwal = setup
    client = _admin(client_for, sumedang, kantor.user.username)
    assert client.get(f"/presensi/jadwal/{jadwal.pk}/ubah/").status_code == 403
    assert client.get(f"/presensi/lokasi/{kantor.lokasi.pk}/ubah/").status_code == 403


def _lokasi_post(kantor, **overrides: str) -> dict[str, str]:
    data = {
        "nama": "Kantor Diskominfo",
        "unit": str(kantor.unit.pk),
        "latitude": "-6.858600",
        "longitude": "107.919600",
        "radius_m": "100",
        "alamat": "Jl. Prabu Geusan Ulun",
        "aktif": "on",
    }
    data.update(overrides)
    return data


def test_location_edit_turns_it_off_and_moves_the_fence(sumedang, client_for, setup):
    kantor, _ = setup
    client = _admin(client_for, sumedang)
    page = client.get(f"/presensi/lokasi/{kantor.lokasi.pk}/ubah/").content.decode()
    assert 'name="aktif"' in page and "checked" in page.split('name="aktif"')[1].split(">")[0]
    data = _lokasi_post(kantor, radius_m="60")
    del data["aktif"]
    response = client.post(f"/presensi/lokasi/{kantor.lokasi.pk}/ubah/", data)
    assert response.status_code == 302 and response["Location"] == "/presensi/lokasi/"
    with schema_context(sumedang.schema_name):
        stored = LokasiKantor.objects.get(pk=kantor.lokasi.pk)
        assert (stored.aktif, stored.radius_m, stored.alamat) == (False, 60, "Jl. Prabu Geusan Ulun")
        assert stored.latitude == Decimal("-6.858600")


def test_location_edit_error_names_the_field_and_keeps_the_values(sumedang, client_for, setup):
    kantor, _ = setup
    client = _admin(client_for, sumedang)
    data = _lokasi_post(kantor, nama="Kantor Baru Diketik", radius_m="5", latitude="-95")
    response = client.post(f"/presensi/lokasi/{kantor.lokasi.pk}/ubah/", data)
    assert response.status_code == 400
    html = response.content.decode()
    radius = html.split('name="radius_m"')[1].split("</div>")[0]
    assert "Radius paling kecil 10 m; untuk gedung biasanya 15–100 m." in radius
    lintang = html.split('name="latitude"')[1].split("</div>")[0]
    assert "Pastikan nilai ini lebih besar dari atau sama dengan -90." in lintang
    assert 'value="Kantor Baru Diketik"' in html and 'name="radius_m" value="5"' in html
    with schema_context(sumedang.schema_name):
        kantor.lokasi.refresh_from_db()
        assert (kantor.lokasi.nama, kantor.lokasi.radius_m) == ("Kantor Diskominfo", 100)
