"""Serapan anggaran (budget absorption per OPD) as the third TPP component: the Perbup weight, the
monthly value per OPD (service, page, API), and the run that reads it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import AksesUnit
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.tpp.demo import perbup_demo_data
from modules.tpp.models import KinerjaBulanan, PerbupTpp, SerapanAnggaran, TppBaris, TppPeriode
from modules.tpp.selectors import slip_lines
from modules.tpp.services import (
    kinerja_set,
    perbup_tpp_create,
    serapan_anggaran_set,
    tpp_periode_hitung,
    tpp_periode_kunci,
)
from modules.tpp.tests.helpers import presensi_tutup_2025_2026

D = datetime.date
pytestmark = pytest.mark.django_db


def _data_80_10_10(**kwargs):
    data = perbup_demo_data(**kwargs)
    data["parameter"].update(bobot_kinerja="80", bobot_disiplin="10", bobot_serapan="10")
    return data


def _akun(pegawai, peran="pegawai"):
    user = User.objects.create_user(
        username=pegawai.nip, email=f"{pegawai.nip}@uji.go.id", nama=pegawai.nama, password="x", peran=peran
    )
    pegawai.user = user
    pegawai.save(update_fields=["user"])
    return user


@pytest.fixture
def kota(sumedang):
    """Pemda → Dinas A (with Bidang A1) and Dinas B; one kelas-9 employee in each (kinerja 90 in
    March 2026), the head of Dinas A as pimpinan; Perbup 80/10/10 from January 2026."""
    with schema_context(sumedang.schema_name):
        presensi_tutup_2025_2026()
        admin = User.objects.get(username="admin.sumedang")
        perbup = perbup_tpp_create(
            actor=admin, **_data_80_10_10(nomor="Perbup 2/2026", berlaku_mulai=D(2026, 1, 1))
        )
        root = UnitFactory(nama="Pemda Uji", jenis="pemda")
        opd_a = UnitFactory(nama="Dinas A", parent=root)
        opd_b = UnitFactory(nama="Dinas B", parent=root)
        bidang_a = UnitFactory(nama="Bidang A1", jenis="bidang", parent=opd_a)
        pegawai_a = PegawaiFactory(unit=bidang_a, jabatan=JabatanFactory(unit=bidang_a, kelas_jabatan=9))
        pegawai_b = PegawaiFactory(unit=opd_b, jabatan=JabatanFactory(unit=opd_b, kelas_jabatan=9))
        kepala_a = PegawaiFactory(
            unit=opd_a, jabatan=JabatanFactory(unit=opd_a, kelas_jabatan=14, is_kepala_unit=True, jenis="jpt")
        )
        for p in (pegawai_a, pegawai_b):
            kinerja_set(actor=admin, pegawai=p, tahun=2026, bulan=3, nilai="90")
        user_kepala = _akun(kepala_a, peran="pimpinan")
        AksesUnit.objects.create(user=user_kepala, unit=opd_a)
        yield {
            "admin": admin,
            "perbup": perbup,
            "opd_a": opd_a,
            "opd_b": opd_b,
            "bidang_a": bidang_a,
            "a": pegawai_a,
            "b": pegawai_b,
            "kepala": user_kepala,
            "user_a": _akun(pegawai_a),
        }


# --- Perbup weights ------------------------------------------------------------------------------


def test_perbup_80_10_10_is_stored_and_60_40_defaults_serapan_to_zero(kota):
    # given the fixture's 80/10/10 Perbup and a 60/40 one that leaves serapan out
    data = perbup_demo_data(nomor="Perbup 9/2027", berlaku_mulai=D(2027, 1, 1))
    assert "bobot_serapan" not in data["parameter"]

    # when
    lama = perbup_tpp_create(actor=kota["admin"], **data)

    # then
    assert (kota["perbup"].bobot_kinerja, kota["perbup"].bobot_disiplin, kota["perbup"].bobot_serapan) == (
        Decimal(80),
        Decimal(10),
        Decimal(10),
    )
    assert lama.bobot_serapan == Decimal(0)


@pytest.mark.parametrize(
    ("bobot", "fields"),
    [
        (
            {"bobot_kinerja": "80", "bobot_disiplin": "10", "bobot_serapan": "20"},
            {
                name: [
                    "Bobot kinerja + bobot disiplin + bobot serapan anggaran harus 100 persen (sekarang 110)."
                ]
                for name in ("bobot_kinerja", "bobot_disiplin", "bobot_serapan")
            },
        ),
        (
            {"bobot_kinerja": "80", "bobot_disiplin": "10", "bobot_serapan": "sepuluh"},
            {"bobot_serapan": ["Isi angka 0–100."]},
        ),
        (
            {"bobot_kinerja": "110", "bobot_disiplin": "10", "bobot_serapan": "-20"},
            {"bobot_kinerja": ["Isi angka 0–100."]},
        ),
    ],
    ids=["jumlah_110", "bukan_angka", "di_luar_0_100"],
)
def test_perbup_weights_refused_with_field_errors(kota, bobot, fields):
    # given
    data = perbup_demo_data(nomor="Perbup 9/2027", berlaku_mulai=D(2027, 1, 1))
    data["parameter"].update(bobot)

    # when
    with pytest.raises(ApplicationError) as caught:
        perbup_tpp_create(actor=kota["admin"], **data)

    # then
    assert caught.value.fields == fields
    assert not PerbupTpp.objects.filter(nomor="Perbup 9/2027").exists()


def test_database_refuses_weights_not_adding_up_to_100(kota):
    # given a row that bypasses the service
    perbup = PerbupTpp(
        nomor="Perbup X",
        berlaku_mulai=D(2028, 1, 1),
        bobot_kinerja=80,
        bobot_disiplin=10,
        bobot_serapan=20,
        potongan_tk_per_hari=3,
    )

    # when / then: validation names the rule, and the database refuses it even without validation
    with pytest.raises(ValidationError) as caught:
        perbup.full_clean()
    assert caught.value.messages == [
        "Bobot kinerja, bobot disiplin dan bobot serapan anggaran harus berjumlah 100 persen."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        perbup.save()


# --- the monthly run -----------------------------------------------------------------------------


def test_run_gives_each_opd_its_serapan_and_flags_a_missing_one(kota):
    # given Dinas A absorbed 92.5% of its March budget; Dinas B has no value yet
    serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_a"], tahun=2026, bulan=3, nilai="92,5")

    # when
    periode = tpp_periode_hitung(actor=kota["admin"], tahun=2026, bulan=3)

    # then A (in Bidang A1, OPD Dinas A): kinerja 6,000,000 × 80% × 90% = 4,320,000; disiplin
    # 6,000,000 × 10% = 600,000; serapan 600,000 × 92.5% = 555,000; bruto 5,475,000.
    a = TppBaris.objects.get(periode=periode, pegawai=kota["a"])
    assert (a.komponen_kinerja, a.komponen_disiplin, a.komponen_serapan, a.bruto) == (
        4_320_000,
        600_000,
        555_000,
        5_475_000,
    )
    assert (a.serapan_nilai, a.perlu_perhatian) == (Decimal("92.5"), False)
    # B: serapan counts 0 and the line needs attention: 4,320,000 + 600,000 = 4,920,000.
    b = TppBaris.objects.get(periode=periode, pegawai=kota["b"])
    assert (b.komponen_serapan, b.bruto, b.serapan_nilai, b.perlu_perhatian) == (0, 4_920_000, None, True)
    with translation.override("id"):
        assert {"uraian": "Serapan anggaran Dinas A Maret 2026: 92,5% × bobot 10%", "nilai": "Rp555.000"} in (
            slip_lines(baris=a)
        )
        assert {
            "uraian": "Serapan anggaran Dinas B Maret 2026 belum diisi: komponen serapan anggaran (bobot 10%) Rp0",
            "nilai": "Rp0",
        } in slip_lines(baris=b)


def test_entering_serapan_recomputes_the_opd_lines_and_is_audited(kota):
    # given March computed without Dinas B's value
    periode = tpp_periode_hitung(actor=kota["admin"], tahun=2026, bulan=3)

    # when
    serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_b"], tahun=2026, bulan=3, nilai="80")
    serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_b"], tahun=2026, bulan=3, nilai="85")

    # then 600,000 × 85% = 510,000, and both writes are audited with the value before
    b = TppBaris.objects.get(periode=periode, pegawai=kota["b"])
    assert (b.komponen_serapan, b.bruto, b.perlu_perhatian) == (510_000, 5_430_000, False)
    events = AuditEvent.objects.filter(action="tpp.serapan_anggaran_set").order_by("id")
    assert [(e.before, e.after["nilai"]) for e in events] == [(None, "80"), ({"nilai": "80.00"}, "85")]
    assert SerapanAnggaran.objects.get(opd=kota["opd_b"], tahun=2026, bulan=3).nilai == Decimal(85)


def test_query_count_with_serapan_does_not_grow_with_employees(kota):
    # given a regency that grows from 3 to 15 more employees over two OPDs with serapan values
    admin = kota["admin"]
    for opd, nilai in ((kota["opd_a"], "90"), (kota["opd_b"], "70")):
        serapan_anggaran_set(actor=admin, opd=opd, tahun=2026, bulan=6, nilai=nilai)

    def run(n: int) -> int:
        for i in range(n):
            unit = kota["bidang_a"] if i % 2 else kota["opd_b"]
            p = PegawaiFactory(unit=unit, jabatan=JabatanFactory(unit=unit, kelas_jabatan=9))
            KinerjaBulanan.objects.create(pegawai=p, tahun=2026, bulan=6, nilai=80, sumber="atasan")
        TppPeriode.objects.filter(tahun=2026, bulan=6).delete()
        with CaptureQueriesContext(connection) as queries:
            tpp_periode_hitung(actor=admin, tahun=2026, bulan=6)
        return len(queries)

    # when
    small = run(3)
    large = run(15)

    # then
    assert small == large
    lines = TppBaris.objects.filter(periode__bulan=6, opd__in=[kota["opd_a"], kota["opd_b"]])
    assert lines.count() == 3 + 18  # the fixture's three and the eighteen added
    assert not lines.filter(komponen_serapan=0).exists()


# --- entering serapan: refusals ------------------------------------------------------------------


def test_locked_month_refuses_serapan_and_nothing_changes(kota):
    # given March computed and locked with Dinas A at 92.5%
    serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_a"], tahun=2026, bulan=3, nilai="92.5")
    periode = tpp_periode_hitung(actor=kota["admin"], tahun=2026, bulan=3)
    tpp_periode_kunci(actor=kota["admin"], periode=periode)

    # when
    with pytest.raises(ApplicationError) as caught:
        serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_a"], tahun=2026, bulan=3, nilai="50")

    # then
    assert (caught.value.code, caught.value.status) == ("periode_terkunci", 409)
    assert SerapanAnggaran.objects.get(opd=kota["opd_a"], tahun=2026, bulan=3).nilai == Decimal("92.5")
    assert TppBaris.objects.get(periode=periode, pegawai=kota["a"]).komponen_serapan == 555_000


@pytest.mark.parametrize("peran", ["pimpinan", "admin_opd", "pegawai"])
def test_only_admin_pemda_enters_serapan(kota, peran):
    # given the head of Dinas A with another role
    user = kota["kepala"]
    user.peran = peran
    user.save(update_fields=["peran"])

    # when
    with pytest.raises(ApplicationError) as caught:
        serapan_anggaran_set(actor=user, opd=kota["opd_a"], tahun=2026, bulan=3, nilai="90")

    # then
    assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
    assert not SerapanAnggaran.objects.exists()
    assert not AuditEvent.objects.filter(action="tpp.serapan_anggaran_set").exists()


@pytest.mark.parametrize(
    ("nilai", "message"),
    [
        ("sembilan puluh", "Realisasi serapan anggaran harus angka persen 0–100."),
        ("100,5", "Realisasi serapan anggaran harus angka 0–100 dengan paling banyak dua desimal."),
        ("-1", "Realisasi serapan anggaran harus angka 0–100 dengan paling banyak dua desimal."),
        ("92,555", "Realisasi serapan anggaran harus angka 0–100 dengan paling banyak dua desimal."),
        ("NaN", "Realisasi serapan anggaran harus angka 0–100 dengan paling banyak dua desimal."),
    ],
)
def test_bad_serapan_value_is_a_field_error(kota, nilai, message):
    with pytest.raises(ApplicationError) as caught:
        serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_a"], tahun=2026, bulan=3, nilai=nilai)

    assert (caught.value.message, caught.value.fields) == (
        message,
        {"nilai": ["Isi angka 0–100, misalnya 92,5."]},
    )
    assert not SerapanAnggaran.objects.exists()


def test_serapan_only_for_an_opd_not_a_bidang(kota):
    with pytest.raises(ApplicationError) as caught:
        serapan_anggaran_set(actor=kota["admin"], opd=kota["bidang_a"], tahun=2026, bulan=3, nilai="90")

    assert caught.value.fields == {"opd_id": ["Pilih OPD (unit tepat di bawah pemda)."]}


# --- page and API --------------------------------------------------------------------------------


def _client(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def test_api_sets_and_lists_serapan_with_field_errors(kota, sumedang, client_for):
    client = _client(client_for, sumedang, kota["admin"])
    url = "/api/v1/tpp/serapan/"

    # when
    ok = client.put(
        url,
        {"opd_id": kota["opd_a"].pk, "tahun": 2026, "bulan": 3, "nilai": "92,5"},
        content_type="application/json",
    )
    bad = client.put(
        url,
        {"opd_id": kota["opd_a"].pk, "tahun": 2026, "bulan": 3, "nilai": "banyak"},
        content_type="application/json",
    )
    no_month = client.put(
        url, {"opd_id": kota["opd_a"].pk, "tahun": 2026, "nilai": "90"}, content_type="application/json"
    )
    bidang = client.put(
        url,
        {"opd_id": kota["bidang_a"].pk, "tahun": 2026, "bulan": 3, "nilai": "90"},
        content_type="application/json",
    )
    listed = client.get(url, {"tahun": 2026, "bulan": 3})
    no_filter = client.get(url)

    # then
    assert (ok.status_code, ok.json()) == (
        200,
        {"opd_id": kota["opd_a"].pk, "tahun": 2026, "bulan": 3, "nilai": "92.50"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"nilai": ["Isi angka 0–100, misalnya 92,5."]}
    assert (no_month.status_code, list(no_month.json()["error"]["fields"])) == (400, ["bulan"])
    assert (bidang.status_code, bidang.json()["error"]["fields"]) == (
        404,
        {"opd_id": ["Pilih OPD (unit tepat di bawah pemda)."]},
    )
    rows = {row["nama_opd"]: row["nilai"] for row in listed.json()}
    assert (rows["Dinas A"], rows["Dinas B"]) == ("92.50", None)
    assert "Bidang A1" not in rows
    assert (no_filter.status_code, sorted(no_filter.json()["error"]["fields"])) == (400, ["bulan", "tahun"])


def test_api_refuses_non_admin_and_locked_month(kota, sumedang, client_for):
    # given March locked
    admin = kota["admin"]
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
    tpp_periode_kunci(actor=admin, periode=periode)
    body = {"opd_id": kota["opd_a"].pk, "tahun": 2026, "bulan": 3, "nilai": "90"}

    # when
    kepala = _client(client_for, sumedang, kota["kepala"]).put(
        "/api/v1/tpp/serapan/", body, content_type="application/json"
    )
    pegawai_list = _client(client_for, sumedang, kota["user_a"]).get(
        "/api/v1/tpp/serapan/?tahun=2026&bulan=3"
    )
    locked = _client(client_for, sumedang, admin).put(
        "/api/v1/tpp/serapan/", body, content_type="application/json"
    )

    # then
    assert (kepala.status_code, kepala.json()["error"]["code"]) == (403, "permission_denied")
    assert pegawai_list.status_code == 403
    assert (locked.status_code, locked.json()["error"]["code"]) == (409, "periode_terkunci")
    with schema_context(sumedang.schema_name):
        assert not SerapanAnggaran.objects.exists()


def test_serapan_page_inline_edit_keeps_input_on_error(kota, sumedang, client_for):
    client = _client(client_for, sumedang, kota["admin"])

    # when
    page = client.get("/tpp/serapan/?tahun=2026&bulan=3")
    bad = client.post(
        "/tpp/serapan/?tahun=2026&bulan=3",
        {"opd_id": kota["opd_a"].pk, "nilai": "12x"},
        HTTP_HX_REQUEST="true",
    )
    good = client.post(
        "/tpp/serapan/?tahun=2026&bulan=3",
        {"opd_id": kota["opd_a"].pk, "nilai": "92,5"},
        HTTP_HX_REQUEST="true",
    )

    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dinas A" in html and "Dinas B" in html and "Bidang A1" not in html
    assert bad.status_code == 400
    assert "Realisasi serapan anggaran harus angka persen 0–100." in bad.content.decode()
    assert 'value="12x"' in bad.content.decode()
    assert good.status_code == 200
    assert "tersimpan" in good.content.decode()
    with schema_context(sumedang.schema_name):
        assert SerapanAnggaran.objects.get(opd=kota["opd_a"], tahun=2026, bulan=3).nilai == Decimal("92.5")


def test_serapan_page_only_for_admin_pemda(kota, sumedang, client_for):
    client = _client(client_for, sumedang, kota["kepala"])

    page = client.get("/tpp/serapan/")
    post = client.post("/tpp/serapan/?tahun=2026&bulan=3", {"opd_id": kota["opd_a"].pk, "nilai": "90"})

    assert (page.status_code, post.status_code) == (403, 403)
    with schema_context(sumedang.schema_name):
        assert not SerapanAnggaran.objects.exists()


def test_review_exports_and_perbup_page_show_the_serapan_component(kota, sumedang, client_for):
    # given March computed with Dinas A at 92.5%
    with schema_context(sumedang.schema_name):
        serapan_anggaran_set(actor=kota["admin"], opd=kota["opd_a"], tahun=2026, bulan=3, nilai="92.5")
        tpp_periode_hitung(actor=kota["admin"], tahun=2026, bulan=3)
    client = _client(client_for, sumedang, kota["admin"])

    # when
    review = client.get("/tpp/periode/2026/3/")
    rekap = client.get("/api/v1/tpp/periode/2026/3/rekap/")
    opd_page = client.get(f"/tpp/periode/2026/3/opd/{kota['opd_a'].pk}/")
    xlsx = client.get("/tpp/periode/2026/3/payroll.xlsx")
    pdf = client.get(f"/tpp/periode/2026/3/opd/{kota['opd_a'].pk}/rekap.pdf")
    perbup_page = client.get("/tpp/perbup/")
    form = client.get("/tpp/perbup/baru/")

    # then
    assert "Serapan anggaran" in review.content.decode()
    totals = {row["nama_opd"]: row["serapan"] for row in rekap.json()}
    # Dinas A: 555,000 (kelas 9) + 18,000,000 × 10% × 92.5% = 1,665,000 (its head, kelas 14).
    assert (totals["Dinas A"], totals["Dinas B"]) == (2_220_000, 0)
    assert "Rp555.000" in opd_page.content.decode()
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = next(sheet.iter_rows(values_only=True))
    rows = {
        row[0]: dict(zip(header, row, strict=False))
        for row in sheet.iter_rows(values_only=True)
        if row and row[0]
    }
    assert (
        rows[kota["a"].nip]["Nilai serapan anggaran OPD"],
        rows[kota["a"].nip]["Komponen serapan anggaran"],
    ) == (
        92.5,
        555_000,
    )
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    assert "80% / 10% / 10%" in perbup_page.content.decode()
    assert 'name="bobot_serapan" value="10.00"' in form.content.decode()
