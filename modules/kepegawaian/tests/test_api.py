import io

import pytest
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import AksesUnit, Pegawai, Unit
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/kepegawaian"


def _client(client_for, tenant, user):
    client = client_for(tenant)
    with schema_context(tenant.schema_name):  # the session lives in the tenant's schema
        client.force_login(user)
    return client


def test_admin_creates_employee_and_gets_field_errors_in_indonesian(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        jabatan = JabatanFactory()
    client = _client(client_for, sumedang, admin)
    # when the NIP has an impossible birth date
    bad = client.post(
        f"{API}/pegawai/",
        {
            "nip": "198613262015051001",
            "jenis_pegawai": "pns",
            "nama": "X",
            "golongan": "III/a",
            "unit_id": jabatan.unit_id,
        },
        content_type="application/json",
    )
    # then a 400 names the field and the problem
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"nip": ["Tanggal lahir pada NIP tidak valid."]}
    # when it is right
    good = client.post(
        f"{API}/pegawai/",
        {"nip": "198805122010012003", "jenis_pegawai": "pns", "nama": "Rina", "golongan": "III/a",
         "unit_id": jabatan.unit_id, "jabatan_id": jabatan.pk, "nik": "3211015205880001"},
        content_type="application/json",
    )  # fmt: skip
    assert good.status_code == 201
    body = good.json()
    assert (body["nip_display"], body["jenis_kelamin"], body["nik"]) == (
        "19880512 201001 2 003", "P", "3211015205880001"
    )  # fmt: skip


def test_list_filters_search_and_paginates(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        unit = UnitFactory(nama="Dinas Uji API")
        for i in range(3):
            PegawaiFactory(unit=unit, nama=f"Cahya Uji {i}", golongan="II/b")
        PegawaiFactory(unit=unit, nama="Dewi Uji", golongan="III/a", jenis_pegawai="cpns")
    client = _client(client_for, sumedang, admin)
    page = client.get(f"{API}/pegawai/", {"unit": unit.pk, "page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    assert [p["nama"] for p in client.get(f"{API}/pegawai/", {"q": "cahya", "unit": unit.pk}).json()["results"]] == [
        "Cahya Uji 0", "Cahya Uji 1", "Cahya Uji 2",
    ]  # fmt: skip
    assert client.get(f"{API}/pegawai/", {"unit": unit.pk, "jenis_pegawai": "cpns"}).json()["count"] == 1
    assert client.get(f"{API}/pegawai/", {"unit": unit.pk, "golongan": "II/b"}).json()["count"] == 3
    assert client.get(f"{API}/pegawai/", {"unit": "x"}).status_code == 400


def test_pegawai_cannot_see_other_unit_and_nik_is_masked_for_colleagues(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        unit, other = UnitFactory(), UnitFactory()
        me = PegawaiFactory(unit=unit, user=UserFactory(), nik="3211012609860001")
        colleague = PegawaiFactory(unit=unit, nik="3211015205880001")
        stranger = PegawaiFactory(unit=other)
    client = _client(client_for, sumedang, me.user)
    assert client.get(f"{API}/pegawai/{stranger.pk}/").status_code == 404
    seen = client.get(f"{API}/pegawai/{colleague.pk}/").json()
    assert seen["nik"] == "************0001"
    assert seen["nip"] == "**************" + colleague.nip[-4:] and seen["nip_display"] == seen["nip"]
    assert client.get(f"{API}/profil/").json()["nip"] == me.nip
    assert client.get(f"{API}/profil/").json()["nik"] == "3211012609860001"
    ids = {p["id"] for p in client.get(f"{API}/pegawai/").json()["results"]}
    assert ids == {me.pk, colleague.pk}
    # and cannot change anything
    response = client.patch(f"{API}/pegawai/{me.pk}/", {"nama": "Diubah"}, content_type="application/json")
    assert response.status_code == 403
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.get(pk=me.pk).nama == me.nama


def test_admin_opd_patch_outside_subtree_is_403_and_changes_nothing(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        mine, other = UnitFactory(nama="OPD Saya"), UnitFactory(nama="OPD Lain")
        admin = UserFactory(peran="admin_opd")
        AksesUnit.objects.create(user=admin, unit=mine)
        outsider = PegawaiFactory(unit=other, nama="Orang Lain")
    client = _client(client_for, sumedang, admin)
    response = client.patch(f"{API}/units/{other.pk}/", {"nama": "Dibajak"}, content_type="application/json")
    assert response.status_code in (403, 404)
    response = client.post(f"{API}/units/", {"nama": "Sub", "jenis": "bidang", "parent_id": other.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert (
        response.json()["error"]["message"] == "Anda tidak berwenang mengubah data di luar unit kerja Anda."
    )
    with schema_context(sumedang.schema_name):
        assert Unit.objects.get(pk=other.pk).nama == "OPD Lain"
        assert not Unit.objects.filter(parent=other).exists()
        assert Pegawai.objects.get(pk=outsider.pk).nama == "Orang Lain"
    response = client.post(f"{API}/units/", {"nama": "Bidang Baru", "jenis": "bidang", "parent_id": mine.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201 and response.json()["depth"] == mine.depth + 1


def test_unit_move_and_rename_via_api(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        a, b = UnitFactory(nama="Unit A Uji"), UnitFactory(nama="Unit B Uji")
        child = UnitFactory(nama="Anak Uji", parent=a)
    client = _client(client_for, sumedang, admin)
    moved = client.post(f"{API}/units/{child.pk}/move/", {"parent_id": b.pk}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["path"] == f"{b.pk}.{child.pk}."
    loop = client.post(f"{API}/units/{b.pk}/move/", {"parent_id": child.pk}, content_type="application/json")
    assert loop.status_code == 400 and loop.json()["error"]["fields"] == {
        "parent": ["Pilih unit induk di luar cabang unit ini."]
    }


def test_change_request_flow_via_api(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        me = Pegawai.objects.select_related("user").get(nip="198609262015051001")
    employee = _client(client_for, sumedang, me.user)
    created = employee.post(f"{API}/perubahan-profil/", {"data": {"telepon": "0812999"}, "alasan": "Nomor baru"},
                            content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    rejected = employee.post(f"{API}/perubahan-profil/{created.json()['id']}/putuskan/", {"setuju": True},
                             content_type="application/json")  # fmt: skip
    assert rejected.status_code == 403
    admin_client = _client(client_for, sumedang, admin)
    done = admin_client.post(f"{API}/perubahan-profil/{created.json()['id']}/putuskan/", {"setuju": True},
                             content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "disetujui"
    assert employee.get(f"{API}/profil/").json()["telepon"] == "0812999"


def test_import_preview_and_apply_via_api(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        UnitFactory(nama="Unit Impor API", kode="UIA")
    client = _client(client_for, sumedang, admin)
    csv = b"nip,jenis_pegawai,nama,golongan,unit\n198805122010012003,pns,Rina,III/a,UIA\n198805122010011004,pns,,III/a,UIA\n"
    preview = client.post(f"{API}/import/pegawai/preview/", {"berkas": io.BytesIO(csv)}, format="multipart")
    assert preview.status_code == 400  # no file name: the upload must be a named file
    upload = io.BytesIO(csv)
    upload.name = "pegawai.csv"
    preview = client.post(f"{API}/import/pegawai/preview/", {"berkas": upload})
    assert preview.status_code == 200
    assert preview.json() == {
        "jumlah_baris": 2, "jumlah_valid": 1, "diterapkan": 0,
        "masalah": [{"baris": 3, "kolom": {"nama": ["Nama wajib diisi."]}}],
    }  # fmt: skip
    with schema_context(sumedang.schema_name):
        assert not Pegawai.objects.filter(nip="198805122010012003").exists()
    upload.seek(0)
    applied = client.post(f"{API}/import/pegawai/apply/", {"berkas": upload})
    assert applied.json()["diterapkan"] == 1
    template = client.get(f"{API}/template/pegawai.csv")
    assert template.status_code == 200 and template.content.decode("utf-8-sig").startswith(
        "nip,jenis_pegawai,nik,"
    )


def test_openapi_schema_lists_kepegawaian(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
    client = _client(client_for, sumedang, admin)
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/kepegawaian/pegawai/" in paths and "/api/v1/kepegawaian/mutasi/terima/" in paths


def test_employee_list_query_count_does_not_grow_with_rows(
    sumedang, client_for, django_assert_max_num_queries
):
    with schema_context(sumedang.schema_name):
        admin = UserFactory(peran="admin_opd")
        unit = UnitFactory(nama="Unit Hitung Kueri")
        AksesUnit.objects.create(user=admin, unit=unit)
        for _ in range(30):
            PegawaiFactory(unit=unit, nik="3211012609860001")
    client = _client(client_for, sumedang, admin)
    with django_assert_max_num_queries(15):
        body = client.get(f"{API}/pegawai/", {"page_size": 30}).json()
    assert len(body["results"]) == 30 and body["results"][0]["nik"] == "3211012609860001"
