"""Kepegawaian in the browser: the employee's own profile page, and the admin's import preview
that lists every row's problems by row and column before anything is written."""

from django_tenants.utils import schema_context

from tenants.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot


def _sign_in(page, url: str, login: str) -> None:
    page.goto(url + "/accounts/login/")
    page.wait_for_load_state("networkidle")  # the page's scripts are set up before typing
    page.get_by_label("NIP atau e-mail").fill(login)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(url + "/")


def test_employee_sees_own_profile_with_history(page, live_url):
    url = live_url("sumedang")
    _sign_in(page, url, "19860926 201505 1 001")
    page.get_by_role("link", name="Profil saya").first.click()
    page.wait_for_url(url + "/kepegawaian/profil/")

    assert page.locator("h1").inner_text() == "Profil saya"
    profile = page.locator("dl.profile")
    assert "19860926 201505 1 001" in profile.inner_text()
    assert "Pranata Komputer Ahli Pertama" in profile.inner_text()
    assert "Euis Komariah, S.Kom." in profile.inner_text()
    assert page.get_by_role("heading", name="Riwayat jabatan").is_visible()
    # the correction form opens in place (Alpine) and shows the field's current value
    assert not page.get_by_label("Telepon").is_visible()
    page.get_by_role("button", name="Ajukan perbaikan").click()
    page.get_by_label("Telepon").wait_for(state="visible")
    screenshot(page, "kepegawaian-profil")


def test_admin_import_preview_lists_problems_by_row_and_column(page, live_url, django_db_blocker):
    url = live_url("sumedang")
    _sign_in(page, url, "admin.sumedang")
    page.goto(url + "/kepegawaian/impor/")
    csv = (
        b"nip,jenis_pegawai,nama,golongan,unit\n"
        b"198805122010012003,pns,Rina Marlina,III/a,Bidang Aplikasi Informatika\n"
        b"198813122010011004,pns,Budi,III/a,Bidang Aplikasi Informatika\n"
        b"198805122010011005,pns,,V/z,Unit Tidak Ada\n"
    )
    page.get_by_label("Jenis data").select_option("pegawai")
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(
        files=[{"name": "pegawai.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Pratinjau").click()
    table = page.locator("#impor-masalah")
    table.wait_for()
    try:
        rows = [row.inner_text().split("\t") for row in table.locator("tbody tr").all()]
        assert ["3", "nip", "Tanggal lahir pada NIP tidak valid."] in rows
        assert ["4", "nama", "Nama wajib diisi."] in rows
        assert ["4", "unit", "Unit “Unit Tidak Ada” tidak ditemukan."] in rows
        assert "1 baris valid" in page.locator("#impor-pratinjau").inner_text()
        assert page.get_by_role("button", name="Terapkan 1 baris valid").is_visible()
        screenshot(page, "kepegawaian-impor-pratinjau")
        with django_db_blocker.unblock(), schema_context("sumedang"):
            from modules.kepegawaian.models import Pegawai

            assert not Pegawai.objects.filter(nip="198805122010012003").exists()
    finally:
        # The preview keeps the uploaded file for the apply step; this test commits, so it cleans up.
        with django_db_blocker.unblock(), schema_context("sumedang"):
            from modules.kepegawaian.models import ImportBerkas

            for upload in ImportBerkas.objects.filter(nama_berkas="pegawai.csv"):
                upload.berkas.delete(save=False)
                upload.delete()


def test_admin_searches_employees_as_they_type(page, live_url):
    url = live_url("kendari")
    _sign_in(page, url, "admin.kendari")
    page.goto(url + "/kepegawaian/")
    page.get_by_label("Cari nama atau NIP").fill("Nurha")
    page.wait_for_url("**/kepegawaian/?q=Nurha*")
    rows = page.locator("#pegawai-rows tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    assert "Wa Ode Nurhayati, S.E." in rows.first.inner_text()
    assert "19900115 201903 2 002" in rows.first.inner_text()
    screenshot(page, "kepegawaian-pegawai-cari")
