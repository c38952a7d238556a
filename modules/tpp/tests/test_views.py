"""TPP pages and API: who sees what, isolation between regencies, refusals as 4xx, exports."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from eoffice.accounts.models import User
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.models import PenutupanHari, StatusHarian
from modules.presensi.selectors import tenant_zone
from modules.tpp.demo import perbup_demo_data
from modules.tpp.models import Hukdis, KinerjaBulanan, PerbupTpp, TppBaris, TppPeriode
from modules.tpp.services import kinerja_set, perbup_tpp_create, tpp_periode_hitung
from modules.tpp.tests.helpers import presensi_tutup_2025_2026

D = datetime.date
pytestmark = pytest.mark.django_db


def _akun(pegawai, peran="pegawai"):
    user = User.objects.create_user(
        username=pegawai.nip, email=f"{pegawai.nip}@uji.go.id", nama=pegawai.nama, password="x", peran=peran
    )
    pegawai.user = user
    pegawai.save(update_fields=["user"])
    return user


@pytest.fixture
def dunia(sumedang):
    """Two OPDs under one root; an employee in each; the head of OPD A; March 2026 computed."""
    with schema_context(sumedang.schema_name):
        presensi_tutup_2025_2026()
        admin = User.objects.get(username="admin.sumedang")
        perbup_tpp_create(actor=admin, **perbup_demo_data(nomor="Perbup 1/2026", berlaku_mulai=D(2026, 1, 1)))
        root = UnitFactory(nama="Pemda Uji", jenis="pemda")
        opd_a = UnitFactory(nama="Dinas A", parent=root)
        opd_b = UnitFactory(nama="Dinas B", parent=root)
        bidang_a = UnitFactory(nama="Bidang A1", parent=opd_a)
        pegawai_a = PegawaiFactory(unit=bidang_a, jabatan=JabatanFactory(unit=bidang_a, kelas_jabatan=9))
        pegawai_b = PegawaiFactory(unit=opd_b, jabatan=JabatanFactory(unit=opd_b, kelas_jabatan=9))
        kepala_a = PegawaiFactory(
            unit=opd_a, jabatan=JabatanFactory(unit=opd_a, kelas_jabatan=14, is_kepala_unit=True, jenis="jpt")
        )
        StatusHarian.objects.create(pegawai=pegawai_a, tanggal=D(2026, 3, 3), status="hadir", tl=2)
        kinerja_set(actor=admin, pegawai=pegawai_a, tahun=2026, bulan=3, nilai="90")
        user_a = _akun(pegawai_a)
        user_b = _akun(pegawai_b)
        user_kepala = _akun(kepala_a, peran="pimpinan")
        AksesUnit.objects.create(user=user_kepala, unit=opd_a)
        periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
        yield {
            "admin": admin,
            "periode": periode,
            "a": pegawai_a,
            "b": pegawai_b,
            "user_a": user_a,
            "user_b": user_b,
            "kepala": user_kepala,
            "opd_a": opd_a,
            "opd_b": opd_b,
            "slip_a": TppBaris.objects.get(periode=periode, pegawai=pegawai_a),
            "slip_b": TppBaris.objects.get(periode=periode, pegawai=pegawai_b),
        }


def _client(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def test_employee_sees_own_slip_with_explained_lines(dunia, sumedang, client_for):
    # given
    client = _client(client_for, sumedang, dunia["user_a"])

    # when
    page = client.get(f"/tpp/slip/{dunia['slip_a'].pk}/")
    api = client.get(f"/api/v1/tpp/slip/{dunia['slip_a'].pk}/")

    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "TL2 pada 3 Maret" in html
    assert "−1%" in html
    assert api.status_code == 200
    assert {"uraian": "TL2 pada 3 Maret", "nilai": "−1%"} in api.json()["rincian"]
    assert api.json()["netto"] == dunia["slip_a"].netto


def test_employee_cannot_see_another_slip_page_or_api(dunia, sumedang, client_for):
    # given
    client = _client(client_for, sumedang, dunia["user_a"])

    # when
    page = client.get(f"/tpp/slip/{dunia['slip_b'].pk}/")
    api = client.get(f"/api/v1/tpp/slip/{dunia['slip_b'].pk}/")
    review = client.get("/tpp/periode/2026/3/")
    lines = client.get("/api/v1/tpp/periode/2026/3/baris/")

    # then
    assert (page.status_code, api.status_code, review.status_code) == (404, 404, 403)
    assert api.json()["error"]["code"] == "not_found"
    assert [row["nip"] for row in lines.json()["results"]] == [dunia["a"].nip]


def test_unit_head_sees_only_their_unit(dunia, sumedang, client_for):
    # given the head of Dinas A
    client = _client(client_for, sumedang, dunia["kepala"])

    # when
    rekap = client.get("/api/v1/tpp/periode/2026/3/rekap/")
    slip_b = client.get(f"/api/v1/tpp/slip/{dunia['slip_b'].pk}/")
    page_b = client.get(f"/tpp/periode/2026/3/opd/{dunia['opd_b'].pk}/")

    # then
    assert rekap.status_code == 200
    assert [(row["nama_opd"], row["jumlah"]) for row in rekap.json()] == [("Dinas A", 2)]
    assert (slip_b.status_code, page_b.status_code) == (404, 404)


def test_sumedang_slip_never_on_kendari_host(dunia, kendari, client_for):
    # given Kendari's admin on Kendari's host
    with schema_context(kendari.schema_name):
        client = _client(client_for, kendari, User.objects.get(username="admin.kendari"))

    # when
    page = client.get(f"/tpp/slip/{dunia['slip_a'].pk}/")
    api = client.get(f"/api/v1/tpp/slip/{dunia['slip_a'].pk}/")
    rekap = client.get("/api/v1/tpp/periode/2026/3/rekap/")

    # then
    assert (page.status_code, api.status_code, rekap.status_code) == (404, 404, 404)
    shown = page.content.decode() + api.content.decode()
    assert dunia["a"].nip not in shown and dunia["a"].nip_display not in shown


def test_lock_refused_for_non_admin_and_nothing_changes(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["kepala"])

    response = client.post("/api/v1/tpp/periode/2026/3/kunci/")

    assert response.status_code == 403
    with schema_context(sumedang.schema_name):
        assert TppPeriode.objects.get(pk=dunia["periode"].pk).status == TppPeriode.Status.DIHITUNG


def test_admin_locks_then_reopen_needs_reason(dunia, sumedang, client_for):
    # given
    client = _client(client_for, sumedang, dunia["admin"])

    # when
    locked = client.post("/api/v1/tpp/periode/2026/3/kunci/")
    again = client.post("/api/v1/tpp/periode/2026/3/kunci/")
    no_reason = client.post("/tpp/periode/2026/3/buka-kembali/", {"alasan": "  "})
    reopened = client.post(
        "/api/v1/tpp/periode/2026/3/buka-kembali/",
        {"alasan": "Koreksi TL karena gangguan mesin"},
        content_type="application/json",
    )

    # then
    assert (locked.status_code, locked.json()["status"]) == (200, "terkunci")
    assert again.status_code == 409
    assert no_reason.status_code == 400
    assert "Alasan wajib diisi, minimal 10 karakter." in no_reason.content.decode()
    assert (reopened.status_code, reopened.json()["status"]) == (200, "dihitung")


def test_kinerja_htmx_rejects_text_with_400_and_keeps_input(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["kepala"])

    response = client.post(
        "/tpp/kinerja/?tahun=2026&bulan=3",
        {"pegawai_id": dunia["a"].pk, "nilai": "sangat baik"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nilai kinerja harus angka 0–100" in html
    assert 'value="sangat baik"' in html
    with schema_context(sumedang.schema_name):
        assert KinerjaBulanan.objects.get(pegawai=dunia["a"], tahun=2026, bulan=3).nilai == 90


def test_kinerja_by_unit_head_recomputes_the_line(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["kepala"])

    response = client.put(
        "/api/v1/tpp/kinerja/",
        {"pegawai_id": dunia["a"].pk, "tahun": 2026, "bulan": 3, "nilai": "50"},
        content_type="application/json",
    )
    outside = client.put(
        "/api/v1/tpp/kinerja/",
        {"pegawai_id": dunia["b"].pk, "tahun": 2026, "bulan": 3, "nilai": "50"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert outside.status_code == 404
    with schema_context(sumedang.schema_name):
        # 6,000,000 × 60% × 50% = 1,800,000
        assert TppBaris.objects.get(pk=dunia["slip_a"].pk).komponen_kinerja == 1_800_000


def test_payroll_xlsx_for_admin_only(dunia, sumedang, client_for):
    admin = _client(client_for, sumedang, dunia["admin"])
    employee = _client(client_for, sumedang, dunia["user_a"])

    response = admin.get("/tpp/periode/2026/3/payroll.xlsx")
    refused = employee.get("/tpp/periode/2026/3/payroll.xlsx")

    assert response.status_code == 200
    assert refused.status_code == 403
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows[dunia["a"].nip][-1] == dunia["slip_a"].netto


def test_rekap_pdf_per_opd(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["kepala"])

    response = client.get(f"/tpp/periode/2026/3/opd/{dunia['opd_a'].pk}/rekap.pdf")
    other = client.get(f"/tpp/periode/2026/3/opd/{dunia['opd_b'].pk}/rekap.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert other.status_code == 404


def test_compute_page_bad_month_is_400_not_500(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["admin"])

    response = client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "13"})
    text = client.post("/tpp/hitung/", {"tahun": "dua ribu", "bulan": "1"})

    assert response.status_code == 400
    assert "Bulan atau tahun tidak valid." in response.content.decode()
    assert text.status_code == 400


def test_pages_render_for_each_role(dunia, sumedang, client_for):
    for user, paths in (
        (
            dunia["admin"],
            [
                "/tpp/",
                "/tpp/periode/2026/3/",
                f"/tpp/periode/2026/3/opd/{dunia['opd_a'].pk}/",
                "/tpp/kinerja/?tahun=2026&bulan=3",
                "/tpp/perbup/",
            ],
        ),
        (dunia["kepala"], ["/tpp/", "/tpp/periode/2026/3/", "/tpp/kinerja/"]),
        (dunia["user_a"], ["/tpp/"]),
    ):
        client = _client(client_for, sumedang, user)
        for path in paths:
            assert client.get(path).status_code == 200, path


def test_openapi_schema_lists_tpp_and_kgb(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
    client = _client(client_for, sumedang, admin)

    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/tpp/slip/{baris_id}/" in paths
    assert "/api/v1/kgb/mendatang/" in paths


def test_hukdis_api_admin_records_employee_refused(dunia, sumedang, client_for):
    admin = _client(client_for, sumedang, dunia["admin"])
    employee = _client(client_for, sumedang, dunia["user_a"])
    body = {
        "pegawai_id": dunia["b"].pk,
        "kode_jenis": "teguran_lisan",
        "tmt": "2026-04-01",
        "sk_nomor": "800/3",
    }

    refused = employee.post("/api/v1/tpp/hukdis/", body, content_type="application/json")
    unknown = admin.post(
        "/api/v1/tpp/hukdis/", {**body, "kode_jenis": "skorsing"}, content_type="application/json"
    )
    mid_month = admin.post(
        "/api/v1/tpp/hukdis/", {**body, "tmt": "2026-04-15"}, content_type="application/json"
    )
    created = admin.post("/api/v1/tpp/hukdis/", body, content_type="application/json")

    assert refused.status_code == 403
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {
        "kode_jenis": ["Pilih jenis hukdis dari Perbup yang berlaku."]
    }
    assert mid_month.status_code == 400
    assert created.status_code == 201
    with schema_context(sumedang.schema_name):
        assert [h.kode_jenis for h in Hukdis.objects.filter(pegawai=dunia["b"])] == ["teguran_lisan"]


def test_new_perbup_page_copies_tables_and_keeps_input_on_error(dunia, sumedang, client_for):
    # given the form, prefilled from the Perbup in force
    client = _client(client_for, sumedang, dunia["admin"])
    form = client.get("/tpp/perbup/baru/")
    assert form.status_code == 200
    fields = {
        "nomor": "Perbup Nomor 3 Tahun 2027",
        "berlaku_mulai": "2027-01-01",
        "bobot_kinerja": "70",
        "bobot_disiplin": "20",
        "potongan_tk_per_hari": "4",
        "potongan_izin_per_hari": "0",
        "potongan_disiplin_maks": "100",
        "persen_cpns": "80",
        "bpjs_persen_total": "5",
        "bpjs_persen_pegawai": "1",
        "bpjs_batas_atas": "12000000",
        "pajak_perlakuan": "ditanggung",
        "tarif_pph_gol_iv": "15",
        "tarif_pph_gol_iii": "5",
        "tarif_pph_lainnya": "0",
        "besaran_9": "7.000.000",
    }

    # when the weights do not add up, then when they do
    bad = client.post("/tpp/perbup/baru/", fields)
    good = client.post("/tpp/perbup/baru/", {**fields, "bobot_disiplin": "30"})

    # then
    assert bad.status_code == 400
    assert 'value="Perbup Nomor 3 Tahun 2027"' in bad.content.decode()
    assert "Bobot kinerja + bobot disiplin + bobot serapan anggaran harus 100 persen (sekarang 90)." in (
        bad.content.decode()
    )
    assert good.status_code == 302
    with schema_context(sumedang.schema_name):
        baru = PerbupTpp.objects.get(nomor="Perbup Nomor 3 Tahun 2027")
        assert [(b.kelas_jabatan, b.besaran) for b in baru.besaran.all()] == [(9, 7_000_000)]
        assert baru.potongan_band.count() == 8
        assert baru.jenis_hukdis.count() == 6
        assert baru.pajak_perlakuan == "ditanggung"


def test_admin_records_a_sanction_on_the_page_and_it_is_listed(dunia, sumedang, client_for):
    client = _client(client_for, sumedang, dunia["admin"])
    nip = dunia["a"].nip

    response = client.post(
        "/tpp/hukdis/",
        {"nip": nip, "kode_jenis": "teguran_tertulis", "tmt": "2026-12-01", "sk_nomor": "800/12/BKPSDM/2026"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Hukuman disiplin dicatat." in response.text
    assert "800/12/BKPSDM/2026" in response.text
    with schema_context(sumedang.schema_name):
        hukdis = Hukdis.objects.get(pegawai=dunia["a"])
        assert (hukdis.kode_jenis, hukdis.tmt) == ("teguran_tertulis", D(2026, 12, 1))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"nip": "123"}, "nip", "NIP harus 18 digit angka, tanpa spasi."),
        ({"nip": "199901012020011999"}, "nip", "Tidak ada pegawai dengan NIP ini di daerah Anda."),
        ({"tmt": "2026-12-15"}, "tmt", "TMT hukuman disiplin adalah tanggal 1 suatu bulan."),
    ],
)
def test_bad_sanction_input_is_refused_with_the_field_and_kept(
    dunia, sumedang, client_for, data, field, message
):
    client = _client(client_for, sumedang, dunia["admin"])
    form = {
        "nip": dunia["a"].nip,
        "kode_jenis": "teguran_lisan",
        "tmt": "2026-12-01",
        "sk_nomor": "800/13/BKPSDM/2026",
        **data,
    }

    response = client.post("/tpp/hukdis/", form)

    assert response.status_code == 400
    assert message in response.text
    assert 'value="800/13/BKPSDM/2026"' in response.text
    with schema_context(sumedang.schema_name):
        assert not Hukdis.objects.exists()


def test_employee_cannot_open_the_sanction_page(dunia, sumedang, client_for):
    response = _client(client_for, sumedang, dunia["user_a"]).get("/tpp/hukdis/")

    assert response.status_code == 403


def test_sanction_choices_show_percentages_as_people_write_them(dunia, sumedang, client_for):
    page = _client(client_for, sumedang, dunia["admin"]).get("/tpp/hukdis/")

    assert "teguran lisan (20%, 1 bln)" in page.text


def test_demo_regencies_have_a_perbup(sumedang, kendari):
    for tenant, nomor in ((sumedang, "Perbup Kabupaten Sumedang"), (kendari, "Perwali Kota Kendari")):
        with schema_context(tenant.schema_name):
            assert PerbupTpp.objects.get(berlaku_mulai=D(2025, 1, 1)).nomor.startswith(nomor)


def test_lock_confirmation_says_how_many_lines_need_checking(dunia, sumedang, client_for):
    # given the month computed with lines flagged for review (employee B has no kinerja)
    periode = dunia["periode"]
    flagged = TppBaris.objects.filter(periode=periode, perlu_perhatian=True).count()
    assert flagged >= 1
    client = _client(client_for, sumedang, dunia["admin"])

    # when
    page = client.get("/tpp/periode/2026/3/")

    # then the lock button asks with the count
    assert (
        f"confirm('Kunci TPP bulan ini? {flagged} baris masih ditandai perlu diperiksa. Setelah dikunci, "
        "perubahan harus membuka kembali dengan alasan.')"
    ) in page.content.decode()


def test_hitung_form_shows_the_unclosed_day_refusal(dunia, sumedang, client_for):
    # given April 2026 with one working day presensi has not closed
    with schema_context(sumedang.schema_name):
        PenutupanHari.objects.filter(tanggal=D(2026, 4, 7)).delete()
    client = _client(client_for, sumedang, dunia["admin"])

    # when
    page = client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "4"})
    api = client.post("/api/v1/tpp/periode/", {"tahun": 2026, "bulan": 4}, content_type="application/json")

    # then the page keeps the form with the message, the API answers 409; nothing computed
    assert page.status_code == 409
    assert "presensi 1 hari kerja belum ditutup, mulai Selasa, 7 April 2026" in page.content.decode()
    assert (api.status_code, api.json()["error"]["code"]) == (409, "presensi_belum_ditutup")
    with schema_context(sumedang.schema_name):
        assert not TppPeriode.objects.filter(tahun=2026, bulan=4).exists()


def test_nip_is_printed_formatted_on_review_search_slip_and_kinerja_pages(dunia, sumedang, client_for):
    # given employee A's NIP as stored (18 digits) and as printed (8 6 1 3)
    nip, nip_display = dunia["a"].nip, dunia["a"].nip_display
    assert nip_display == f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    client = _client(client_for, sumedang, dunia["admin"])
    opd = dunia["opd_a"].pk

    # when
    pages = {
        "review": client.get(f"/tpp/periode/2026/3/opd/{opd}/"),
        "search": client.get(f"/tpp/periode/2026/3/opd/{opd}/?q={nip[:8]}", HTTP_HX_REQUEST="true"),
        "slip": client.get(f"/tpp/slip/{dunia['slip_a'].pk}/"),
        "kinerja": client.get("/tpp/kinerja/?tahun=2026&bulan=3"),
    }

    # then every page prints the formatted NIP, never the bare digits
    for name, response in pages.items():
        html = response.content.decode()
        assert (name, response.status_code, nip_display in html, nip in html) == (name, 200, True, False)


def test_opd_search_box_is_a_labelled_field_in_a_search_form(dunia, sumedang, client_for):
    # given
    client = _client(client_for, sumedang, dunia["admin"])
    url = f"/tpp/periode/2026/3/opd/{dunia['opd_a'].pk}/"

    # when the page is opened, and the search submitted without JavaScript
    html = client.get(url).content.decode()
    found = client.get(url, {"q": dunia["a"].nama}).content.decode()

    # then the box sits in a field wrapper (label above the input) inside a GET search form
    form = html[
        html.index('<form method="get" role="search"') : html.index("</form>", html.index('role="search"'))
    ]
    field = form[form.index('<div class="field">') :]
    assert field.index('<label for="cari">Cari nama atau NIP</label>') < field.index(
        '<input id="cari" name="q"'
    )
    assert f'value="{escape(dunia["a"].nama)}"' in found and dunia["a"].nip_display in found


# --- closing a month's presensi from TPP ----------------------------------------------------------

BUTTON_1 = "Tutup presensi 1 hari kerja yang belum ditutup"


def test_refused_month_offers_the_close_button_which_makes_it_computable(dunia, sumedang, client_for):
    # given April 2026 (never computed) with one working day presensi has not closed
    with schema_context(sumedang.schema_name):
        PenutupanHari.objects.filter(tanggal=D(2026, 4, 7)).delete()
    client = _client(client_for, sumedang, dunia["admin"])

    # when computing is refused
    refused = client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "4"})

    # then the refusal points to the button, which posts to the month's close action
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "dengan tombol “Tutup presensi 1 hari kerja yang belum ditutup” pada halaman TPP" in html
    assert BUTTON_1 in html and 'action="/tpp/periode/2026/4/tutup-presensi/"' in html

    # when the button is pressed
    closed = client.post("/tpp/periode/2026/4/tutup-presensi/", follow=True)

    # then the day is closed and the form comes back set to April, where computing now works
    assert closed.redirect_chain == [("/tpp/?tahun=2026&bulan=4", 302)]
    page = closed.content.decode()
    assert "Presensi 1 hari kerja ditutup. TPP bulan 4/2026 sekarang dapat dihitung." in page
    assert 'name="bulan" min="1" max="12" value="4"' in page and BUTTON_1 not in page
    with schema_context(sumedang.schema_name):
        assert PenutupanHari.objects.filter(tanggal=D(2026, 4, 7)).exists()
        assert StatusHarian.objects.filter(pegawai=dunia["b"], tanggal=D(2026, 4, 7), status="tk").exists()
    computed = client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "4"})
    assert (computed.status_code, computed["Location"]) == (302, "/tpp/periode/2026/4/")


def test_recompute_refused_on_the_month_page_offers_the_button_and_returns_there(dunia, sumedang, client_for):
    # given March 2026 computed, then one of its working days reopened
    with schema_context(sumedang.schema_name):
        PenutupanHari.objects.filter(tanggal=D(2026, 3, 30)).delete()
    client = _client(client_for, sumedang, dunia["admin"])

    # when recomputing is refused, the month page says so with the button
    refused = client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "3"})
    assert refused.status_code == 409
    assert "TPP bulan 3/2026" in refused.content.decode() and BUTTON_1 in refused.content.decode()
    assert 'action="/tpp/periode/2026/3/tutup-presensi/"' in refused.content.decode()

    # when the button is pressed / then back to the month page, where recomputing works
    closed = client.post("/tpp/periode/2026/3/tutup-presensi/")
    assert (closed.status_code, closed["Location"]) == (302, "/tpp/periode/2026/3/")
    assert BUTTON_1 not in client.get("/tpp/periode/2026/3/").content.decode()
    assert client.post("/tpp/hitung/", {"tahun": "2026", "bulan": "3"}).status_code == 302


def test_close_button_refused_for_unit_head_and_nothing_changes(dunia, sumedang, client_for):
    # given
    with schema_context(sumedang.schema_name):
        PenutupanHari.objects.filter(tanggal=D(2026, 4, 7)).delete()
    client = _client(client_for, sumedang, dunia["kepala"])

    # when
    page = client.post("/tpp/periode/2026/4/tutup-presensi/")
    api = client.post("/api/v1/tpp/periode/2026/4/tutup-presensi/")

    # then
    assert (page.status_code, api.status_code) == (403, 403)
    with schema_context(sumedang.schema_name):
        assert not PenutupanHari.objects.filter(tanggal=D(2026, 4, 7)).exists()
        assert not StatusHarian.objects.filter(tanggal=D(2026, 4, 7)).exists()


def test_close_api_closes_the_month_then_the_api_computes_it(dunia, sumedang, client_for):
    # given
    with schema_context(sumedang.schema_name):
        PenutupanHari.objects.filter(tanggal__in=[D(2026, 4, 7), D(2026, 4, 8)]).delete()
    client = _client(client_for, sumedang, dunia["admin"])

    # when
    closed = client.post("/api/v1/tpp/periode/2026/4/tutup-presensi/")
    again = client.post("/api/v1/tpp/periode/2026/4/tutup-presensi/")
    computed = client.post(
        "/api/v1/tpp/periode/", {"tahun": 2026, "bulan": 4}, content_type="application/json"
    )

    # then
    assert (closed.status_code, closed.json()) == (200, {"tahun": 2026, "bulan": 4, "hari_ditutup": 2})
    assert again.json()["hari_ditutup"] == 0
    assert (computed.status_code, computed.json()["bulan"]) == (200, 4)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert paths["/api/v1/tpp/periode/{tahun}/{bulan}/tutup-presensi/"]["post"]["summary"] == (
        "Close the month's working days presensi never closed (admin pemda)"
    )


def test_current_month_page_offers_no_lock_and_the_lock_is_refused(dunia, sumedang, client_for):
    # given the current month computed
    with schema_context(sumedang.schema_name):
        hari_ini = timezone.localdate(timezone=tenant_zone())
        tpp_periode_hitung(actor=dunia["admin"], tahun=hari_ini.year, bulan=hari_ini.month)
    client = _client(client_for, sumedang, dunia["admin"])
    url = f"/tpp/periode/{hari_ini.year}/{hari_ini.month}/"

    # when
    page = client.get(url).content.decode()
    locked = client.post(f"{url}kunci/")

    # then the page says why there is no lock button, and a lock posted anyway is refused
    assert "Setujui dan kunci" not in page
    assert "Bulan ini masih berjalan: angkanya sementara dan baru dapat dikunci" in page
    assert locked.status_code == 409
    assert "belum dapat dikunci karena bulan itu masih berjalan" in locked.content.decode()
    with schema_context(sumedang.schema_name):
        assert TppPeriode.objects.get(tahun=hari_ini.year, bulan=hari_ini.month).status == "dihitung"


def test_compute_form_offers_last_month_by_default(sumedang, client_for):
    # given the regency admin on the TPP page on 5 December 2026
    from unittest import mock

    with schema_context(sumedang.schema_name):
        client = _client(client_for, sumedang, User.objects.get(username="admin.sumedang"))
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 5)):
        response = client.get("/tpp/")
    assert response.status_code == 200, response
    html = response.content.decode()
    # then the form is filled in with November, the month paid in December
    assert re.search(r'name="bulan"[^>]*value="11"', html) and re.search(
        r'name="tahun"[^>]*value="2026"', html
    )
