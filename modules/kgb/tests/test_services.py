"""KGB reminders, postponement and issue against the database."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import Pegawai, RiwayatGaji
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory
from modules.kgb.documents import surat_kgb_html, surat_kgb_pdf
from modules.kgb.models import Kgb
from modules.kgb.selectors import kgb_mendatang, rencana_list
from modules.kgb.services import kgb_draf_buat, kgb_pengingat_jalankan, kgb_terbitkan, kgb_tunda

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(sumedang):
    with schema_context(sumedang.schema_name):
        yield User.objects.get(username="admin.sumedang")


def _pns(**kwargs):
    # III/a, MKG 0 y 0 m on 1 Apr 2022: next KGB 1 Apr 2024 (MKG 2), 2,785,700 → 2,873,500.
    defaults = {"golongan": "III/a", "tmt_golongan": D(2022, 4, 1), "mkg_tahun": 0, "mkg_bulan": 0}
    return PegawaiFactory(**{**defaults, **kwargs})


def _run(hari_ini):
    return kgb_pengingat_jalankan(hari_ini=hari_ini)


def test_draft_appears_at_t_minus_120_not_a_day_earlier(admin):
    # given TMT 1 Apr 2024: T−120 is 3 Dec 2023 (29 days of December + 31 + 29 of leap February + 31)
    pegawai = _pns()

    # when
    _run(D(2023, 12, 2))
    before = Kgb.objects.filter(pegawai=pegawai).exists()
    on_day = _run(D(2023, 12, 3))

    # then
    assert before is False
    kgb = Kgb.objects.get(pegawai=pegawai)
    assert on_day.draf_baru >= 1
    assert (kgb.tmt, kgb.gaji_lama, kgb.gaji_baru, kgb.mkg_baru_tahun) == (
        D(2024, 4, 1),
        2_785_700,
        2_873_500,
        2,
    )


def test_alert_at_t_minus_60_once_if_unsigned(admin):
    # given a draft for TMT 1 Apr 2024; T−60 in a leap year is 1 Feb 2024 (29 + 31 days)
    pegawai = _pns()
    _run(D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)

    # when
    _run(D(2024, 1, 31))
    kgb.refresh_from_db()
    not_yet = kgb.pengingat_t60_pada
    _run(D(2024, 2, 1))
    _run(D(2024, 2, 2))  # idempotent

    # then
    kgb.refresh_from_db()
    assert not_yet is None
    assert kgb.pengingat_t60_pada is not None
    assert AuditEvent.objects.filter(action="kgb.peringatan_t60", target_id=str(kgb.pk)).count() == 1


def test_issue_records_riwayat_gaji_and_moves_next_kgb_two_years(admin):
    # given a draft and a signer
    pegawai = _pns()
    kepala = PegawaiFactory(
        unit=pegawai.unit,
        jabatan=JabatanFactory(unit=pegawai.unit, nama="Kepala Dinas Uji", is_kepala_unit=True),
    )
    _run(D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)

    # when
    kgb_terbitkan(
        actor=admin, kgb=kgb, nomor_surat="822.3/15-BKPSDM", tanggal_surat=D(2024, 2, 5), penandatangan=kepala
    )

    # then
    riwayat = RiwayatGaji.objects.get(pegawai=pegawai, jenis="kgb")
    assert (riwayat.tmt, riwayat.mkg_tahun, riwayat.gaji_pokok, riwayat.sk_nomor) == (
        D(2024, 4, 1),
        2,
        2_873_500,
        "822.3/15-BKPSDM",
    )
    [rencana] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=pegawai.pk))
    assert (rencana.berikutnya.tmt, rencana.berikutnya.gaji_baru.gaji_pokok) == (D(2026, 4, 1), 2_964_000)
    kgb.refresh_from_db()
    assert (kgb.status, kgb.penandatangan_nama, kgb.penandatangan_jabatan) == (
        Kgb.Status.DITERBITKAN,
        kepala.nama_lengkap,
        "Kepala Dinas Uji",
    )


def test_postponement_needs_reason_and_moves_the_raise(admin):
    # given a draft
    pegawai = _pns()
    _run(D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)

    # when: no reason → refused, nothing changed
    with pytest.raises(ApplicationError) as caught:
        kgb_tunda(actor=admin, kgb=kgb, alasan="", ditunda_sampai=D(2025, 4, 1))
    assert caught.value.fields == {"alasan": ["Tuliskan alasan penundaan (minimal 10 karakter)."]}
    kgb.refresh_from_db()
    assert kgb.status == Kgb.Status.DRAF

    # when: more than a year → refused
    with pytest.raises(ApplicationError) as caught:
        kgb_tunda(
            actor=admin, kgb=kgb, alasan="Predikat kinerja 2023 butuh perbaikan", ditunda_sampai=D(2025, 5, 1)
        )
    assert list(caught.value.fields) == ["ditunda_sampai"]

    # when: predikat below baik, six months
    kgb_tunda(
        actor=admin,
        kgb=kgb,
        alasan="Predikat kinerja 2023 butuh perbaikan",
        ditunda_sampai=D(2024, 10, 1),
        predikat_kinerja=Kgb.Predikat.BUTUH_PERBAIKAN,
    )

    # then the raise is due on 1 Oct 2024 and a new draft comes at its own T−120
    [rencana] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=pegawai.pk))
    assert rencana.berikutnya.tmt == D(2024, 10, 1)
    _run(D(2024, 6, 3))
    assert Kgb.objects.filter(pegawai=pegawai, tmt=D(2024, 10, 1), status=Kgb.Status.DRAF).exists()


def test_employee_cannot_issue(admin):
    pegawai = _pns()
    _run(D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)
    employee = User.objects.get(username="198609262015051001")

    with pytest.raises(ApplicationError) as caught:
        kgb_terbitkan(
            actor=employee, kgb=kgb, nomor_surat="1", tanggal_surat=D(2024, 2, 1), penandatangan=pegawai
        )

    assert caught.value.status == 403
    assert not RiwayatGaji.objects.filter(pegawai=pegawai).exists()


def test_cpns_letter_shows_80_percent_and_unsigned_mark(admin, sumedang):
    # given a CPNS III/a: 80% of 2,785,700 = 2,228,560 → 80% of 2,873,500 = 2,298,800
    pegawai = _pns(jenis_pegawai=Pegawai.JenisPegawai.CPNS)
    kepala = PegawaiFactory(unit=pegawai.unit)
    _run(D(2024, 1, 1))
    kgb = Kgb.objects.get(pegawai=pegawai)
    kgb_terbitkan(
        actor=admin, kgb=kgb, nomor_surat="822/9", tanggal_surat=D(2024, 2, 1), penandatangan=kepala
    )
    kgb.refresh_from_db()

    # when
    html = surat_kgb_html(kgb=kgb, tenant=sumedang)
    pdf = surat_kgb_pdf(kgb=kgb, tenant=sumedang)

    # then
    assert "Rp2.228.560 (80%)" in html
    assert "Rp2.298.800" in html
    assert "BELUM DITANDATANGANI SECARA ELEKTRONIK" in html
    assert "PEMERINTAH KABUPATEN SUMEDANG" in html
    assert "1 April 2024" in html
    assert f"NIP {kepala.nip_display}" in html and kepala.nip not in html
    assert f": {pegawai.nip_display}" in html
    assert pdf.startswith(b"%PDF-")


def test_no_kgb_at_top_of_table(admin):
    pegawai = _pns(golongan="IV/e", mkg_tahun=32)
    [rencana] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=pegawai.pk))
    assert (rencana.berikutnya, rencana.masalah) == (None, "Sudah mencapai MKG tertinggi pada tabel gaji.")


@pytest.mark.parametrize(
    ("utc_now", "expected"),
    [
        # 17:30 UTC on 2 Dec is 00:30 on 3 Dec in WIB: T−120 of 1 Apr 2024 has arrived in Sumedang.
        ("2023-12-02T17:30:00Z", True),
        # 16:30 UTC is still 23:30 on 2 Dec in WIB: not yet.
        ("2023-12-02T16:30:00Z", False),
    ],
)
def test_daily_task_judges_the_date_in_the_tenant_zone(admin, utc_now, expected):
    # given
    from freezegun import freeze_time

    from modules.kgb.tasks import pengingat_harian

    pegawai = _pns()

    # when
    with freeze_time(utc_now):
        pengingat_harian.run()

    # then
    assert Kgb.objects.filter(pegawai=pegawai, tmt=D(2024, 4, 1)).exists() is expected


def test_overdue_raise_is_listed_first_with_its_delay_until_processed(admin):
    # given a raise due 1 Apr 2024 never processed, one due in June, and one due in March whose
    # letter was issued (its next raise is two years later)
    terlambat = _pns(nama="Terlambat")
    mendatang = _pns(nama="Mendatang", tmt_golongan=D(2022, 6, 1))
    terbit = _pns(nama="Terbit", tmt_golongan=D(2022, 3, 1))
    kepala = PegawaiFactory(unit=terbit.unit, jabatan=JabatanFactory(unit=terbit.unit, is_kepala_unit=True))
    [rencana_terbit] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=terbit.pk))
    kgb_terbitkan(
        actor=admin,
        kgb=kgb_draf_buat(rencana=rencana_terbit, actor=admin),
        nomor_surat="822/1",
        tanggal_surat=D(2024, 2, 1),
        penandatangan=kepala,
    )
    ids = {terlambat.pk, mendatang.pk, terbit.pk}

    # when the list is read on 1 May 2024
    rows = [
        r
        for r in kgb_mendatang(user=admin, hari_ini=D(2024, 5, 1), sampai=D(2025, 5, 1))
        if r.pegawai.pk in ids
    ]

    # then the overdue raise comes first, 30 days late; the issued one is not overdue
    assert [(r.pegawai.nama, r.berikutnya.tmt, r.terlambat_hari) for r in rows] == [
        ("Terlambat", D(2024, 4, 1), 30),
        ("Mendatang", D(2024, 6, 1), 0),
    ]


def test_overdue_raise_stays_listed_with_its_draft_and_leaves_when_postponed(admin):
    # given an overdue raise whose draft exists but was neither issued nor postponed
    pegawai = _pns()
    [rencana] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=pegawai.pk))
    kgb = kgb_draf_buat(rencana=rencana, actor=admin)

    def terlambat_hari():
        return [
            r.terlambat_hari
            for r in kgb_mendatang(user=admin, hari_ini=D(2024, 4, 3), sampai=D(2024, 4, 3))
            if r.pegawai.pk == pegawai.pk
        ]

    # when / then: listed as overdue while a draft
    assert terlambat_hari() == [2]

    # when postponed to 1 Oct 2024 / then no longer overdue (and beyond the look-ahead)
    kgb_tunda(
        actor=admin,
        kgb=kgb,
        alasan="Predikat kinerja 2023 butuh perbaikan",
        ditunda_sampai=D(2024, 10, 1),
        predikat_kinerja=Kgb.Predikat.BUTUH_PERBAIKAN,
    )
    assert terlambat_hari() == []


def test_reminder_pass_drafts_an_overdue_raise_and_alerts_once(admin):
    # given a raise due 1 Apr 2024 with no draft (the pass never ran before its TMT)
    pegawai = _pns()

    # when the pass runs after the TMT, twice
    _run(D(2024, 5, 1))
    _run(D(2024, 5, 2))

    # then one draft for that TMT, with one alert and one audit row
    kgb = Kgb.objects.get(pegawai=pegawai)
    assert (kgb.tmt, kgb.status, kgb.gaji_baru) == (D(2024, 4, 1), Kgb.Status.DRAF, 2_873_500)
    assert kgb.pengingat_t60_pada is not None
    assert AuditEvent.objects.filter(action="kgb.draf", target_id=str(kgb.pk)).count() == 1
    assert AuditEvent.objects.filter(action="kgb.peringatan_t60", target_id=str(kgb.pk)).count() == 1


def test_reminder_pass_leaves_a_raise_overdue_by_more_than_a_period_undrafted(admin):
    # given a raise due 1 Apr 2024 and the pass first running more than two years later (a raise
    # in between must be missing from the salary history)
    pegawai = _pns()

    # when
    _run(D(2026, 4, 1))
    _run(D(2026, 4, 2))

    # then no draft (one KGB period after the TMT has passed); the raise stays listed as overdue
    assert not Kgb.objects.filter(pegawai=pegawai).exists()
    [row] = [
        r
        for r in kgb_mendatang(user=admin, hari_ini=D(2026, 4, 2), sampai=D(2026, 4, 2))
        if r.pegawai == pegawai
    ]
    assert row.terlambat_hari == 731


def test_overdue_raise_is_issued_with_a_letter_dated_up_to_today(admin):
    # given the draft of a raise due 1 Apr 2024, still unissued
    pegawai = _pns()
    kepala = PegawaiFactory(unit=pegawai.unit, jabatan=JabatanFactory(unit=pegawai.unit, is_kepala_unit=True))
    [rencana] = rencana_list(pegawai_qs=Pegawai.objects.filter(pk=pegawai.pk))
    kgb = kgb_draf_buat(rencana=rencana, actor=admin)
    today = timezone.localdate()

    # when dated tomorrow / then refused, nothing recorded
    with pytest.raises(ApplicationError) as caught:
        kgb_terbitkan(
            actor=admin,
            kgb=kgb,
            nomor_surat="822/7",
            tanggal_surat=today + datetime.timedelta(days=1),
            penandatangan=kepala,
        )
    assert list(caught.value.fields) == ["tanggal_surat"]
    assert not RiwayatGaji.objects.filter(pegawai=pegawai).exists()

    # when dated today / then issued, the new salary counting from the TMT
    kgb_terbitkan(actor=admin, kgb=kgb, nomor_surat="822/7", tanggal_surat=today, penandatangan=kepala)
    riwayat = RiwayatGaji.objects.get(pegawai=pegawai, jenis="kgb")
    assert (riwayat.tmt, riwayat.sk_tanggal, riwayat.gaji_pokok) == (D(2024, 4, 1), today, 2_873_500)
