"""KGB pages and API: scope, refusals as 4xx, the letter PDF, the salary lookup endpoint."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from modules.kepegawaian.models import RiwayatGaji
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.kgb.models import Kgb

pytestmark = pytest.mark.django_db


@pytest.fixture
def kgb_dunia(sumedang):
    """A PNS whose KGB falls in about three months, with a draft; a signer; an employee account."""
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        unit = UnitFactory(nama="Dinas KGB")
        today = timezone.localdate()
        first = today.replace(day=1)
        tmt_golongan = first.replace(year=first.year - 2) + datetime.timedelta(days=95)
        tmt_golongan = tmt_golongan.replace(day=1)
        pegawai = PegawaiFactory(
            unit=unit, golongan="III/b", tmt_golongan=tmt_golongan, mkg_tahun=4, mkg_bulan=0
        )
        kepala = PegawaiFactory(
            unit=unit, jabatan=JabatanFactory(unit=unit, nama="Kepala Dinas KGB", is_kepala_unit=True)
        )
        lain = PegawaiFactory(unit=UnitFactory(nama="Dinas Lain"))
        user_lain = User.objects.create_user(
            username=lain.nip, email="lain@uji.go.id", nama=lain.nama, password="x", peran="pegawai"
        )
        lain.user = user_lain
        lain.save(update_fields=["user"])
        yield {"admin": admin, "pegawai": pegawai, "kepala": kepala, "user_lain": user_lain}


def _client(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def test_upcoming_page_lists_the_raise_and_draft_then_issue(kgb_dunia, sumedang, client_for):
    # given
    client = _client(client_for, sumedang, kgb_dunia["admin"])
    pegawai = kgb_dunia["pegawai"]

    # when
    page = client.get("/kgb/")
    draft = client.post(f"/kgb/pegawai/{pegawai.pk}/draf/")
    with schema_context(sumedang.schema_name):
        kgb = Kgb.objects.get(pegawai=pegawai)
    bad = client.post(f"/kgb/{kgb.pk}/terbitkan/", {"nomor_surat": "", "tanggal_surat": "bukan tanggal"})
    issued = client.post(
        f"/api/v1/kgb/{kgb.pk}/terbitkan/",
        {
            "nomor_surat": "822.3/77-BKPSDM",
            "tanggal_surat": timezone.localdate().isoformat(),
            "penandatangan_id": kgb_dunia["kepala"].pk,
        },
        content_type="application/json",
    )
    pdf = client.get(f"/kgb/{kgb.pk}/surat.pdf")

    # then
    assert page.status_code == 200
    assert pegawai.nip_display in page.content.decode()
    assert draft.status_code == 302
    assert bad.status_code == 400
    assert "Isi tanggal dengan format TTTT-BB-HH." in bad.content.decode()
    assert issued.status_code == 200, issued.content
    assert issued.json()["status"] == "diterbitkan"
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    with schema_context(sumedang.schema_name):
        # III/b MKG 4 → 6: 3,089,300 → 3,186,600 (PP 5/2024 rows III/b 4 and 6)
        assert (issued.json()["gaji_lama"], issued.json()["gaji_baru"]) == (3_089_300, 3_186_600)
        assert RiwayatGaji.objects.get(pegawai=pegawai, jenis="kgb").gaji_pokok == 3_186_600


def test_employee_of_another_unit_cannot_open_the_letter(kgb_dunia, sumedang, client_for):
    # given a draft for the PNS and an employee of another unit
    admin = _client(client_for, sumedang, kgb_dunia["admin"])
    admin.post(f"/kgb/pegawai/{kgb_dunia['pegawai'].pk}/draf/")
    with schema_context(sumedang.schema_name):
        kgb = Kgb.objects.get(pegawai=kgb_dunia["pegawai"])
        client = _client(client_for, sumedang, kgb_dunia["user_lain"])

    # when
    page = client.get(f"/kgb/{kgb.pk}/")
    pdf = client.get(f"/kgb/{kgb.pk}/surat.pdf")
    api = client.get(f"/api/v1/kgb/{kgb.pk}/")
    postpone = client.post(
        f"/api/v1/kgb/{kgb.pk}/tunda/",
        {"alasan": "Tidak memenuhi syarat", "ditunda_sampai": "2099-01-01"},
        content_type="application/json",
    )

    # then
    assert (page.status_code, pdf.status_code, api.status_code, postpone.status_code) == (404, 404, 404, 404)
    with schema_context(sumedang.schema_name):
        assert Kgb.objects.get(pk=kgb.pk).status == Kgb.Status.DRAF


def test_gaji_pokok_api_says_when_past_last_row(sumedang, client_for):
    with schema_context(sumedang.schema_name):
        client = _client(client_for, sumedang, User.objects.get(username="admin.sumedang"))

    ok = client.get("/api/v1/kgb/gaji-pokok/", {"golongan": "II/b", "mkg_tahun": 33})
    bad = client.get("/api/v1/kgb/gaji-pokok/", {"golongan": "V/a", "mkg_tahun": 3})

    assert ok.status_code == 200
    assert (ok.json()["gaji_pokok"], ok.json()["melewati_tabel"]) == (3_681_600, True)
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"golongan": ["Golongan tidak dikenal untuk PNS."]}


def test_overdue_raise_shows_first_in_red_on_the_page_and_in_the_api(sumedang, client_for):
    # given a PNS III/a whose raise fell due on the first of last month and was never processed
    with schema_context(sumedang.schema_name):
        admin = User.objects.get(username="admin.sumedang")
        today = timezone.localdate()
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        pegawai = PegawaiFactory(
            nama="Pegawai Terlambat",
            unit=UnitFactory(nama="Dinas Terlambat"),
            golongan="III/a",
            tmt_golongan=last_month.replace(year=last_month.year - 2),
            mkg_tahun=0,
            mkg_bulan=0,
        )
        client = _client(client_for, sumedang, admin)

        # when
        page = client.get("/kgb/")
        api = client.get("/api/v1/kgb/mendatang/")

    # then the page has an overdue section before everything else, with the delay in a red badge
    html = page.content.decode()
    content = html[html.index("<h1>Kenaikan gaji berkala") :]
    start = content.index('<h2 id="terlambat-judul"')
    section = content[start : content.index("</section>", start)]
    assert content.index("<h2") == start
    assert "Pegawai Terlambat" in section and pegawai.nip_display in section
    assert 'class="badge badge--danger">terlambat ' in section
    # and the API lists it first among its rows, marked overdue
    rows = api.json()
    mine = [r for r in rows if r["pegawai_id"] == pegawai.pk]
    assert [(r["tmt"], r["terlambat"], r["terlambat_hari"]) for r in mine] == [
        (last_month.isoformat(), True, (today - last_month).days)
    ]
    assert all(r["terlambat"] for r in rows[: rows.index(mine[0]) + 1])


def test_draft_list_prints_the_nip_formatted(kgb_dunia, sumedang, client_for):
    # given a draft awaiting issue
    client = _client(client_for, sumedang, kgb_dunia["admin"])
    pegawai = kgb_dunia["pegawai"]
    client.post(f"/kgb/pegawai/{pegawai.pk}/draf/")

    # when
    html = client.get("/kgb/").content.decode()

    # then the drafts panel (and the upcoming list) print it as kepegawaian does
    drafts = html[html.index('id="draf-judul"') : html.index("</section>", html.index('id="draf-judul"'))]
    assert pegawai.nip_display in drafts
    assert pegawai.nip not in html
