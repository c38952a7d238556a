import io

import pytest
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import ImportBerkas, Pegawai, PerubahanProfil, Unit, UnitRiwayat
from modules.kepegawaian.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _client(client_for, tenant, username):
    client = client_for(tenant)
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.get(username=username))
    return client


def test_employee_profile_page_shows_own_data_and_history(sumedang, client_for):
    client = _client(client_for, sumedang, "198609262015051001")
    page = client.get("/kepegawaian/profil/").content.decode()
    assert "19860926 201505 1 001" in page
    assert "Pranata Komputer Ahli Pertama" in page
    assert "Euis Komariah, S.Kom." in page  # the atasan: head of the bidang
    assert "Riwayat pangkat" in page


def test_change_request_form_shows_field_errors_then_submits(sumedang, client_for):
    client = _client(client_for, sumedang, "198609262015051001")
    bad = client.post("/kepegawaian/profil/ajukan/", {"nik": "123", "alasan": ""}, **HX)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "NIK harus 16 digit angka." in text and "Alasan perubahan wajib diisi." in text
    ok = client.post("/kepegawaian/profil/ajukan/", {"telepon": "0812111", "alasan": "Ganti nomor"}, **HX)
    assert ok.status_code == 204 and ok["HX-Redirect"].endswith("/kepegawaian/profil/")
    with schema_context(sumedang.schema_name):
        assert PerubahanProfil.objects.get(pegawai__nip="198609262015051001").data == {"telepon": "0812111"}


def test_admin_pages_refuse_employee(sumedang, client_for):
    client = _client(client_for, sumedang, "198609262015051001")
    assert client.get("/kepegawaian/impor/").status_code == 403
    assert client.get("/kepegawaian/perubahan/").status_code == 403
    assert client.get("/kepegawaian/ekspor/pegawai.xlsx").status_code == 403


def test_import_page_preview_lists_problems_by_row_and_column_then_applies(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        UnitFactory(nama="Unit Impor Halaman", kode="UIH")
    client = _client(client_for, sumedang, "admin.sumedang")
    assert client.get("/kepegawaian/impor/").status_code == 200
    upload = io.BytesIO(
        b"nip,jenis_pegawai,nama,golongan,unit\n"
        b"198805122010012003,pns,Rina,III/a,UIH\n"
        b"198805122010131004,pns,Budi,III/a,UIH\n"
    )
    upload.name = "pegawai.csv"
    preview = client.post("/kepegawaian/impor/pratinjau/", {"jenis": "pegawai", "berkas": upload}, **HX)
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "1 baris valid" in text and "1 baris bermasalah" in text
    assert "<td>3</td><td><code>nip</code></td><td>Bulan TMT CPNS pada NIP harus 01–12.</td>" in text
    with schema_context(sumedang.schema_name):
        upload_row = ImportBerkas.objects.get()
        assert not Pegawai.objects.filter(nip="198805122010012003").exists()
    applied = client.post(f"/kepegawaian/impor/{upload_row.pk}/terapkan/", **HX)
    assert "1 baris diterapkan." in applied.content.decode()
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.filter(nip="198805122010012003").exists()
        assert ImportBerkas.objects.get().status == ImportBerkas.Status.SELESAI
    # applying twice does nothing more
    again = client.post(f"/kepegawaian/impor/{upload_row.pk}/terapkan/", **HX)
    assert "1 baris diterapkan." in again.content.decode()


def test_unit_tree_page_creates_and_renames_with_history(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        parent = UnitFactory(nama="Induk Halaman Uji")
    client = _client(client_for, sumedang, "admin.sumedang")
    response = client.post(
        "/kepegawaian/unit/",
        {"action": "create", "parent": parent.pk, "nama": "Bidang Halaman", "jenis": "bidang"},
    )
    assert response.status_code == 302
    with schema_context(sumedang.schema_name):
        bidang = Unit.objects.get(parent=parent, nama="Bidang Halaman")
    response = client.post("/kepegawaian/unit/", {"action": "rename", "unit": bidang.pk, "nama": ""})
    assert response.status_code == 400 and "Nama baru wajib diisi." in response.content.decode()
    client.post(
        "/kepegawaian/unit/",
        {"action": "rename", "unit": bidang.pk, "nama": "Bidang Baru", "dasar": "Perbup 1"},
    )
    with schema_context(sumedang.schema_name):
        assert UnitRiwayat.objects.get(unit=bidang, jenis="ganti_nama").nama_lama == "Bidang Halaman"
    assert "Bidang Baru" in client.get("/kepegawaian/unit/").content.decode()
    # moving a unit under its own child is refused with the reason
    with schema_context(sumedang.schema_name):
        seksi = UnitFactory(nama="Seksi Halaman", parent=bidang)
    refused = client.post("/kepegawaian/unit/", {"action": "move", "unit": bidang.pk, "parent": seksi.pk})
    assert refused.status_code == 400
    assert (
        "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau unit bawahannya."
        in refused.content.decode()
    )


def test_menu_shows_admin_entries_only_to_admins(sumedang, client_for):
    admin_page = _client(client_for, sumedang, "admin.sumedang").get("/").content.decode()
    employee_page = _client(client_for, sumedang, "198609262015051001").get("/").content.decode()
    assert "/kepegawaian/impor/" in admin_page and "/kepegawaian/impor/" not in employee_page
    assert "/kepegawaian/profil/" in employee_page


def test_register_employee_page_shows_nip_error_next_to_field_then_saves(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        unit = UnitFactory(nama="Unit Form Uji")
    client = _client(client_for, sumedang, "admin.sumedang")
    data = {"nip": "19861326 201505 1 001", "jenis_pegawai": "pns", "nama": "Cecep", "golongan": "III/a",
            "mkg_tahun": 0, "mkg_bulan": 0, "unit": unit.pk}  # fmt: skip
    bad = client.post("/kepegawaian/pegawai/baru/", data)
    assert bad.status_code == 400
    assert "Tanggal lahir pada NIP tidak valid." in bad.content.decode()
    data["nip"] = "19860326 201505 1 007"
    good = client.post("/kepegawaian/pegawai/baru/", data)
    assert good.status_code == 302
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.get(nip="198603262015051007").unit == unit


def test_mutasi_page_release_and_receive(sumedang, kendari, client_for):
    sumedang_admin = _client(client_for, sumedang, "admin.sumedang")
    response = sumedang_admin.post(
        "/kepegawaian/mutasi/",
        {"action": "lepas", "lepas-nip": "19920708 202012 2 004", "lepas-tujuan": kendari.pk,
         "lepas-sk_nomor": "800/1/2026", "lepas-sk_tanggal": "2026-06-01", "lepas-tmt": "2026-07-01"},
    )  # fmt: skip
    assert response.status_code == 302
    with schema_context(kendari.schema_name):
        unit = Unit.objects.get(nama="Bidang Aplikasi Informatika")
    kendari_admin = _client(client_for, kendari, "admin.kendari")
    wrong = kendari_admin.post(
        "/kepegawaian/mutasi/",
        {"action": "terima", "terima-nip": "198609262015051001", "terima-unit": unit.pk,
         "terima-sk_nomor": "821/5/2026", "terima-sk_tanggal": "2026-06-15", "terima-tmt": "2026-07-01"},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert "NIP ini belum dilepas ke daerah Anda oleh daerah asalnya." in wrong.content.decode()
    received = kendari_admin.post(
        "/kepegawaian/mutasi/",
        {"action": "terima", "terima-nip": "199207082020122004", "terima-unit": unit.pk,
         "terima-sk_nomor": "821/5/2026", "terima-sk_tanggal": "2026-06-15", "terima-tmt": "2026-07-01"},
    )  # fmt: skip
    assert received.status_code == 302
    with schema_context(kendari.schema_name):
        assert Pegawai.objects.get(nip="199207082020122004").nama == "Siti Nurhaliza"
    with schema_context(sumedang.schema_name):
        assert Pegawai.objects.get(nip="199207082020122004").status == "mutasi_keluar"


def test_peran_page_gives_admin_opd_a_scope(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        user = User.objects.get(username="198609262015051001")
        opd = Unit.objects.get(nama="Dinas Komunikasi dan Informatika")
    client = _client(client_for, sumedang, "admin.sumedang")
    missing = client.post("/kepegawaian/peran/", {"user": user.pk, "peran": "admin_opd"})
    assert missing.status_code == 400 and "Pilih OPD yang dikelola admin ini." in missing.content.decode()
    ok = client.post("/kepegawaian/peran/", {"user": user.pk, "peran": "admin_opd", "unit": opd.pk})
    assert ok.status_code == 302
    with schema_context(sumedang.schema_name):
        user.refresh_from_db()
        assert user.peran == "admin_opd" and user.akses_unit.unit == opd
    # and the new admin OPD cannot assign roles themselves
    assert _client(client_for, sumedang, "198609262015051001").get("/kepegawaian/peran/").status_code == 403


def test_edit_page_and_riwayat_page_for_admin(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        pegawai = Pegawai.objects.select_related("unit").get(nip="199207082020122004")
        bidang = pegawai.unit
        from modules.kepegawaian.models import Jabatan

        kabid = Jabatan.objects.get(unit=bidang, is_kepala_unit=True)
    client = _client(client_for, sumedang, "admin.sumedang")
    form = client.get(f"/kepegawaian/pegawai/{pegawai.pk}/ubah/")
    assert form.status_code == 200 and 'value="Siti Nurhaliza"' in form.content.decode()
    data = {"jenis_pegawai": "pns", "nama": "Siti Nurhaliza", "gelar_belakang": "S.Kom.", "tanggal_lahir": "1992-07-08",
            "jenis_kelamin": "L", "golongan": "II/c", "mkg_tahun": 3, "mkg_bulan": 0, "unit": bidang.pk,
            "jabatan": pegawai.jabatan_id, "status": "aktif"}  # fmt: skip
    bad = client.post(f"/kepegawaian/pegawai/{pegawai.pk}/ubah/", data)
    assert bad.status_code == 400
    assert "Jenis kelamin tidak sesuai dengan digit jenis kelamin pada NIP." in bad.content.decode()
    data["jenis_kelamin"] = "P"
    assert client.post(f"/kepegawaian/pegawai/{pegawai.pk}/ubah/", data).status_code == 302
    riwayat = client.post(
        f"/kepegawaian/pegawai/{pegawai.pk}/riwayat/",
        {"action": "jabatan", "jabatan-jabatan": kabid.pk, "jabatan-tmt": "2026-01-02",
         "jabatan-sk_nomor": "821/9/2026", "jabatan-sk_tanggal": "2025-12-20"},
    )  # fmt: skip
    assert riwayat.status_code == 302
    with schema_context(sumedang.schema_name):
        pegawai.refresh_from_db()
        assert (pegawai.gelar_belakang, pegawai.jabatan_id) == ("S.Kom.", kabid.pk)
    # an employee cannot open either page
    employee = _client(client_for, sumedang, "198609262015051001")
    assert employee.get(f"/kepegawaian/pegawai/{pegawai.pk}/ubah/").status_code == 403
    assert employee.get(f"/kepegawaian/pegawai/{pegawai.pk}/riwayat/").status_code == 403


def test_employee_list_pages_keep_the_filters(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        unit = UnitFactory(nama="Unit Halaman Banyak")
        from modules.kepegawaian.tests.factories import PegawaiFactory

        for i in range(55):
            PegawaiFactory(unit=unit, nama=f"Halaman Uji {i:02d}", golongan="II/a")
    client = _client(client_for, sumedang, "admin.sumedang")
    first = client.get("/kepegawaian/", {"q": "Halaman Uji", "golongan": "II/a"}).content.decode()
    assert "55 pegawai" in first
    assert 'href="?q=Halaman+Uji&amp;golongan=II%2Fa&amp;page=2"' in first
    second = client.get("/kepegawaian/", {"q": "Halaman Uji", "golongan": "II/a", "page": 2}).content.decode()
    assert "Halaman Uji 54" in second and "Halaman Uji 00" not in second


def test_exports_have_the_import_shape(sumedang, client_for):
    client = _client(client_for, sumedang, "admin.sumedang")
    units = client.get("/kepegawaian/ekspor/unit.csv")
    assert units.status_code == 200 and units["Content-Type"] == "text/csv"
    lines = units.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kode,nama,singkatan,jenis,induk"
    assert ",Bidang Aplikasi Informatika,Aptika,bidang,Dinas Komunikasi dan Informatika" in lines
    pegawai = client.get("/kepegawaian/ekspor/pegawai.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(pegawai.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["nip", "jenis_pegawai", "nik"]
    assert any(row[0] == "198609262015051001" and row[4] == "Asep Hidayat" for row in rows[1:])


def test_big_import_is_handed_to_the_background_task(
    sumedang, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from modules.kepegawaian import views

    monkeypatch.setattr(views, "ASYNC_ROWS", 0)
    with schema_context(sumedang.schema_name):
        UnitFactory(nama="Unit Tugas Halaman", kode="UTH")
    client = _client(client_for, sumedang, "admin.sumedang")
    upload = io.BytesIO(b"nip,jenis_pegawai,nama,golongan,unit\n198805122010012003,pns,Rina,III/a,UTH\n")
    upload.name = "besar.csv"
    client.post("/kepegawaian/impor/pratinjau/", {"jenis": "pegawai", "berkas": upload}, **HX)
    with schema_context(sumedang.schema_name):
        pk = ImportBerkas.objects.get(nama_berkas="besar.csv").pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/kepegawaian/impor/{pk}/terapkan/", **HX)
    assert "Berkas besar sedang diproses di latar belakang." in response.content.decode()
    assert len(callbacks) == 1
    with schema_context(sumedang.schema_name):
        assert ImportBerkas.objects.get(pk=pk).status == ImportBerkas.Status.DIPROSES
        assert not Pegawai.objects.filter(nip="198805122010012003").exists()
