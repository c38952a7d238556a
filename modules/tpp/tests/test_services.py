"""The monthly run against the database: inputs from presensi, kinerja and hukdis; versioning; lock."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.models import RiwayatGaji
from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
from modules.presensi.models import PenutupanHari, StatusHarian
from modules.presensi.selectors import tenant_zone
from modules.tpp.demo import perbup_demo_data
from modules.tpp.models import KinerjaBulanan, TppBaris, TppPeriode
from modules.tpp.services import (
    hari_kerja_belum_ditutup,
    hukdis_create,
    kinerja_impor_pratinjau,
    kinerja_impor_terapkan,
    kinerja_set,
    perbup_tpp_create,
    tpp_periode_buka_kembali,
    tpp_periode_hitung,
    tpp_periode_kunci,
    tpp_presensi_tutup,
)
from modules.tpp.tests.helpers import presensi_tutup_2025_2026

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(sumedang):
    with schema_context(sumedang.schema_name):
        presensi_tutup_2025_2026()
        yield User.objects.get(username="admin.sumedang")


@pytest.fixture
def perbup_2026(admin):
    # kelas 9 = Rp6,000,000; 60/40; TL2 1%, PSW1 0.5%, TK 3%; teguran tertulis 30% for 2 months.
    return perbup_tpp_create(
        actor=admin, **perbup_demo_data(nomor="Perbup 1/2026", berlaku_mulai=D(2026, 1, 1))
    )


def _pegawai(unit=None, **kwargs):
    unit = unit or UnitFactory()
    jabatan = JabatanFactory(unit=unit, kelas_jabatan=9)
    return PegawaiFactory(unit=unit, jabatan=jabatan, golongan="III/a", **kwargs)


def test_run_reads_presensi_kinerja_hukdis_and_gaji(admin, perbup_2026):
    # given an employee with gaji 3,000,000, kinerja 90, TL2 on 3 March, TK on 10 March, cuti on 11 March
    pegawai = _pegawai()
    RiwayatGaji.objects.create(
        pegawai=pegawai, jenis="kgb", golongan="III/a", mkg_tahun=4, gaji_pokok=3_000_000,
        tmt=D(2025, 1, 1), sk_nomor="822/1", sk_tanggal=D(2024, 12, 1),
    )  # fmt: skip
    StatusHarian.objects.create(
        pegawai=pegawai, tanggal=D(2026, 3, 3), status="hadir", tl=2, terlambat_menit=40
    )
    StatusHarian.objects.create(pegawai=pegawai, tanggal=D(2026, 3, 10), status="tk")
    StatusHarian.objects.create(pegawai=pegawai, tanggal=D(2026, 3, 11), status="cuti", jenis_cuti="CT")
    StatusHarian.objects.create(pegawai=pegawai, tanggal=D(2026, 2, 27), status="tk")  # another month
    kinerja_set(actor=admin, pegawai=pegawai, tahun=2026, bulan=3, nilai="90")

    # when
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)

    # then: kinerja 6,000,000 × 60% × 90% = 3,240,000; disiplin 2,400,000 × (100 − 4)% = 2,304,000;
    # bruto 5,544,000; BPJS 1% × 5,544,000 = 55,440; PPh 5% = 277,200; netto 5,211,360.
    baris = TppBaris.objects.get(periode=periode, pegawai=pegawai)
    assert (baris.komponen_kinerja, baris.komponen_disiplin, baris.bruto) == (3_240_000, 2_304_000, 5_544_000)
    assert (baris.potongan_bpjs, baris.potongan_pph, baris.netto) == (55_440, 277_200, 5_211_360)
    assert baris.potongan_disiplin_persen == Decimal("4")
    assert periode.perbup == perbup_2026


def test_hukdis_cuts_for_its_months_only(admin, perbup_2026):
    # given teguran tertulis (30%, 2 months) from 1 March
    pegawai = _pegawai()
    hukdis_create(
        actor=admin, pegawai=pegawai, kode_jenis="teguran_tertulis", tmt=D(2026, 3, 1), sk_nomor="800/7"
    )

    # when
    persen = {}
    for bulan in (2, 3, 4, 5):
        periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=bulan)
        persen[bulan] = TppBaris.objects.get(periode=periode, pegawai=pegawai).hukdis_persen

    # then
    assert persen == {2: Decimal(0), 3: Decimal(30), 4: Decimal(30), 5: Decimal(0)}


def test_new_perbup_never_changes_a_month_computed_under_the_old_one(admin, perbup_2026):
    # given April computed under the 2026 Perbup (kelas 9 Rp6,000,000)
    pegawai = _pegawai()
    april = tpp_periode_hitung(actor=admin, tahun=2026, bulan=4)
    data = perbup_demo_data(nomor="Perbup 5/2026", berlaku_mulai=D(2026, 4, 1))
    data["besaran"] = [{"kelas_jabatan": 9, "besaran": 9_000_000}]

    # when a new Perbup from 1 April arrives and April is recomputed, and May is computed
    perbup_tpp_create(actor=admin, **data)
    tpp_periode_hitung(actor=admin, tahun=2026, bulan=4)
    mei = tpp_periode_hitung(actor=admin, tahun=2026, bulan=5)

    # then
    assert TppBaris.objects.get(periode=april, pegawai=pegawai).besaran == 6_000_000
    assert TppBaris.objects.get(periode=mei, pegawai=pegawai).besaran == 9_000_000


def test_query_count_does_not_grow_with_employees(admin, perbup_2026):
    # given a small regency, then one five times larger
    def run(n: int) -> int:
        unit = UnitFactory()
        for i in range(n):
            p = _pegawai(unit=unit)
            StatusHarian.objects.create(pegawai=p, tanggal=D(2026, 6, 2), status="hadir", tl=1 + i % 4)
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


def test_locked_month_refuses_corrections_until_reopened_with_a_reason(admin, perbup_2026):
    # given a locked month
    pegawai = _pegawai()
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=7)
    tpp_periode_kunci(actor=admin, periode=periode)

    # when / then: corrections and recomputation are refused, nothing written
    with pytest.raises(ApplicationError) as caught:
        kinerja_set(actor=admin, pegawai=pegawai, tahun=2026, bulan=7, nilai="70")
    assert caught.value.code == "periode_terkunci"
    with pytest.raises(ApplicationError):
        tpp_periode_hitung(actor=admin, tahun=2026, bulan=7)
    assert not KinerjaBulanan.objects.filter(pegawai=pegawai, tahun=2026, bulan=7).exists()

    # when reopening without a reason, then with one
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_buka_kembali(actor=admin, periode=periode, alasan="")
    assert caught.value.fields == {"alasan": ["Alasan wajib diisi, minimal 10 karakter."]}
    tpp_periode_buka_kembali(actor=admin, periode=periode, alasan="Koreksi nilai kinerja Bidang Aset")
    kinerja_set(actor=admin, pegawai=pegawai, tahun=2026, bulan=7, nilai="70")

    # then the correction recomputed the line, and the reopening is audited with its reason
    baris = TppBaris.objects.get(periode=periode, pegawai=pegawai)
    assert baris.komponen_kinerja == 2_520_000  # 6,000,000 × 60% × 70%
    event = AuditEvent.objects.get(action="tpp.periode_buka_kembali", target_id=str(periode.pk))
    assert event.reason == "Koreksi nilai kinerja Bidang Aset"


def test_only_admin_pemda_locks(admin, perbup_2026):
    # given an ordinary employee account
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=8)
    pegawai_user = User.objects.get(username="198609262015051001")

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_kunci(actor=pegawai_user, periode=periode)

    # then
    assert caught.value.status == 403
    periode.refresh_from_db()
    assert periode.status == TppPeriode.Status.DIHITUNG


def test_perbup_rejects_weights_not_summing_to_100(admin):
    # given
    data = perbup_demo_data(berlaku_mulai=D(2027, 1, 1))
    data["parameter"]["bobot_disiplin"] = "30"

    # when
    with pytest.raises(ApplicationError) as caught:
        perbup_tpp_create(actor=admin, **data)

    # then
    pesan = ["Bobot kinerja + bobot disiplin + bobot serapan anggaran harus 100 persen (sekarang 90)."]
    assert caught.value.fields == {"bobot_kinerja": pesan, "bobot_disiplin": pesan, "bobot_serapan": pesan}


def test_perbup_rejects_a_date_that_is_not_the_first(admin):
    with pytest.raises(ApplicationError) as caught:
        perbup_tpp_create(actor=admin, **perbup_demo_data(berlaku_mulai=D(2027, 1, 15)))
    assert caught.value.fields == {"berlaku_mulai": ["Pilih tanggal 1 suatu bulan."]}


def test_kinerja_import_previews_then_applies_all_or_nothing(admin, perbup_2026):
    # given two employees and a CSV with one good row, one bad score and one unknown NIP
    a, b = _pegawai(), _pegawai()
    csv_bytes = f"NIP;Nilai\n{a.nip};88,5\n{b.nip};120\n199901012020011999;70\n".encode()

    # when
    preview = kinerja_impor_pratinjau(actor=admin, nama_file="skp.csv", isi=csv_bytes)

    # then
    assert [(row.baris, row.galat) for row in preview] == [
        (2, ""),
        (3, "Nilai kinerja harus angka 0–100 dengan paling banyak dua desimal."),
        (4, "NIP tidak ditemukan di unit Anda."),
    ]
    with pytest.raises(ApplicationError):
        kinerja_impor_terapkan(actor=admin, tahun=2026, bulan=9, baris=preview)
    assert not KinerjaBulanan.objects.filter(tahun=2026, bulan=9).exists()

    # when only the good row is applied
    written = kinerja_impor_terapkan(actor=admin, tahun=2026, bulan=9, baris=preview[:1])

    # then
    assert written == 1
    assert KinerjaBulanan.objects.get(pegawai=a, tahun=2026, bulan=9).nilai == Decimal("88.50")


def test_kinerja_rejects_text_naming_the_field(admin):
    pegawai = _pegawai()
    with pytest.raises(ApplicationError) as caught:
        kinerja_set(actor=admin, pegawai=pegawai, tahun=2026, bulan=3, nilai="baik")
    assert caught.value.fields == {"nilai": ["Isi angka 0–100."]}


def test_kinerja_import_reads_xlsx(admin, perbup_2026):
    # given an e-Kinerja export as xlsx (NIP stored as text, score as a number)
    from openpyxl import Workbook

    pegawai = _pegawai()
    workbook = Workbook()
    workbook.active.append(["NIP", "Nilai"])
    workbook.active.append([pegawai.nip, 92.25])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when
    preview = kinerja_impor_pratinjau(actor=admin, nama_file="ekinerja.xlsx", isi=buffer.getvalue())
    kinerja_impor_terapkan(actor=admin, tahun=2026, bulan=10, baris=preview)

    # then
    assert [(row.nip, row.galat) for row in preview] == [(pegawai.nip, "")]
    assert KinerjaBulanan.objects.get(pegawai=pegawai, tahun=2026, bulan=10).nilai == Decimal("92.25")


def test_kinerja_import_rejects_wrong_header(admin):
    with pytest.raises(ApplicationError) as caught:
        kinerja_impor_pratinjau(actor=admin, nama_file="skp.csv", isi=b"nama,skor\nA,90\n")
    assert caught.value.fields == {"berkas": ["Kolom pertama NIP, kolom kedua Nilai (ekspor e-Kinerja/SKP)."]}


# --- presensi must have closed the month's working days ------------------------------------------


def test_month_with_an_unclosed_working_day_is_refused_naming_the_first(admin, perbup_2026):
    # given March 2026 closed except two working days (Tue 10 and Thu 12), a Saturday and the
    # Nyepi holiday with its cuti bersama
    _pegawai()
    PenutupanHari.objects.filter(
        tanggal__in=[D(2026, 3, 7), D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 10), D(2026, 3, 12)]
    ).delete()

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)

    # then refused with what to do, nothing computed
    assert (caught.value.code, caught.value.status) == ("presensi_belum_ditutup", 409)
    assert caught.value.message == (
        "TPP bulan 3/2026 belum dapat dihitung: presensi 2 hari kerja belum ditutup, mulai Selasa, "
        "10 Maret 2026, sehingga potongan disiplinnya belum ada. Admin pemda menutupnya sekaligus dengan "
        "tombol “Tutup presensi 2 hari kerja yang belum ditutup” pada halaman TPP, lalu menghitung TPP lagi."
    )
    assert caught.value.extra == {"hari_belum_ditutup": 2}
    assert caught.value.fields == {"bulan": ["Hari kerja belum ditutup: 10 Mar, 12 Mar."]}
    assert not TppPeriode.objects.filter(tahun=2026, bulan=3).exists()

    # when the two days are closed / then the month computes (weekend and holidays never mattered)
    PenutupanHari.objects.create(tanggal=D(2026, 3, 10))
    PenutupanHari.objects.create(tanggal=D(2026, 3, 12))
    assert tpp_periode_hitung(actor=admin, tahun=2026, bulan=3).jumlah_pegawai >= 1


def test_month_presensi_never_closed_is_not_perfect_discipline(admin, perbup_2026):
    # given a month before presensi ran at all: no closed day, no status
    _pegawai()

    # when / then
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_hitung(actor=admin, tahun=2024, bulan=6)
    assert caught.value.code == "presensi_belum_ditutup"
    # June 2024: 20 weekdays less Idul Adha (17th) and its cuti bersama (18th)
    assert "presensi 18 hari kerja belum ditutup, mulai Senin, 3 Juni 2024" in caught.value.message


def test_current_month_is_checked_up_to_yesterday():
    # given (judged on Thursday 12 March 2026) nothing closed from the 10th on
    awal, akhir = D(2026, 3, 1), D(2026, 3, 31)

    # when
    with schema_context("sumedang"):
        PenutupanHari.objects.bulk_create(
            [PenutupanHari(tanggal=D(2026, 3, day)) for day in range(1, 10)], ignore_conflicts=True
        )
        PenutupanHari.objects.filter(tanggal__gte=D(2026, 3, 10), tanggal__lte=akhir).delete()
        belum = hari_kerja_belum_ditutup(awal=awal, akhir=akhir, hari_ini=D(2026, 3, 12))

    # then only Tuesday and Wednesday: today closes tonight, the rest of the month is ahead
    assert belum == [D(2026, 3, 10), D(2026, 3, 11)]


def test_month_not_yet_begun_is_refused(admin, perbup_2026):
    today = timezone.localdate()
    nanti = (today.replace(day=28) + datetime.timedelta(days=5)).replace(day=1)

    with pytest.raises(ApplicationError) as caught:
        tpp_periode_hitung(actor=admin, tahun=nanti.year, bulan=nanti.month)

    assert caught.value.code == "bulan_belum_dimulai"
    assert not TppPeriode.objects.filter(tahun=nanti.year, bulan=nanti.month).exists()


def test_closing_the_month_from_tpp_closes_its_open_working_days_then_it_computes(admin, perbup_2026):
    # given March 2026 with two working days presensi never closed
    pegawai = _pegawai()
    PenutupanHari.objects.filter(tanggal__in=[D(2026, 3, 10), D(2026, 3, 12)]).delete()

    # when
    jumlah = tpp_presensi_tutup(actor=admin, tahun=2026, bulan=3)

    # then both are closed with the employee's status (no check-in: TK), and the month computes
    assert jumlah == 2
    assert set(
        StatusHarian.objects.filter(
            pegawai=pegawai, tanggal__in=[D(2026, 3, 10), D(2026, 3, 12)]
        ).values_list("tanggal", "status")
    ) == {(D(2026, 3, 10), "tk"), (D(2026, 3, 12), "tk")}
    baris = TppBaris.objects.get(
        periode=tpp_periode_hitung(actor=admin, tahun=2026, bulan=3), pegawai=pegawai
    )
    assert baris.potongan_disiplin_persen == Decimal("6.00")  # 2 × TK 3 percent
    assert tpp_presensi_tutup(actor=admin, tahun=2026, bulan=3) == 0


def test_closing_the_current_month_stops_at_yesterday(admin):
    # given the current month with no day closed
    hari_ini = timezone.localdate(timezone=tenant_zone())
    awal = hari_ini.replace(day=1)
    PenutupanHari.objects.filter(tanggal__gte=awal).delete()
    belum = hari_kerja_belum_ditutup(awal=awal, akhir=hari_ini, hari_ini=hari_ini)

    # when
    jumlah = tpp_presensi_tutup(actor=admin, tahun=hari_ini.year, bulan=hari_ini.month)

    # then every working day before today is closed, today and later are not
    assert jumlah == len(belum)
    assert (
        list(
            PenutupanHari.objects.filter(tanggal__gte=awal)
            .order_by("tanggal")
            .values_list("tanggal", flat=True)
        )
        == belum
    )


def test_only_admin_pemda_closes_a_month_and_nothing_changes(admin, perbup_2026):
    # given
    pegawai = _pegawai()
    user = User.objects.create_user(
        username="opd", email="opd@uji.go.id", nama="OPD", password="x", peran="admin_opd"
    )
    PenutupanHari.objects.filter(tanggal=D(2026, 3, 10)).delete()

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_presensi_tutup(actor=user, tahun=2026, bulan=3)

    # then
    assert caught.value.status == 403
    assert not PenutupanHari.objects.filter(tanggal=D(2026, 3, 10)).exists()
    assert not StatusHarian.objects.filter(pegawai=pegawai, tanggal=D(2026, 3, 10)).exists()


# --- locking needs the whole month closed --------------------------------------------------------


def test_current_month_is_provisional_and_cannot_be_locked(admin, perbup_2026):
    # given the current month computed (every day so far closed)
    hari_ini = timezone.localdate(timezone=tenant_zone())
    _pegawai()
    periode = tpp_periode_hitung(actor=admin, tahun=hari_ini.year, bulan=hari_ini.month)

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_kunci(actor=admin, periode=periode)

    # then refused as still running, nothing locked or audited
    assert (caught.value.code, caught.value.status) == ("bulan_berjalan", 409)
    assert caught.value.message.startswith(
        f"TPP bulan {hari_ini.month}/{hari_ini.year} belum dapat dikunci karena bulan itu masih berjalan: "
        "presensi hari kerja sampai "
    )
    periode.refresh_from_db()
    assert (periode.status, periode.dikunci_oleh) == (TppPeriode.Status.DIHITUNG, None)
    assert not AuditEvent.objects.filter(action="tpp.periode_kunci").exists()


def test_past_month_with_a_day_not_closed_cannot_be_locked_until_closed(admin, perbup_2026):
    # given March 2026 computed, then one of its working days found not closed
    _pegawai()
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
    PenutupanHari.objects.filter(tanggal=D(2026, 3, 30)).delete()

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_kunci(actor=admin, periode=periode)

    # then
    assert (caught.value.code, caught.value.extra) == ("presensi_belum_ditutup", {"hari_belum_ditutup": 1})
    assert "belum dapat dikunci: presensi 1 hari kerja belum ditutup, mulai Senin, 30 Maret 2026" in (
        caught.value.message
    )
    periode.refresh_from_db()
    assert periode.status == TppPeriode.Status.DIHITUNG

    # when the month is closed and recomputed / then it locks
    tpp_presensi_tutup(actor=admin, tahun=2026, bulan=3)
    tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
    assert tpp_periode_kunci(actor=admin, periode=periode).status == TppPeriode.Status.TERKUNCI


def test_month_computed_before_its_last_day_was_closed_must_be_recomputed_to_lock(admin, perbup_2026):
    # given March 2026 computed, then its last working day closed again (recomputed by presensi)
    _pegawai()
    periode = tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
    PenutupanHari.objects.get(tanggal=D(2026, 3, 31)).save()

    # when
    with pytest.raises(ApplicationError) as caught:
        tpp_periode_kunci(actor=admin, periode=periode)

    # then
    assert (caught.value.code, caught.value.status) == ("perlu_dihitung_ulang", 409)
    assert caught.value.message.startswith(
        "TPP bulan 3/2026 dihitung sebelum presensi bulan itu selesai ditutup (terakhir "
    )
    periode.refresh_from_db()
    assert periode.status == TppPeriode.Status.DIHITUNG

    # when recomputed / then it locks
    tpp_periode_hitung(actor=admin, tahun=2026, bulan=3)
    assert tpp_periode_kunci(actor=admin, periode=periode).status == TppPeriode.Status.TERKUNCI
