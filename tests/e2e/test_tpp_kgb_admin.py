"""TPP and KGB in the browser: the regency admin computes a TPP month, reviews it per OPD and locks
it, an employee opens their own slip; the admin finds an upcoming KGB, prepares its letter and
downloads the PDF."""

import datetime
import re
import secrets
from zoneinfo import ZoneInfo

from django.utils import dateformat, translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from modules.kgb.models import Kgb
from modules.tpp.models import TppBaris, TppPeriode
from tenants.models import Tenant
from tests.e2e.conftest import fetch_in_browser, screenshot, sign_in, unit_uji

ASEP_NIP = "198609262015051001"  # the demo employee of Sumedang (tenants/demo.py)


def _today() -> datetime.date:
    zone = ZoneInfo(Tenant.objects.get(schema_name="sumedang").timezone)
    return datetime.datetime.now(zone).date()


def _month_not_computed() -> tuple[int, int]:
    """A past month (the demo Perbup is in force from January 2025) no test has computed yet:
    the server keeps what a test locks."""
    today = _today()
    months = [
        (tahun, bulan)
        for tahun in range(2025, today.year + 1)
        for bulan in range(1, 13)
        if (tahun, bulan) < (today.year, today.month)
    ]
    with schema_context("sumedang"):
        done = set(TppPeriode.objects.values_list("tahun", "bulan"))
    free = [m for m in months if m not in done]
    return free[secrets.randbelow(len(free))]


def test_admin_computes_reviews_and_locks_a_tpp_month_and_the_employee_opens_the_slip(
    page, new_page, live_url
):
    url = live_url("sumedang")
    tahun, bulan = _month_not_computed()
    admin = page
    sign_in(admin, url, "admin.sumedang")

    # the admin tries to compute the month before presensi closed its days, and is told why not
    admin.goto(url + "/tpp/")
    form = admin.locator("section", has=admin.get_by_role("heading", name="Hitung TPP bulanan"))
    form.get_by_label("Bulan").fill(str(bulan))
    form.get_by_label("Tahun").fill(str(tahun))
    form.get_by_role("button", name="Hitung / hitung ulang").click()
    expect(admin.locator(".messages")).to_contain_text(
        f"TPP bulan {bulan}/{tahun} belum dapat dihitung: presensi"
    )
    expect(admin.locator(".messages")).to_contain_text("dengan tombol “Tutup presensi")
    screenshot(admin, "tpp-hitung-presensi-belum-ditutup")

    # closes the month's open working days with the button under the refusal, then computes it
    tutup = admin.get_by_role(
        "button", name=re.compile(r"^Tutup presensi \d+ hari kerja yang belum ditutup$")
    )
    tutup.click()
    admin.wait_for_url(f"{url}/tpp/?tahun={tahun}&bulan={bulan}")
    expect(admin.locator(".messages")).to_contain_text(f"TPP bulan {bulan}/{tahun} sekarang dapat dihitung.")
    expect(form.get_by_label("Bulan")).to_have_value(str(bulan))
    form.get_by_role("button", name="Hitung / hitung ulang").click()
    admin.wait_for_url(f"{url}/tpp/periode/{tahun}/{bulan}/")
    expect(admin.locator(".messages")).to_have_text(f"TPP bulan {bulan}/{tahun} selesai dihitung.")
    expect(admin.locator("h1")).to_have_text(f"TPP bulan {bulan}/{tahun} Dihitung (dapat dikoreksi)")
    with schema_context("sumedang"):
        asep = TppBaris.objects.select_related("periode").get(
            periode__tahun=tahun, periode__bulan=bulan, nip=ASEP_NIP
        )
    opd_row = admin.locator("table tbody tr", has_text=asep.nama_opd)
    expect(opd_row).to_have_count(1)
    screenshot(admin, "tpp-periode-dihitung")

    # opens the review of one OPD and finds the employee there
    opd_row.get_by_role("link", name=asep.nama_opd).click()
    expect(admin.locator("h1")).to_have_text(asep.nama_opd)
    line = admin.locator("#baris tr", has_text=asep.nama)
    expect(line.locator("td").first).to_contain_text(asep.nip_display)
    expect(line.get_by_role("link", name="Slip")).to_be_visible()
    screenshot(admin, "tpp-periode-opd")

    # locks the month (after confirming) and sees it locked, without the controls that change it
    admin.get_by_role("link", name=f"TPP bulan {bulan}/{tahun}").click()
    with schema_context("sumedang"):
        flagged = TppBaris.objects.filter(
            periode__tahun=tahun, periode__bulan=bulan, perlu_perhatian=True
        ).count()
    asked = []
    admin.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    admin.get_by_role("button", name="Setujui dan kunci").click()
    expect(admin.locator(".messages")).to_have_text(
        "TPP bulan ini dikunci. Perubahan berikutnya harus membuka kembali dengan alasan."
    )
    assert asked == [
        f"Kunci TPP bulan ini? {flagged} baris masih ditandai perlu diperiksa. Setelah dikunci, perubahan "
        "harus membuka kembali dengan alasan."
        if flagged
        else "Kunci TPP bulan ini? Setelah dikunci, perubahan harus membuka kembali dengan alasan."
    ]
    expect(admin.locator("h1 .badge")).to_have_text("Terkunci")
    expect(admin.get_by_role("button", name="Setujui dan kunci")).to_have_count(0)
    expect(admin.get_by_role("button", name="Hitung ulang setelah koreksi")).to_have_count(0)
    expect(admin.get_by_role("button", name="Buka kembali untuk koreksi")).to_be_visible()
    screenshot(admin, "tpp-periode-terkunci")
    with schema_context("sumedang"):
        assert TppPeriode.objects.get(tahun=tahun, bulan=bulan).status == "terkunci"

    # the employee opens their own slip of that month
    employee = new_page()
    sign_in(employee, url, ASEP_NIP)
    employee.goto(url + "/tpp/")
    employee.get_by_role("link", name=f"{bulan}/{tahun} —").click()
    employee.wait_for_url(f"{url}/tpp/slip/{asep.pk}/")
    expect(employee.locator("h1")).to_have_text(f"Slip TPP bulan {bulan}/{tahun}")
    details = employee.locator("dl.meta-list")
    expect(details).to_contain_text(asep.nama)
    expect(details).to_contain_text(asep.nip_display)
    expect(details).to_contain_text("Terkunci")
    expect(employee.locator("table.slip tbody tr").first).to_be_visible()
    screenshot(employee, "tpp-slip-pegawai")


def test_admin_opens_an_upcoming_kgb_and_downloads_the_letter(page, live_url):
    # given a PNS III/a whose 2-year raise falls on the first of the month after next
    today = _today()
    month = today.month + 2
    tmt = datetime.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    org = unit_uji(
        "sumedang",
        "Bidang Uji KGB",
        golongan="III/a",
        mkg_tahun=2,
        mkg_bulan=0,
        tmt_golongan=tmt.replace(year=tmt.year - 2),
    )
    pegawai = org.staf.pegawai
    url = live_url("sumedang")
    sign_in(page, url, "admin.sumedang")

    # the admin sees it among the upcoming raises of that unit
    page.goto(url + "/kgb/")
    section = page.get_by_role("region", name=org.unit.nama)
    row = section.locator("tbody tr", has_text=pegawai.nama)
    with translation.override("id"):
        tmt_text = dateformat.format(tmt, "j F Y")
    # PP 5/2024 gaji pokok III/a: MKG 2 Rp2.873.500, MKG 4 Rp2.964.000
    expect(row.locator("td")).to_have_text(
        [f"{pegawai.nama_lengkap}\n{pegawai.nip_display}", "III/a", tmt_text, "4 tahun",
         "Rp2.873.500 → Rp2.964.000", "Siapkan draf"],
        use_inner_text=True,
    )  # fmt: skip
    screenshot(page, "kgb-mendatang-admin")

    # opens it by preparing the draft letter
    row.get_by_role("button", name="Siapkan draf").click()
    expect(page.locator("h1")).to_have_text("Surat pemberitahuan KGB Draf surat pemberitahuan")
    details = page.locator("dl.meta-list")
    expect(details).to_contain_text(f"{pegawai.nama_lengkap} · {pegawai.nip_display}")
    expect(details).to_contain_text("Rp2.873.500 → Rp2.964.000")
    expect(details).to_contain_text(tmt_text)
    screenshot(page, "kgb-detail-draf")
    with schema_context("sumedang"):
        kgb = Kgb.objects.get(pegawai=pegawai)
        assert (kgb.status, kgb.tmt, kgb.gaji_lama, kgb.gaji_baru) == ("draf", tmt, 2_873_500, 2_964_000)

    # and the letter comes as a PDF
    link = page.get_by_role("link", name="Lihat PDF surat")
    href = link.get_attribute("href")
    assert href == f"/kgb/{kgb.pk}/surat.pdf"
    pdf = fetch_in_browser(page, url + href)
    assert (pdf["status"], pdf["type"], pdf["head"]) == (200, "application/pdf", "%PDF-")
    assert pdf["size"] > 1000


def test_tpp_and_kgb_pages_do_not_scroll_sideways_on_a_phone(browser, live_url):
    # given the demo regency's admin on a 390 px wide phone
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    url = live_url("sumedang")
    sign_in(page, url, "admin.sumedang")

    for path, name in (
        ("/kgb/", "kgb-ponsel"),
        ("/tpp/", "tpp-ponsel"),
        ("/tpp/perbup/", "tpp-perbup-ponsel"),
    ):
        # when
        page.goto(url + path)
        screenshot(page, name)

        # then the page is no wider than the phone: a wide table scrolls inside its own box
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (path, widths)
        for table in page.locator("main table.table").all():
            assert table.evaluate("t => t.parentElement.classList.contains('table-wrap')"), path
    context.close()
