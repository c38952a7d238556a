"""Presensi's admin and supervisor pages in the browser: office locations with their geofence,
a unit's working hours, the daily status, a correction decided by the superior, and the monthly
recap with its xlsx download."""

import datetime
import secrets
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import dateformat, translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from modules.presensi.models import KoreksiPresensi, LokasiKantor, Presensi, StatusHarian
from modules.presensi.selectors import hari_libur_map
from modules.presensi.services import PERPRES_21_2023_NORMAL, jadwal_create, lokasi_create
from tenants.models import Tenant
from tests.e2e.conftest import fetch_in_browser, screenshot, sign_in, unit_uji

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> datetime.date:
    zone = ZoneInfo(Tenant.objects.get(schema_name="sumedang").timezone)
    return datetime.datetime.now(zone).date()


def _tanggal(day: datetime.date, fmt: str) -> str:
    """A date as the Indonesian pages print it."""
    with translation.override("id"):
        return dateformat.format(day, fmt)


def _past_working_day() -> datetime.date:
    """The latest weekday before today that is not a holiday in Sumedang's calendar."""
    day = _today() - datetime.timedelta(days=1)
    with schema_context("sumedang"):
        libur = hari_libur_map(mulai=day - datetime.timedelta(days=30), sampai=day)
    while day.weekday() >= 5 or day in libur:
        day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def admin_page(page, live_url):
    sign_in(page, live_url("sumedang"), "admin.sumedang")
    return page


def _row(page, table: str, text: str):
    return page.locator(f"{table} tbody tr", has_text=text)


def test_admin_adds_an_office_location_with_its_geofence(admin_page, live_url, django_db_blocker):
    page = admin_page
    url = live_url("sumedang")
    nama = f"Kantor Kecamatan Uji {secrets.token_hex(3)}"
    with schema_context("sumedang"):
        from modules.kepegawaian.models import Unit

        unit = Unit.objects.get(nama="Sekretariat Daerah")
    page.goto(url + "/presensi/lokasi/")
    expect(page.locator("h1")).to_have_text("Lokasi kantor dan geofence")
    page.get_by_label("Nama lokasi").fill(nama)
    page.get_by_label("Unit").select_option(str(unit.pk))
    page.get_by_label("Lintang").fill("-6.846512")
    page.get_by_label("Bujur").fill("107.920011")
    page.get_by_label("Radius (meter)").fill("75")
    page.get_by_label("Alamat").fill("Jl. Prabu Geusan Ulun No. 36")
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator(".messages")).to_have_text("Lokasi kantor disimpan.")
    row = _row(page, "table", nama)
    expect(row.locator("td")).to_have_text(
        [
            f"{nama}\nJl. Prabu Geusan Ulun No. 36",
            "Sekretariat Daerah",
            "-6.846512, 107.920011",
            "75 m",
            "Aktif",
            "Ubah",
        ],
        use_inner_text=True,
    )
    # the form is empty again for the next location
    expect(page.get_by_label("Nama lokasi")).to_have_value("")
    screenshot(page, "presensi-lokasi-tambah")
    with schema_context("sumedang"):
        stored = LokasiKantor.objects.get(nama=nama)
        assert (stored.unit_id, stored.latitude, stored.longitude, stored.radius_m, stored.aktif) == (
            unit.pk,
            Decimal("-6.846512"),
            Decimal("107.920011"),
            75,
            True,
        )


@pytest.mark.parametrize(
    ("radius", "error"),
    [
        ("-20", "Radius paling kecil 10 m; untuk gedung biasanya 15–100 m."),
        ("", "Isi radius geofence dalam meter, misalnya 100."),
    ],
)
def test_bad_radius_shows_the_field_error_and_keeps_the_input(admin_page, live_url, radius, error):
    page = admin_page
    url = live_url("sumedang")
    nama = f"Kantor Radius Salah {secrets.token_hex(3)}"
    page.goto(url + "/presensi/lokasi/")
    page.get_by_label("Nama lokasi").fill(nama)
    page.get_by_label("Lintang").fill("-6.850000")
    page.get_by_label("Bujur").fill("107.910000")
    page.get_by_label("Radius (meter)").fill(radius)
    page.get_by_role("button", name="Simpan").click()

    field = page.locator(".field", has=page.get_by_label("Radius (meter)"))
    expect(field.locator(".field__error")).to_have_text(error)
    expect(page.get_by_label("Nama lokasi")).to_have_value(nama)
    expect(page.get_by_label("Lintang")).to_have_value("-6.850000")
    expect(page.get_by_label("Bujur")).to_have_value("107.910000")
    expect(page.get_by_label("Radius (meter)")).to_have_value(radius)
    expect(page.locator("table")).not_to_contain_text(nama)
    screenshot(page, f"presensi-lokasi-radius-salah{radius or '-kosong'}")
    with schema_context("sumedang"):
        assert not LokasiKantor.objects.filter(nama=nama).exists()


def test_unit_schedule_decides_the_daily_status(admin_page, live_url):
    # given an employee who came at 08:10 and left at 15:40 on a working day: late (TL2) and
    # early (PSW) under the national 07:30–16:00 hours
    page = admin_page
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Puskesmas Uji Jadwal")
    day = _past_working_day()
    zone = ZoneInfo("Asia/Jakarta")
    with schema_context("sumedang"):
        for jenis, jam in (("masuk", datetime.time(8, 10)), ("pulang", datetime.time(15, 40))):
            moment = datetime.datetime.combine(day, jam, tzinfo=zone)
            Presensi.objects.create(
                client_uuid=uuid.uuid4(),
                pegawai=org.staf.pegawai,
                jenis=jenis,
                tanggal=day,
                waktu=moment,
                waktu_perangkat=moment,
                waktu_server=moment,
                latitude=Decimal("-6.858600"),
                longitude=Decimal("107.919600"),
                akurasi_m=10,
            )
    # when the admin gives the unit its own hours, 08:00–15:00 (Friday 08:00–15:30)
    page.goto(url + "/presensi/jadwal/")
    form = page.locator("form", has=page.locator("input[name=aksi][value=jadwal]"))
    nama_jadwal = f"Jadwal {org.unit.nama}"
    form.get_by_label("Nama jadwal").fill(nama_jadwal)
    form.get_by_label("Unit").select_option(str(org.unit.pk))
    form.get_by_label("Jam masuk Senin–Kamis").fill("08:00")
    form.get_by_label("Jam pulang Senin–Kamis").fill("15:00")
    form.get_by_label("Jam masuk Jumat").fill("08:00")
    form.get_by_label("Jam pulang Jumat").fill("15:30")
    form.get_by_role("button", name="Simpan jadwal").click()
    expect(page.locator(".messages")).to_have_text("Jadwal disimpan.")
    row = _row(page, "table", nama_jadwal)
    expect(row.locator("td").nth(1)).to_have_text(org.unit.nama)
    expect(row.locator(".badge")).to_have_text(
        ["Sen 08:00–15:00", "Sel 08:00–15:00", "Rab 08:00–15:00", "Kam 08:00–15:00", "Jum 08:00–15:30"]
    )
    screenshot(page, "presensi-jadwal-unit")

    # then the daily status of that day, computed on the harian page, judges by the unit's hours
    page.goto(f"{url}/presensi/harian/?tanggal={day.isoformat()}")
    page.get_by_role("button", name="Hitung ulang tanggal ini").click()
    expect(page.locator(".messages")).to_contain_text("pegawai dihitung ulang.")
    row = _row(page, "table", org.staf.pegawai.nama)
    expect(row.locator("td").nth(2).locator(".badge")).to_have_text(["Hadir", "TL1"])
    expect(row.locator("td").nth(3)).to_have_text("08:10")
    expect(row.locator("td").nth(4)).to_have_text("15:40")
    screenshot(page, "presensi-harian-jadwal-unit")
    with schema_context("sumedang"):
        status = StatusHarian.objects.get(pegawai=org.staf.pegawai, tanggal=day)
        assert (status.status, status.tl, status.psw, status.terlambat_menit) == ("hadir", 1, 0, 10)


def test_supervisor_approves_a_correction_and_the_day_changes(admin_page, new_page, live_url):
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Bagian Uji Koreksi")
    day = _past_working_day()
    nomor = f"094/{secrets.randbelow(900) + 100}/ST/{day.year}"
    alasan = "Rapat koordinasi di Kantor Gubernur Jawa Barat, Bandung"

    # given the day computed without any check-in: absent without reason
    admin = admin_page
    admin.goto(f"{url}/presensi/harian/?tanggal={day.isoformat()}")
    admin.get_by_role("button", name="Hitung ulang tanggal ini").click()
    staff_row = _row(admin, "table", org.staf.pegawai.nama)
    expect(staff_row.locator("td").nth(2)).to_have_text("Tanpa keterangan")

    # when the employee asks for a correction: on official duty elsewhere, with the letter number
    employee = new_page()
    sign_in(employee, url, org.staf.login)
    employee.goto(url + "/presensi/koreksi/")
    employee.get_by_label("Tanggal").fill(day.isoformat())
    employee.get_by_label("Jenis koreksi").select_option(label="Dinas luar")
    employee.get_by_label("Alasan").fill(alasan)
    employee.get_by_label("Nomor dokumen").fill(nomor)
    employee.get_by_role("button", name="Ajukan").click()
    expect(employee.locator(".messages")).to_have_text("Koreksi diajukan ke atasan Anda.")
    mine = employee.locator("table tbody tr").first
    expect(mine.locator("td")).to_have_text(
        [_tanggal(day, "j M Y"), "Dinas luar", f"{alasan} ({nomor})", "Diajukan"],
        use_inner_text=True,
    )
    screenshot(employee, "presensi-koreksi-diajukan")

    # and the superior approves it on the corrections page
    supervisor = new_page()
    sign_in(supervisor, url, org.kepala.login)
    supervisor.goto(url + "/presensi/koreksi/")
    inbox = supervisor.locator(
        "section", has=supervisor.get_by_role("heading", name="Menunggu keputusan Anda")
    )
    request_row = inbox.locator("tbody tr", has_text=org.staf.pegawai.nama)
    expect(request_row.locator("td").nth(3)).to_have_text(f"{alasan} ({nomor})")
    screenshot(supervisor, "presensi-koreksi-atasan")
    request_row.get_by_label("Catatan").fill("Sesuai surat tugas")
    request_row.get_by_role("button", name="Setujui").click()
    expect(supervisor.locator(".messages")).to_have_text(
        "Keputusan koreksi disimpan; status harian dihitung ulang."
    )
    expect(supervisor.get_by_role("heading", name="Menunggu keputusan Anda")).to_have_count(0)

    # then the employee sees it approved, and the day is on duty with the letter as its document
    employee.reload()
    expect(employee.locator("table tbody tr").first.locator("td").nth(3)).to_have_text(
        "Disetujui Sesuai surat tugas"
    )
    admin.reload()
    staff_row = _row(admin, "table", org.staf.pegawai.nama)
    expect(staff_row.locator("td").nth(2)).to_have_text("Dinas luar")
    expect(staff_row.locator("td").nth(5)).to_have_text(nomor)
    screenshot(admin, "presensi-harian-setelah-koreksi")
    with schema_context("sumedang"):
        koreksi = KoreksiPresensi.objects.get(pegawai=org.staf.pegawai)
        assert (koreksi.status, koreksi.penyetuju_id) == ("disetujui", org.kepala.pegawai.pk)
        status = StatusHarian.objects.get(pegawai=org.staf.pegawai, tanggal=day)
        assert (status.status, status.dokumen) == ("dl", nomor)


def test_monthly_recap_for_a_unit_and_its_xlsx(admin_page, live_url, tmp_path):
    page = admin_page
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Kecamatan Uji Rekap")
    first = _today().replace(day=1) - datetime.timedelta(days=1)
    bulan = f"{first:%Y-%m}"
    # given a month of statuses: 3 days present (one late TL1, one left early PSW2), 1 on duty,
    # 1 absent
    with schema_context("sumedang"):
        for day, status, tl, psw in (
            (3, "hadir", 0, 0),
            (4, "hadir", 1, 0),
            (5, "hadir", 0, 2),
            (6, "dl", 0, 0),
            (7, "tk", 0, 0),
        ):
            StatusHarian.objects.create(
                pegawai=org.staf.pegawai, tanggal=first.replace(day=day), status=status, tl=tl, psw=psw
            )
    page.goto(url + "/presensi/rekap/")
    page.get_by_label("Bulan").fill(bulan)
    page.get_by_label("Unit").select_option(str(org.unit.pk))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("h1")).to_have_text(f"Rekap presensi {bulan} {org.unit.nama}")
    rows = page.locator("table.rekap tbody tr")
    expect(rows).to_have_count(2)
    staff = page.locator("table.rekap tbody tr", has_text=org.staf.pegawai.nama)
    #                      hadir dl diklat tb izin sakit cuti wfh tk libur TL1-4 PSW1-4
    counts = ["3", "1", "0", "0", "0", "0", "0", "0", "1", "0", "1", "0", "0", "0", "0", "1", "0", "0"]
    expect(staff.locator("td")).to_have_text(
        [f"{org.staf.pegawai.nama_lengkap}\n{org.staf.pegawai.nip_display}", org.unit.nama, *counts],
        use_inner_text=True,
    )
    screenshot(page, "presensi-rekap-unit")

    # the xlsx button downloads a workbook with the same numbers
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh xlsx").click()
    download = download_info.value
    assert download.suggested_filename == f"rekap-presensi-{bulan}.xlsx"
    xlsx = fetch_in_browser(page, download.url)
    assert (xlsx["status"], xlsx["type"], xlsx["head"][:2]) == (200, XLSX, "PK")  # a zip, as xlsx is
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == f"Rekap presensi {bulan} {org.unit.nama}"
    assert values[1][:3] == ["NIP", "Nama", "Unit"]
    staff_line = next(r for r in values[2:] if r[0] == org.staf.pegawai.nip)
    assert staff_line[1:3] == [org.staf.pegawai.nama_lengkap, org.unit.nama]
    assert [str(v) for v in staff_line[3:]] == counts
    assert len(values) == 4  # title, header, the unit's two employees

    # and the PDF button gives a PDF
    pdf = fetch_in_browser(page, page.get_by_role("link", name="Unduh PDF").get_attribute("href"))
    assert (pdf["status"], pdf["type"], pdf["head"]) == (200, "application/pdf", "%PDF-")


def test_admin_edits_a_unit_schedule_and_the_day_is_judged_by_the_new_hours(admin_page, live_url):
    # given a unit on 07:30–16:00 (Friday 16:30) and an employee who came at 08:10 and left at
    # 15:40 on a working day: late (TL2) and early (PSW1, on a Friday PSW2)
    page = admin_page
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Puskesmas Uji Ubah Jadwal")
    day = _past_working_day()
    zone = ZoneInfo("Asia/Jakarta")
    nama_jadwal = f"Jadwal {org.unit.nama}"
    psw = "PSW2" if day.weekday() == 4 else "PSW1"
    with schema_context("sumedang"):
        jadwal = jadwal_create(actor=None, nama=nama_jadwal, unit=org.unit, hari=PERPRES_21_2023_NORMAL)
        for jenis, jam in (("masuk", datetime.time(8, 10)), ("pulang", datetime.time(15, 40))):
            moment = datetime.datetime.combine(day, jam, tzinfo=zone)
            Presensi.objects.create(
                client_uuid=uuid.uuid4(),
                pegawai=org.staf.pegawai,
                jenis=jenis,
                tanggal=day,
                waktu=moment,
                waktu_perangkat=moment,
                waktu_server=moment,
                latitude=Decimal("-6.858600"),
                longitude=Decimal("107.919600"),
                akurasi_m=10,
            )
    page.goto(f"{url}/presensi/harian/?tanggal={day.isoformat()}")
    page.get_by_role("button", name="Hitung ulang tanggal ini").click()
    staff = _row(page, "table", org.staf.pegawai.nama)
    expect(staff.locator("td").nth(2).locator(".badge")).to_have_text(["Hadir", "TL2", psw])

    # when the admin opens the schedule from the list and moves every day to 08:15–15:30
    page.goto(url + "/presensi/jadwal/")
    _row(page, "table", nama_jadwal).get_by_role("link", name="Ubah").click()
    expect(page.locator("h1")).to_have_text(f"Ubah jadwal {nama_jadwal}")
    expect(page.get_by_label("Jam masuk Senin")).to_have_value("07:30")
    expect(page.get_by_label("Jam pulang Jumat")).to_have_value("16:30")
    for hari in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat"):
        page.get_by_label(f"Jam masuk {hari}").fill("08:15")
        page.get_by_label(f"Jam pulang {hari}").fill("15:30")
    screenshot(page, "presensi-jadwal-ubah")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator(".messages")).to_have_text(f"Jadwal {nama_jadwal} diperbarui.")
    expect(_row(page, "table", nama_jadwal).locator(".badge")).to_have_text(
        ["Sen 08:15–15:30", "Sel 08:15–15:30", "Rab 08:15–15:30", "Kam 08:15–15:30", "Jum 08:15–15:30"]
    )

    # then the day, computed again, is on time by the new hours
    page.goto(f"{url}/presensi/harian/?tanggal={day.isoformat()}")
    page.get_by_role("button", name="Hitung ulang tanggal ini").click()
    expect(page.locator(".messages")).to_contain_text("pegawai dihitung ulang.")
    staff = _row(page, "table", org.staf.pegawai.nama)
    expect(staff.locator("td").nth(2).locator(".badge")).to_have_text(["Hadir"])
    screenshot(page, "presensi-harian-setelah-ubah-jadwal")
    with schema_context("sumedang"):
        status = StatusHarian.objects.get(pegawai=org.staf.pegawai, tanggal=day)
        assert (status.status, status.tl, status.psw, status.terlambat_menit) == ("hadir", 0, 0, 0)
        jadwal.refresh_from_db()
        assert jadwal.aktif is True

    # and turning the schedule off brings back the national hours: late and early again
    page.goto(f"{url}/presensi/jadwal/{jadwal.pk}/ubah/")
    page.get_by_label("Aktif").uncheck()
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(_row(page, "table", nama_jadwal).locator("td").first).to_have_text(f"{nama_jadwal} Nonaktif")
    page.goto(f"{url}/presensi/harian/?tanggal={day.isoformat()}")
    page.get_by_role("button", name="Hitung ulang tanggal ini").click()
    staff = _row(page, "table", org.staf.pegawai.nama)
    expect(staff.locator("td").nth(2).locator(".badge")).to_have_text(["Hadir", "TL2", psw])


def test_schedule_edit_error_keeps_what_was_typed(admin_page, live_url):
    page = admin_page
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Bagian Uji Jadwal Salah")
    with schema_context("sumedang"):
        jadwal = jadwal_create(
            actor=None, nama=f"Jadwal {org.unit.nama}", unit=org.unit, hari=PERPRES_21_2023_NORMAL
        )
    page.goto(f"{url}/presensi/jadwal/{jadwal.pk}/ubah/")
    page.get_by_label("Nama jadwal").fill("Jadwal yang diketik")
    page.get_by_label("Jam masuk Rabu").fill("09:00")
    page.get_by_label("Jam pulang Rabu").fill("08:00")
    page.get_by_role("button", name="Simpan perubahan").click()
    field = page.locator(".field", has=page.get_by_label("Jam pulang Rabu"))
    expect(field.locator(".field__error")).to_have_text("Jam pulang harus sesudah jam masuk.")
    expect(page.get_by_label("Nama jadwal")).to_have_value("Jadwal yang diketik")
    expect(page.get_by_label("Jam masuk Rabu")).to_have_value("09:00")
    expect(page.get_by_label("Jam pulang Rabu")).to_have_value("08:00")
    screenshot(page, "presensi-jadwal-ubah-salah")
    with schema_context("sumedang"):
        jadwal.refresh_from_db()
        assert jadwal.nama == f"Jadwal {org.unit.nama}"


def test_admin_turns_an_office_location_off(admin_page, live_url):
    # given an office location that takes check-ins
    page = admin_page
    url = live_url("sumedang")
    nama = f"Kantor Pindah Uji {secrets.token_hex(3)}"
    with schema_context("sumedang"):
        lokasi = lokasi_create(
            actor=None,
            nama=nama,
            latitude=Decimal("-6.840000"),
            longitude=Decimal("107.930000"),
            radius_m=80,
            alamat="Jl. Mayor Abdurahman",
        )
    # when the admin opens it from the list and turns it off
    page.goto(url + "/presensi/lokasi/")
    _row(page, "table", nama).get_by_role("link", name="Ubah").click()
    expect(page.locator("h1")).to_have_text(f"Ubah lokasi {nama}")
    expect(page.get_by_label("Radius (meter)")).to_have_value("80")
    expect(page.get_by_label("Aktif")).to_be_checked()
    page.get_by_label("Aktif").uncheck()
    screenshot(page, "presensi-lokasi-ubah")
    page.get_by_role("button", name="Simpan perubahan").click()

    # then the list shows it off, and it is stored off with its fence unchanged
    expect(page.locator(".messages")).to_have_text(f"Lokasi kantor {nama} diperbarui.")
    expect(_row(page, "table", nama).locator("td").nth(4)).to_have_text("Nonaktif")
    with schema_context("sumedang"):
        lokasi.refresh_from_db()
        assert (lokasi.aktif, lokasi.radius_m, lokasi.latitude) == (False, 80, Decimal("-6.840000"))
