"""TPP and KGB pages laid out in headless Chromium for screenshots (var/screenshots/). Requests go
through Django's test client in this test's transaction, so nothing is committed: the admin
computes a month and reviews it per OPD, the OPD search returns its HTMX partial, the employee
reads a slip whose lines explain every deduction, the KGB page lists an upcoming raise and its draft.
The pages are rendered from the returned HTML with the design system's CSS; scripts are not run."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import Pegawai
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.models import StatusHarian
from modules.tpp.models import Hukdis, KinerjaBulanan
from modules.tpp.tests.helpers import presensi_tutup_2025_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
TAHUN, BULAN = 2025, 11


CSS = Path(__file__).resolve().parents[3] / "frontend" / "dist" / "eoffice.css"


def _render_all(pages: dict[str, bytes], selectors: dict[str, str]) -> dict[str, str]:
    """Lay out each fetched page in Chromium with the design system's CSS (scripts not run), save a
    screenshot per name and return the text of the selector asked for.

    Called after every database call of the test: Playwright's sync API switches greenlets, and
    Django would open a second connection (outside the test's transaction) from inside it.
    """
    from playwright.sync_api import sync_playwright

    css = CSS.read_text(encoding="utf-8") if CSS.exists() else ""
    texts = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, content in pages.items():
            context = browser.new_context(
                locale="id-ID", viewport={"width": 1280, "height": 800}, java_script_enabled=False
            )
            page = context.new_page()
            html = content.decode().replace("</head>", f"<style>{css}</style></head>", 1)
            page.set_content(html, wait_until="domcontentloaded")
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            texts[name] = page.inner_text(selectors.get(name, "main"))
            context.close()
        browser.close()
    return texts


def _ok(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return response.content


@pytest.fixture
def dunia(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        presensi_tutup_2025_2026()
        root = UnitFactory(nama="Pemerintah Kabupaten Uji", jenis="pemda")
        opd = UnitFactory(nama="Badan Pengelolaan Keuangan Daerah", jenis="badan", parent=root)
        bidang = UnitFactory(nama="Bidang Anggaran", parent=opd)
        pegawai = PegawaiFactory(
            unit=bidang,
            nama="Rina Marlina",
            gelar_belakang="S.E.",
            golongan="III/b",
            tmt_golongan=(timezone.localdate().replace(day=1) - datetime.timedelta(days=640)).replace(day=1),
            mkg_tahun=6,
            jabatan=JabatanFactory(unit=bidang, nama="Analis Anggaran", kelas_jabatan=9),
        )
        PegawaiFactory(
            unit=opd,
            nama="Dedi Supriadi",
            gelar_depan="Drs.",
            jabatan=JabatanFactory(
                unit=opd, nama="Kepala Badan", kelas_jabatan=15, is_kepala_unit=True, jenis="jpt"
            ),
        )
        for day, status, tl, psw in (
            (3, "hadir", 2, 0),
            (5, "hadir", 0, 1),
            (10, "tk", 0, 0),
            (12, "cuti", 0, 0),
        ):
            StatusHarian.objects.create(
                pegawai=pegawai, tanggal=datetime.date(TAHUN, BULAN, day), status=status, tl=tl, psw=psw
            )
        KinerjaBulanan.objects.create(pegawai=pegawai, tahun=TAHUN, bulan=BULAN, nilai=88, sumber="atasan")
        Hukdis.objects.create(
            pegawai=pegawai,
            kode_jenis="teguran_tertulis",
            tmt=datetime.date(TAHUN, BULAN, 1),
            sk_nomor="800/12",
        )
        user = User.objects.create_user(
            username=pegawai.nip, email=f"{pegawai.nip}@uji.go.id", nama=pegawai.nama, password="x"
        )
        Pegawai.objects.filter(pk=pegawai.pk).update(user=user)
        admin_client = client_for(sumedang)
        admin_client.force_login(User.objects.get(username="admin.sumedang"))
        pegawai_client = client_for(sumedang)
        pegawai_client.force_login(user)
        yield {"admin": admin_client, "pegawai": pegawai_client, "opd": opd}


def test_admin_computes_reviews_and_employee_reads_slip(dunia):
    # given the admin computes November 2025 from the TPP page's form
    admin = dunia["admin"]
    computed = _ok(admin.post("/tpp/hitung/", {"tahun": TAHUN, "bulan": BULAN}, follow=True))

    # when searching an OPD's lines (the HTMX partial) and the employee opens their slip
    opd_url = f"/tpp/periode/{TAHUN}/{BULAN}/opd/{dunia['opd'].pk}/"
    full = _ok(admin.get(opd_url))
    partial = _ok(admin.get(opd_url, {"q": "Rina"}, HTTP_HX_REQUEST="true")).decode()
    index = _ok(dunia["pegawai"].get("/tpp/")).decode()
    slip_id = index.split('href="/tpp/slip/')[1].split('"')[0]
    slip = _ok(dunia["pegawai"].get(f"/tpp/slip/{slip_id}"))
    texts = _render_all(
        {"tpp-review-per-opd": computed, "tpp-opd-lines": full, "tpp-slip": slip}, {"tpp-slip": "table.slip"}
    )

    # then the review shows the OPD, the search narrows the lines, and every deduction is a line
    assert "Badan Pengelolaan Keuangan Daerah" in texts["tpp-review-per-opd"]
    assert "Dedi Supriadi" in texts["tpp-opd-lines"]
    assert "Rina Marlina" in partial and "Dedi Supriadi" not in partial and "<html" not in partial
    assert "TL2 pada 3 November" in texts["tpp-slip"]
    assert "PSW1 pada 5 November" in texts["tpp-slip"]
    assert "Tanpa keterangan (TK) pada 10 November" in texts["tpp-slip"]
    assert "Hukdis teguran tertulis: −30%" in texts["tpp-slip"]


def test_kgb_page_lists_raise_and_opens_draft(dunia):
    admin = dunia["admin"]
    upcoming = _ok(admin.get("/kgb/"))
    with schema_context("sumedang"):
        pegawai_id = Pegawai.objects.get(nama="Rina Marlina").pk
    detail = _ok(admin.post(f"/kgb/pegawai/{pegawai_id}/draf/", follow=True))

    texts = _render_all({"kgb-upcoming": upcoming, "kgb-detail": detail}, {})

    assert "Rina Marlina" in texts["kgb-upcoming"]
    # PP 5/2024 rows III/b MKG 6 and 8
    assert "Rp3.186.600" in texts["kgb-detail"] and "Rp3.287.000" in texts["kgb-detail"]


def test_serapan_anggaran_page_review_and_slip(dunia):
    # given an 80/10/10 Perbup from December 2025 (the demo one is 60/40)
    from modules.tpp.demo import perbup_demo_data
    from modules.tpp.services import perbup_tpp_create

    with schema_context("sumedang"):
        data = perbup_demo_data(nomor="Perbup Uji 80/10/10", berlaku_mulai=datetime.date(2025, 12, 1))
        data["parameter"].update(bobot_kinerja="80", bobot_disiplin="10", bobot_serapan="10")
        perbup_tpp_create(actor=User.objects.get(username="admin.sumedang"), **data)
        rina = Pegawai.objects.get(nama="Rina Marlina")
        KinerjaBulanan.objects.create(pegawai=rina, tahun=2025, bulan=12, nilai=88, sumber="atasan")
    admin = dunia["admin"]
    url = "/tpp/serapan/?tahun=2025&bulan=12"

    # when the admin types a wrong value, then the right one, computes December, and Rina opens her slip
    salah = admin.post(url, {"opd_id": dunia["opd"].pk, "nilai": "92,5%"}, HTTP_HX_REQUEST="true")
    assert salah.status_code == 400
    # the page as the browser shows it after HTMX swapped the refused row in
    before = _ok(admin.get(url)).decode()
    start = before.index(f'<tr id="serapan-{dunia["opd"].pk}">')
    end = before.index("</tr>", start) + len("</tr>")
    page_salah = before[:start] + salah.content.decode() + before[end:]
    _ok(admin.post(url, {"opd_id": dunia["opd"].pk, "nilai": "92,5"}, HTTP_HX_REQUEST="true"))
    page = _ok(admin.get(url))
    review = _ok(admin.post("/tpp/hitung/", {"tahun": 2025, "bulan": 12}, follow=True))
    lines = _ok(admin.get(f"/tpp/periode/2025/12/opd/{dunia['opd'].pk}/"))
    index = _ok(dunia["pegawai"].get("/tpp/")).decode()
    slip_id = index.split('href="/tpp/slip/')[1].split('"')[0]
    slip = _ok(dunia["pegawai"].get(f"/tpp/slip/{slip_id}"))
    form = _ok(admin.get("/tpp/perbup/baru/"))
    texts = _render_all(
        {
            "tpp-serapan-galat": page_salah.encode(),
            "tpp-serapan": page,
            "tpp-serapan-review": review,
            "tpp-serapan-opd-lines": lines,
            "tpp-serapan-slip": slip,
            "tpp-perbup-baru": form,
        },
        {"tpp-serapan-slip": "table.slip"},
    )

    # then
    assert "Realisasi serapan anggaran harus angka persen 0–100." in texts["tpp-serapan-galat"]
    assert "Badan Pengelolaan Keuangan Daerah" in texts["tpp-serapan"]
    assert "Serapan anggaran" in texts["tpp-serapan-review"]
    assert (
        "Serapan anggaran Badan Pengelolaan Keuangan Daerah Desember 2025: 92,5% × bobot 10%"
        in (texts["tpp-serapan-slip"])
    )
    assert 'value="92,5%"' in page_salah
