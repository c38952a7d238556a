"""Cuti in the browser: an employee requests cuti tahunan, a request beyond the balance is refused
with the reason while the form keeps what was typed, the superior approves, the employee sees the
approval and the lower balance, and cancels (the days come back)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from modules.cuti.models import MutasiSaldoCuti, PermohonanCuti
from modules.cuti.selectors import saldo_cuti_tahunan
from modules.presensi.selectors import hari_kerja_list
from tenants.models import Tenant
from tests.e2e.conftest import screenshot, sign_in, unit_uji

ALASAN = "Menghadiri pernikahan adik di Garut"


def _today() -> datetime.date:
    zone = ZoneInfo(Tenant.objects.get(schema_name="sumedang").timezone)
    return datetime.datetime.now(zone).date()


def _tanggal(day: datetime.date) -> str:
    with translation.override("id"):
        return dateformat.format(day, "j M Y")


def _two_working_days(pegawai) -> tuple[datetime.date, datetime.date]:
    """Two consecutive working days of the employee, after today and within this year (the
    balance on the page is this year's; approved leave can be cancelled only before it starts)."""
    today = _today()
    end = datetime.date(today.year, 12, 31)
    with schema_context("sumedang"):
        days = hari_kerja_list(pegawai=pegawai, mulai=today + datetime.timedelta(days=1), sampai=end)
    for first, second in zip(days, days[1:], strict=False):
        if second - first == datetime.timedelta(days=1):
            return first, second
    pytest.skip("no two consecutive working days left this year")


def _saldo(pegawai) -> int:
    with schema_context("sumedang"):
        return saldo_cuti_tahunan(pegawai=pegawai, tahun=_today().year)


def _fill(page, *, mulai: datetime.date, selesai: datetime.date, alamat: str) -> None:
    page.get_by_label("Jenis cuti").select_option(label="Cuti tahunan")
    page.get_by_label("Mulai").fill(mulai.isoformat())
    page.get_by_label("Selesai").fill(selesai.isoformat())
    page.get_by_label("Alasan").fill(ALASAN)
    page.get_by_label("Alamat selama cuti").fill(alamat)


def test_request_beyond_the_balance_is_refused_and_the_form_keeps_the_input(page, live_url):
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Bagian Uji Cuti Saldo")
    sign_in(page, url, org.staf.login)
    page.goto(url + "/cuti/")
    tahun = _today().year
    saldo = _saldo(org.staf.pegawai)
    expect(page.locator("section", has_text="Saldo cuti tahunan").locator("p").first).to_have_text(
        f"{saldo} hari"
    )
    mulai, selesai = datetime.date(tahun, 1, 2), datetime.date(tahun, 3, 31)
    with schema_context("sumedang"):
        lama = len(hari_kerja_list(pegawai=org.staf.pegawai, mulai=mulai, sampai=selesai))
    assert lama > saldo

    _fill(page, mulai=mulai, selesai=selesai, alamat="Jl. Cimanuk No. 12, Garut")
    page.get_by_role("button", name="Ajukan").click()

    field = page.locator(".field", has=page.get_by_label("Selesai"))
    expect(field.locator(".field__error")).to_have_text(
        f"Sisa cuti tahunan {tahun} Anda {saldo} hari (saldo {saldo}, 0 hari menunggu persetujuan);"
        f" permohonan ini {lama} hari kerja."
    )
    expect(page.get_by_label("Jenis cuti")).to_have_value("CT")
    expect(page.get_by_label("Mulai")).to_have_value(mulai.isoformat())
    expect(page.get_by_label("Selesai")).to_have_value(selesai.isoformat())
    expect(page.get_by_label("Alasan")).to_have_value(ALASAN)
    expect(page.get_by_label("Alamat selama cuti")).to_have_value("Jl. Cimanuk No. 12, Garut")
    expect(page.get_by_text("Belum ada permohonan cuti.")).to_be_visible()
    screenshot(page, "cuti-saldo-kurang")
    with schema_context("sumedang"):
        assert not PermohonanCuti.objects.filter(pegawai=org.staf.pegawai).exists()


def test_request_approved_by_the_superior_then_cancelled(page, new_page, live_url):
    url = live_url("sumedang")
    org = unit_uji("sumedang", "Bagian Uji Cuti")
    mulai, selesai = _two_working_days(org.staf.pegawai)
    periode = f"{_tanggal(mulai)} – {_tanggal(selesai)}"

    # given the employee's balance for this year
    employee = page
    sign_in(employee, url, org.staf.login)
    employee.goto(url + "/cuti/")
    saldo = _saldo(org.staf.pegawai)
    balance = employee.locator("section", has_text="Saldo cuti tahunan").locator("p").first
    expect(balance).to_have_text(f"{saldo} hari")

    # when they request two days of cuti tahunan
    _fill(employee, mulai=mulai, selesai=selesai, alamat="Jl. Cimanuk No. 12, Garut")
    employee.get_by_role("button", name="Ajukan").click()
    expect(employee.locator(".messages")).to_have_text("Permohonan cuti diajukan ke atasan Anda.")
    row = employee.locator("table", has_text="Periode").locator("tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text("Cuti tahunan")
    expect(row.locator("td").nth(1)).to_have_text(periode)
    expect(row.locator("td").nth(2)).to_have_text("2 hari")
    expect(row.locator("td").nth(3)).to_have_text("Diajukan")
    expect(balance).to_have_text(f"{saldo} hari · 2 hari menunggu persetujuan")
    screenshot(employee, "cuti-diajukan")

    # and their superior approves it on the approvals page
    supervisor = new_page()
    sign_in(supervisor, url, org.kepala.login)
    supervisor.goto(url + "/cuti/persetujuan/")
    waiting = supervisor.locator("table tbody tr", has_text=org.staf.pegawai.nama)
    expect(waiting.locator("td").nth(1)).to_have_text("Cuti tahunan")
    expect(waiting.locator("td").nth(2)).to_have_text(f"{periode} (2 hari)")
    expect(waiting.locator("td").nth(3)).to_have_text(ALASAN)
    screenshot(supervisor, "cuti-persetujuan")
    waiting.get_by_role("button", name="Setujui").click()
    expect(supervisor.locator(".messages")).to_have_text("Keputusan cuti disimpan.")
    expect(supervisor.get_by_text("Tidak ada permohonan yang menunggu keputusan Anda.")).to_be_visible()

    # then the employee sees it approved, with its letter number, and two days fewer
    with schema_context("sumedang"):
        permohonan = PermohonanCuti.objects.get(pegawai=org.staf.pegawai)
    assert (permohonan.status, permohonan.atasan_id) == ("disetujui", org.kepala.pegawai.pk)
    nomor = f"800.1.11.4/{permohonan.pk}/CUTI/{mulai.year}"
    employee.reload()
    expect(row.locator("td").nth(3)).to_have_text(f"Disetujui Surat izin cuti {nomor}")
    expect(balance).to_have_text(f"{saldo - 2} hari")
    expect(employee.locator("section", has_text="Saldo cuti tahunan").locator("tr").last).to_have_text(
        "Pemakaian-2", use_inner_text=False
    )
    assert _saldo(org.staf.pegawai) == saldo - 2
    screenshot(employee, "cuti-disetujui")

    # and, the leave not having started, they cancel it and the days come back
    asked = []
    employee.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Batalkan").click()
    expect(employee.locator(".messages")).to_have_text("Permohonan cuti dibatalkan.")
    assert asked == ["Batalkan permohonan cuti ini?"]
    expect(row.locator("td").nth(3)).to_have_text(f"Dibatalkan Surat izin cuti {nomor}")
    expect(row.get_by_role("button", name="Batalkan")).to_have_count(0)
    expect(balance).to_have_text(f"{saldo} hari")
    screenshot(employee, "cuti-dibatalkan")
    with schema_context("sumedang"):
        permohonan.refresh_from_db()
        assert permohonan.status == "dibatalkan"
        assert list(
            MutasiSaldoCuti.objects.filter(permohonan=permohonan).order_by("pk").values_list("jenis", "hari")
        ) == [("pemakaian", -2), ("pengembalian", 2)]
