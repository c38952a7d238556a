"""Cuti per PP 11/2017: ledger with carry-over, refusals with reasons, two-level approval,
cancellation, and approved leave in the daily status."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eoffice.core.errors import ApplicationError
from modules.cuti.models import MutasiSaldoCuti, PermohonanCuti
from modules.cuti.selectors import saldo_cuti_tahunan
from modules.cuti.services import cuti_ajukan, cuti_batal, cuti_putus, saldo_cuti_buka
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.models import StatusHarian
from modules.presensi.tests.conftest import user_for

# 2027: cuti bersama from the `holidays` package fall on weekdays; tests use 2026's which has 8.
TAHUN = 2026


def _ledger(pegawai, tahun, **hari):
    for jenis, value in hari.items():
        MutasiSaldoCuti.objects.create(pegawai=pegawai, tahun=tahun, jenis=jenis, hari=value)


def test_new_year_balance_is_12_minus_cuti_bersama(kantor):
    # 2026 has 8 cuti bersama, all on weekdays (Mon–Fri schedule)
    assert saldo_cuti_buka(pegawai=kantor.pegawai, tahun=TAHUN) == 12 - 8
    assert saldo_cuti_buka(pegawai=kantor.pegawai, tahun=TAHUN) == 4  # idempotent
    kinds = sorted(MutasiSaldoCuti.objects.filter(pegawai=kantor.pegawai).values_list("jenis", "hari"))
    assert kinds == [("cuti_bersama", -8), ("hak", 12)]


@pytest.mark.parametrize(
    ("sisa_lalu", "dipakai_dua_tahun", "carried"),
    [(0, True, 0), (4, True, 4), (10, True, 6), (12, False, 12), (15, False, 12)],
)
def test_carry_over_is_capped_at_18_or_24_in_total(kantor, sisa_lalu, dipakai_dua_tahun, carried):
    # given last year's ledger left `sisa_lalu` days, and whether leave was taken in the last two years
    pegawai = kantor.pegawai
    _ledger(pegawai, 2025, hak=12, penyesuaian=sisa_lalu - 12)
    _ledger(pegawai, 2024, hak=12)
    if dipakai_dua_tahun:
        PermohonanCuti.objects.create(
            pegawai=pegawai,
            jenis="CT",
            mulai=datetime.date(2024, 5, 6),
            selesai=datetime.date(2024, 5, 6),
            lama_hari=1,
            alasan="x",
            status=PermohonanCuti.Status.DISETUJUI,
        )
    # when the new year opens
    saldo_cuti_buka(pegawai=pegawai, tahun=TAHUN)
    # then the carried days are capped: 6 (18 in total), or 12 (24) when unused two years running
    carried_row = MutasiSaldoCuti.objects.filter(pegawai=pegawai, tahun=TAHUN, jenis="sisa_lalu").first()
    assert (carried_row.hari if carried_row else 0) == carried


def test_employee_with_less_than_a_year_gets_no_cuti_tahunan(kantor):
    junior = PegawaiFactory(unit=kantor.unit, tmt_cpns=datetime.date(2026, 3, 1))
    assert saldo_cuti_buka(pegawai=junior, tahun=2026) == 0


def test_request_over_the_balance_is_refused_with_numbers(kantor):
    # 2026: 12 - 8 cuti bersama = 4 days; Mon 7 – Fri 11 Dec is 5 working days
    with pytest.raises(ApplicationError) as exc:
        cuti_ajukan(
            user=kantor.user,
            jenis="CT",
            mulai=datetime.date(2026, 12, 7),
            selesai=datetime.date(2026, 12, 11),
            alasan="Liburan",
        )
    assert (exc.value.code, exc.value.status) == ("saldo_kurang", 422)
    assert exc.value.message == (
        "Sisa cuti tahunan 2026 Anda 4 hari (saldo 4, 0 hari menunggu persetujuan); permohonan ini 5 hari kerja."
    )
    assert PermohonanCuti.objects.count() == 0


def test_pending_requests_reserve_the_balance_and_overlaps_are_refused(kantor):
    cuti_ajukan(
        user=kantor.user,
        jenis="CT",
        mulai=datetime.date(2026, 12, 7),
        selesai=datetime.date(2026, 12, 9),
        alasan="a",
    )
    with pytest.raises(ApplicationError) as over:
        cuti_ajukan(
            user=kantor.user,
            jenis="CT",
            mulai=datetime.date(2026, 12, 14),
            selesai=datetime.date(2026, 12, 15),
            alasan="b",
        )
    assert over.value.code == "saldo_kurang"
    with pytest.raises(ApplicationError) as overlap:
        cuti_ajukan(
            user=kantor.user,
            jenis="CAP",
            mulai=datetime.date(2026, 12, 9),
            selesai=datetime.date(2026, 12, 10),
            alasan="c",
        )
    assert (overlap.value.code, overlap.value.message) == (
        "bentrok",
        "Bertabrakan dengan cuti tahunan 07-12-2026 s.d. 09-12-2026 yang diajukan.",
    )


def test_weekend_inside_cuti_tahunan_is_not_counted_and_stays_libur(kantor):
    # Thu 10 – Mon 14 Dec: 3 working days
    p = cuti_ajukan(
        user=kantor.user,
        jenis="CT",
        mulai=datetime.date(2026, 12, 10),
        selesai=datetime.date(2026, 12, 14),
        alasan="x",
    )
    assert p.lama_hari == 3
    p = cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    statuses = dict(StatusHarian.objects.filter(pegawai=kantor.pegawai).values_list("tanggal", "status"))
    assert statuses == {
        datetime.date(2026, 12, 10): "cuti",
        datetime.date(2026, 12, 11): "cuti",
        datetime.date(2026, 12, 12): "libur",
        datetime.date(2026, 12, 13): "libur",
        datetime.date(2026, 12, 14): "cuti",
    }
    assert (
        StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=datetime.date(2026, 12, 10)).dokumen
        == p.nomor_surat
    )
    assert p.nomor_surat == f"800.1.11.4/{p.pk}/CUTI/2026"
    assert saldo_cuti_tahunan(pegawai=kantor.pegawai, tahun=2026) == 1


def test_cancelling_approved_leave_before_it_starts_returns_the_days(kantor):
    p = cuti_ajukan(
        user=kantor.user,
        jenis="CT",
        mulai=datetime.date(2026, 12, 14),
        selesai=datetime.date(2026, 12, 15),
        alasan="x",
    )
    cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    assert saldo_cuti_tahunan(pegawai=kantor.pegawai, tahun=2026) == 2
    cuti_batal(user=kantor.user, permohonan=p, alasan="Batal", today=datetime.date(2026, 12, 4))
    assert saldo_cuti_tahunan(pegawai=kantor.pegawai, tahun=2026) == 4
    assert (
        StatusHarian.objects.get(pegawai=kantor.pegawai, tanggal=datetime.date(2026, 12, 14)).status == "tk"
    )
    with pytest.raises(ApplicationError) as exc:
        cuti_batal(user=kantor.user, permohonan=p)
    assert exc.value.code == "sudah_selesai"


def test_started_leave_cannot_be_cancelled(kantor):
    p = cuti_ajukan(
        user=kantor.user,
        jenis="CT",
        mulai=datetime.date(2026, 12, 14),
        selesai=datetime.date(2026, 12, 15),
        alasan="x",
    )
    cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    with pytest.raises(ApplicationError) as exc:
        cuti_batal(user=kantor.user, permohonan=p, today=datetime.date(2026, 12, 14))
    assert exc.value.code == "sudah_mulai"
    assert PermohonanCuti.objects.get(pk=p.pk).status == "disetujui"


def test_cuti_besar_needs_two_levels(kantor):
    # given a head of a bidang under the kepala dinas: the employee's superior and the next level
    bidang = UnitFactory(nama="Bidang Aplikasi", parent=kantor.unit)
    kabid = PegawaiFactory(unit=bidang, jabatan=JabatanFactory(unit=bidang, is_kepala_unit=True))
    staf = PegawaiFactory(unit=bidang, tmt_cpns=datetime.date(2010, 1, 1))
    kabid_user, staf_user = user_for(kabid), user_for(staf)
    p = cuti_ajukan(
        user=staf_user,
        jenis="CB",
        mulai=datetime.date(2027, 1, 4),
        selesai=datetime.date(2027, 2, 28),
        alasan="Ibadah",
    )
    assert (p.tingkat, p.atasan_id, p.pejabat_id, p.lama_hari) == (2, kabid.pk, kantor.kepala.pk, 56)
    # the next level cannot decide first
    with pytest.raises(ApplicationError) as exc:
        cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    assert exc.value.code == "bukan_penyetuju"
    assert cuti_putus(user=kabid_user, permohonan=p, setuju=True).status == "disetujui_atasan"
    assert cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True).status == "disetujui"
    assert (
        StatusHarian.objects.get(pegawai=staf, tanggal=datetime.date(2027, 1, 9)).status == "cuti"
    )  # calendar days


@pytest.mark.parametrize(
    ("jenis", "mulai", "selesai", "extra", "code"),
    [
        ("CB", "2026-12-07", "2026-12-08", {}, None),
        ("CB", "2026-12-07", "2027-03-08", {}, "terlalu_lama"),
        ("CAP", "2026-12-07", "2027-01-06", {}, "terlalu_lama"),
        ("CM", "2026-12-07", "2027-03-06", {"anak_ke": 4}, "anak_ke"),
        ("CM", "2026-12-07", "2027-03-06", {"anak_ke": 2}, None),
        ("CS", "2026-12-07", "2026-12-09", {}, "invalid"),
        ("CS", "2026-12-07", "2026-12-07", {}, None),
        ("CT", "2026-12-12", "2026-12-13", {}, "tanpa_hari_kerja"),
        ("CT", "2026-12-31", "2027-01-04", {}, "invalid"),
    ],
)
def test_type_rules(kantor, jenis, mulai, selesai, extra, code):
    args = dict(
        user=kantor.user,
        jenis=jenis,
        mulai=datetime.date.fromisoformat(mulai),
        selesai=datetime.date.fromisoformat(selesai),
        alasan="x",
        **extra,
    )
    if code is None:
        assert cuti_ajukan(**args).status == "diajukan"
    else:
        with pytest.raises(ApplicationError) as exc:
            cuti_ajukan(**args)
        assert exc.value.code == code
        assert PermohonanCuti.objects.count() == 0


def test_sick_leave_with_doctors_note_is_accepted(kantor):
    note = SimpleUploadedFile("surat-dokter.pdf", b"%PDF-1.4 surat", content_type="application/pdf")
    p = cuti_ajukan(
        user=kantor.user,
        jenis="CS",
        mulai=datetime.date(2026, 12, 7),
        selesai=datetime.date(2026, 12, 9),
        alasan="Demam",
        lampiran=note,
    )
    assert p.lampiran.name.startswith("tenants/sumedang/cuti/lampiran/")
    assert p.lampiran.name.endswith(".pdf")


def test_sick_leave_beyond_14_days_needs_a_government_doctor(kantor):
    def request(**extra):
        note = SimpleUploadedFile("surat-dokter.pdf", b"%PDF-1.4 surat", content_type="application/pdf")
        return cuti_ajukan(
            user=kantor.user,
            jenis="CS",
            mulai=datetime.date(2026, 12, 7),
            selesai=datetime.date(2027, 1, 8),  # five weeks: more than 14 working days
            alasan="Rawat inap",
            lampiran=note,
            **extra,
        )

    with pytest.raises(ApplicationError) as exc:
        request()
    assert exc.value.fields == {
        "dokter_pemerintah": [
            "Cuti sakit lebih dari 14 hari wajib dengan surat keterangan dokter pemerintah."
        ]
    }
    assert PermohonanCuti.objects.count() == 0

    accepted = request(dokter_pemerintah=True)

    assert accepted.lama_hari > 14
    assert (accepted.dokter_pemerintah, accepted.status) == (True, "diajukan")


def test_cuti_besar_lapses_the_years_cuti_tahunan_and_cancellation_restores_it(kantor):
    # given an employee with 12 years of service and 4 days of cuti tahunan left in 2026
    assert saldo_cuti_buka(pegawai=kantor.pegawai, tahun=2026) == 4
    p = cuti_ajukan(
        user=kantor.user,
        jenis="CB",
        mulai=datetime.date(2026, 12, 14),
        selesai=datetime.date(2026, 12, 31),
        alasan="Umrah",
    )
    # when the head (top of this tree: one level) approves
    p = cuti_putus(user=kantor.kepala_user, permohonan=p, setuju=True)
    # then the year's cuti tahunan lapses
    assert p.status == "disetujui"
    assert saldo_cuti_tahunan(pegawai=kantor.pegawai, tahun=2026) == 0
    # and comes back when the cuti besar is cancelled before it starts
    cuti_batal(user=kantor.user, permohonan=p, today=datetime.date(2026, 12, 4))
    assert saldo_cuti_tahunan(pegawai=kantor.pegawai, tahun=2026) == 4


def test_attachment_that_is_not_pdf_or_image_is_refused(kantor):
    script = SimpleUploadedFile("surat.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(ApplicationError) as exc:
        cuti_ajukan(
            user=kantor.user,
            jenis="CS",
            mulai=datetime.date(2026, 12, 7),
            selesai=datetime.date(2026, 12, 8),
            alasan="Demam",
            lampiran=script,
        )
    assert exc.value.fields == {"lampiran": ["Jenis berkas tidak didukung."]}
    assert PermohonanCuti.objects.count() == 0
