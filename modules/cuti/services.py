"""Writes on cuti: opening the yearly balance, requests, decisions and cancellation.

Rules: PP 11/2017 arts. 309–340 and Peraturan BKN 24/2017 (DOMAIN.md "Cuti")."""

import datetime
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError, clean_or_refuse
from eoffice.notifications.services import bahasa_daerah, notifikasi_kirim
from modules.cuti.models import JenisCuti, MutasiSaldoCuti, PermohonanCuti
from modules.cuti.selectors import (
    HARI_KERJA,
    cuti_bentrok,
    cuti_tahunan_menunggu,
    saldo_cuti_tahunan,
)
from modules.kepegawaian.models import Pegawai
from modules.kepegawaian.selectors import atasan_for
from modules.presensi.services import lampiran_check

# PP 11/2017 art. 310: 12 working days a year after one year of continuous service.
HAK_CUTI_TAHUNAN = 12
# Art. 313–314: unused days carry over to at most 18 days in total (so 6 carried), or 24 (12
# carried) when cuti tahunan was not taken at all two years running.
SISA_MAKS = 6
SISA_MAKS_DUA_TAHUN = 12
# Longest period per type, in days (calendar for CB/CM/CLTN/CAP): art. 315 (besar, 3 months),
# 327 (melahirkan, 3 months), 331 (alasan penting, 1 month), 337 (CLTN, 3 years).
BATAS_HARI: dict[str, int] = {
    JenisCuti.BESAR: 90,
    JenisCuti.MELAHIRKAN: 90,
    JenisCuti.ALASAN_PENTING: 30,
    JenisCuti.CLTN: 3 * 365,
    # Art. 321: sick leave up to one year, extendable by six months.
    JenisCuti.SAKIT: 548,
}
# Service before the right arises (years): tahunan 1, besar 5, CLTN 5.
MASA_KERJA_TAHUN: dict[str, int] = {JenisCuti.TAHUNAN: 1, JenisCuti.BESAR: 5, JenisCuti.CLTN: 5}
# Decided by the superior and then the next level: the long leaves.
DUA_TINGKAT = (JenisCuti.BESAR, JenisCuti.MELAHIRKAN, JenisCuti.CLTN)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _masa_kerja_cukup(pegawai: Pegawai, years: int, pada: datetime.date) -> bool:
    start = pegawai.tmt_cpns or pegawai.tmt_pns
    return start is not None and _add_years(start, years) <= pada


@transaction.atomic
def saldo_cuti_buka(*, pegawai: Pegawai, tahun: int) -> int:
    """Open the year's cuti tahunan ledger (idempotent): the year's right, the days carried over
    from last year, and the cuti bersama that count against it. Returns the balance."""
    from modules.presensi.selectors import cuti_bersama_dates, jadwal_for, tenant_zone

    Pegawai.objects.select_for_update().filter(pk=pegawai.pk).first()
    if MutasiSaldoCuti.objects.filter(pegawai=pegawai, tahun=tahun, jenis=MutasiSaldoCuti.Jenis.HAK).exists():
        return saldo_cuti_tahunan(pegawai=pegawai, tahun=tahun)
    eligible = _masa_kerja_cukup(pegawai, 1, datetime.date(tahun, 12, 31))
    hak = HAK_CUTI_TAHUNAN if eligible else 0
    entries = [MutasiSaldoCuti(pegawai=pegawai, tahun=tahun, jenis=MutasiSaldoCuti.Jenis.HAK, hari=hak)]
    sisa = _sisa_dibawa(pegawai=pegawai, tahun=tahun)
    if sisa:
        entries.append(
            MutasiSaldoCuti(pegawai=pegawai, tahun=tahun, jenis=MutasiSaldoCuti.Jenis.SISA_LALU, hari=sisa)
        )
    if hak:
        # Cuti bersama on the employee's working days are taken from cuti tahunan.
        # Each cuti bersama that falls on one of the employee's scheduled weekdays.
        zone = tenant_zone()
        count = sum(
            1
            for d in cuti_bersama_dates(tahun=tahun)
            if jadwal_for(pegawai=pegawai, tanggal=d, zone=zone, libur="") is not None
        )
        if count:
            entries.append(
                MutasiSaldoCuti(
                    pegawai=pegawai,
                    tahun=tahun,
                    jenis=MutasiSaldoCuti.Jenis.CUTI_BERSAMA,
                    hari=-min(count, hak + sisa),
                    keterangan=_("%(n)s hari cuti bersama") % {"n": count},
                )
            )
    MutasiSaldoCuti.objects.bulk_create(entries)
    return saldo_cuti_tahunan(pegawai=pegawai, tahun=tahun)


def _sisa_dibawa(*, pegawai: Pegawai, tahun: int) -> int:
    last = MutasiSaldoCuti.objects.filter(pegawai=pegawai, tahun=tahun - 1)
    if not last.filter(jenis=MutasiSaldoCuti.Jenis.HAK, hari__gt=0).exists():
        return 0
    sisa = max(0, saldo_cuti_tahunan(pegawai=pegawai, tahun=tahun - 1))
    unused_two_years = all(
        MutasiSaldoCuti.objects.filter(
            pegawai=pegawai, tahun=y, jenis=MutasiSaldoCuti.Jenis.HAK, hari__gt=0
        ).exists()
        and not PermohonanCuti.objects.filter(
            pegawai=pegawai, jenis=JenisCuti.TAHUNAN, status=PermohonanCuti.Status.DISETUJUI, mulai__year=y
        ).exists()
        for y in (tahun - 1, tahun - 2)
    )
    return min(sisa, SISA_MAKS_DUA_TAHUN if unused_two_years else SISA_MAKS)


def _lama(pegawai: Pegawai, jenis: str, mulai: datetime.date, selesai: datetime.date) -> int:
    from modules.presensi.selectors import hari_kerja_list

    if jenis in HARI_KERJA:
        return len(hari_kerja_list(pegawai=pegawai, mulai=mulai, sampai=selesai))
    return (selesai - mulai).days + 1


def _fail(
    message: str, field: str | None = None, code: str = "invalid", status: int = 400
) -> ApplicationError:
    return ApplicationError(message, code=code, status=status, fields={field: [message]} if field else None)


@transaction.atomic
def cuti_ajukan(
    *,
    user: Any,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date,
    alasan: str,
    alamat_selama_cuti: str = "",
    anak_ke: int | None = None,
    lampiran: File | None = None,
    dokter_pemerintah: bool = False,
) -> PermohonanCuti:
    """An employee requests leave. Refused with the reason when it exceeds the balance, overlaps
    another request, or breaks the type's rule; otherwise waits for the superior."""
    user_id = getattr(user, "pk", None)
    pegawai = (
        Pegawai.objects.select_for_update().filter(user_id=user_id).first() if user_id is not None else None
    )
    if pegawai is None:
        raise _fail(_("Akun Anda belum terhubung dengan data pegawai."), code="bukan_pegawai", status=403)
    if jenis not in JenisCuti.values:
        raise _fail(_("Jenis cuti tidak dikenal."), "jenis")
    if selesai < mulai:
        raise _fail(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), "selesai")
    if not alasan.strip():
        raise _fail(_("Alasan cuti wajib diisi."), "alasan")
    label = JenisCuti(jenis).label
    years = MASA_KERJA_TAHUN.get(jenis)
    if years and not _masa_kerja_cukup(pegawai, years, mulai):
        raise _fail(
            _("%(jenis)s baru dapat diambil setelah masa kerja %(n)s tahun.") % {"jenis": label, "n": years},
            "jenis",
            code="masa_kerja_kurang",
            status=422,
        )
    lama = _lama(pegawai, jenis, mulai, selesai)
    if lama == 0:
        raise _fail(_("Tidak ada hari kerja pada periode itu."), "mulai", code="tanpa_hari_kerja", status=422)
    batas = BATAS_HARI.get(jenis)
    if batas is not None and (selesai - mulai).days + 1 > batas:
        raise _fail(
            _("%(jenis)s paling lama %(n)s hari.") % {"jenis": label, "n": batas},
            "selesai",
            code="terlalu_lama",
            status=422,
        )
    if jenis == JenisCuti.MELAHIRKAN and (anak_ke is None or anak_ke > 3):
        # Art. 325: for the first to third child; from the fourth it is cuti besar.
        raise _fail(
            _(
                "Cuti melahirkan untuk anak pertama sampai ketiga; isi 'anak ke-' (untuk anak keempat ajukan cuti besar)."
            ),
            "anak_ke",
            code="anak_ke",
            status=422,
        )
    if lampiran is not None:
        lampiran_check(lampiran)
    if jenis == JenisCuti.SAKIT and lama > 1 and lampiran is None:
        # Art. 322: more than one day needs a doctor's note.
        raise _fail(
            _("Cuti sakit lebih dari 1 hari wajib melampirkan surat keterangan dokter."),
            "lampiran",
            status=422,
        )
    if jenis == JenisCuti.SAKIT and lama > 14 and not dokter_pemerintah:
        # Art. 322: beyond 14 days the note must come from a government doctor.
        raise _fail(
            _("Cuti sakit lebih dari 14 hari wajib dengan surat keterangan dokter pemerintah."),
            "dokter_pemerintah",
            code="dokter_pemerintah",
            status=422,
        )
    bentrok = cuti_bentrok(pegawai=pegawai, mulai=mulai, selesai=selesai)
    if bentrok is not None:
        raise _fail(
            _("Bertabrakan dengan %(jenis)s %(mulai)s s.d. %(selesai)s yang %(status)s.")
            % {
                "jenis": bentrok.get_jenis_display().lower(),
                "mulai": bentrok.mulai.strftime("%d-%m-%Y"),
                "selesai": bentrok.selesai.strftime("%d-%m-%Y"),
                "status": bentrok.get_status_display().lower(),
            },
            "mulai",
            code="bentrok",
            status=409,
        )
    if jenis == JenisCuti.TAHUNAN:
        if mulai.year != selesai.year:
            raise _fail(_("Cuti tahunan lintas tahun diajukan terpisah per tahun."), "selesai", status=422)
        saldo = saldo_cuti_buka(pegawai=pegawai, tahun=mulai.year)
        menunggu = cuti_tahunan_menunggu(pegawai=pegawai, tahun=mulai.year)
        tersedia = saldo - menunggu
        if lama > tersedia:
            raise _fail(
                _(
                    "Sisa cuti tahunan %(tahun)s Anda %(sisa)s hari (saldo %(saldo)s, %(menunggu)s hari menunggu persetujuan); permohonan ini %(lama)s hari kerja."
                )
                % {
                    "tahun": mulai.year,
                    "sisa": max(tersedia, 0),
                    "saldo": saldo,
                    "menunggu": menunggu,
                    "lama": lama,
                },
                "selesai",
                code="saldo_kurang",
                status=422,
            )
    atasan = atasan_for(pegawai=pegawai)
    if atasan is None:
        raise _fail(
            _("Atasan Anda belum tercatat di data kepegawaian; cuti belum dapat diajukan."),
            code="tanpa_atasan",
            status=422,
        )
    tingkat = 2 if jenis in DUA_TINGKAT else 1
    pejabat = atasan_for(pegawai=atasan) if tingkat == 2 else None
    if tingkat == 2 and pejabat is None:
        # At the top of the tree the superior is also the authorised official.
        tingkat = 1
    permohonan = PermohonanCuti(
        pegawai=pegawai,
        jenis=jenis,
        mulai=mulai,
        selesai=selesai,
        lama_hari=lama,
        alasan=alasan.strip(),
        alamat_selama_cuti=alamat_selama_cuti,
        anak_ke=anak_ke,
        dokter_pemerintah=dokter_pemerintah,
        tingkat=tingkat,
        atasan=atasan,
        pejabat=pejabat,
    )
    clean_or_refuse(permohonan, exclude=["lampiran"])
    if lampiran is not None:
        permohonan.lampiran.save(getattr(lampiran, "name", "lampiran") or "lampiran", lampiran, save=False)
    permohonan.save()
    audit_record(
        actor=user,
        action="cuti.ajukan",
        target=permohonan,
        after={"jenis": jenis, "mulai": str(mulai), "selesai": str(selesai), "lama_hari": lama},
    )
    _beritahu_penyetuju(row=permohonan, pegawai_id=permohonan.atasan_id)
    return permohonan


def _periode(row: PermohonanCuti) -> dict[str, str]:
    return {
        "jenis": row.get_jenis_display().lower(),
        "mulai": formats.date_format(row.mulai, "j F Y"),
        "selesai": formats.date_format(row.selesai, "j F Y"),
    }


def _akun(pegawai_id: int | None) -> list[User]:
    if pegawai_id is None:
        return []
    return list(User.objects.filter(pegawai__pk=pegawai_id))


@bahasa_daerah()
def _beritahu_penyetuju(*, row: PermohonanCuti, pegawai_id: int | None) -> None:
    """Tell whoever decides now (the superior, or at level 2 the authorised official)."""
    tahap2 = row.status == PermohonanCuti.Status.DISETUJUI_ATASAN
    isi = _("%(jenis)s %(mulai)s s.d. %(selesai)s (%(lama)s hari). Alasan: %(alasan)s") % {
        **_periode(row),
        "jenis": row.get_jenis_display(),
        "lama": row.lama_hari,
        "alasan": row.alasan,
    }
    if tahap2:
        isi = (
            _("Sudah disetujui atasan langsung; menunggu keputusan Anda sebagai pejabat berwenang.")
            + " "
            + isi
        )
    notifikasi_kirim(
        penerima=_akun(pegawai_id),
        jenis="cuti.perlu_keputusan",
        judul=_("Permohonan %(jenis)s dari %(nama)s menunggu keputusan Anda")
        % {"jenis": row.get_jenis_display().lower(), "nama": row.pegawai.nama_lengkap},
        isi=isi,
        tautan=reverse("cuti:persetujuan"),
        objek=row,
    )


@bahasa_daerah()
def _beritahu_pemohon(*, row: PermohonanCuti) -> None:
    """Tell the employee what was decided."""
    periode = _periode(row)
    catatan = _("Catatan: %(catatan)s") % {"catatan": row.catatan} if row.catatan else ""
    if row.status == PermohonanCuti.Status.DITOLAK:
        judul = _("Permohonan %(jenis)s Anda %(mulai)s s.d. %(selesai)s ditolak") % periode
        isi = catatan
    elif row.status == PermohonanCuti.Status.DISETUJUI_ATASAN:
        judul = _("Permohonan %(jenis)s Anda disetujui atasan, menunggu pejabat berwenang") % periode
        isi = " ".join(filter(None, [_("Periode %(mulai)s s.d. %(selesai)s.") % periode, catatan]))
    else:
        judul = _("Permohonan %(jenis)s Anda %(mulai)s s.d. %(selesai)s disetujui") % periode
        isi = " ".join(filter(None, [_("Nomor surat cuti %(nomor)s.") % {"nomor": row.nomor_surat}, catatan]))
    notifikasi_kirim(
        penerima=_akun(row.pegawai_id),
        jenis=f"cuti.{row.status}",
        judul=judul,
        isi=isi,
        tautan=reverse("cuti:daftar"),
        objek=row,
    )


def _recompute(permohonan: PermohonanCuti) -> None:
    from modules.presensi.services import status_harian_hitung_rentang

    status_harian_hitung_rentang(
        pegawai=permohonan.pegawai, mulai=permohonan.mulai, sampai=permohonan.selesai
    )


@transaction.atomic
def cuti_putus(*, user: Any, permohonan: PermohonanCuti, setuju: bool, catatan: str = "") -> PermohonanCuti:
    """The superior (level 1) or the next level (level 2) decides. The final approval debits the
    ledger (cuti tahunan), numbers the leave letter and sets the daily status of its days."""
    row = (
        PermohonanCuti.objects.select_for_update(of=("self",)).select_related("pegawai").get(pk=permohonan.pk)
    )
    user_id = getattr(user, "pk", None)
    penyetuju = Pegawai.objects.filter(user_id=user_id).first() if user_id is not None else None
    before = {"status": row.status}
    if row.status == PermohonanCuti.Status.DIAJUKAN:
        expected = row.atasan_id
    elif row.status == PermohonanCuti.Status.DISETUJUI_ATASAN:
        expected = row.pejabat_id
    else:
        raise _fail(
            _("Permohonan ini sudah %(status)s.") % {"status": row.get_status_display().lower()},
            code="sudah_diputus",
            status=409,
        )
    if penyetuju is None or penyetuju.pk != expected:
        raise _fail(
            _("Anda bukan penyetuju permohonan cuti ini pada tahap sekarang."),
            code="bukan_penyetuju",
            status=403,
        )
    now = timezone.now()
    row.catatan = catatan[:255]
    if not setuju:
        row.status = PermohonanCuti.Status.DITOLAK
        row.diputus_pada = now
    elif row.status == PermohonanCuti.Status.DIAJUKAN and row.tingkat == 2:
        row.status = PermohonanCuti.Status.DISETUJUI_ATASAN
        row.diputus_atasan_pada = now
    else:
        if row.status == PermohonanCuti.Status.DIAJUKAN:
            row.diputus_atasan_pada = now
        row.status = PermohonanCuti.Status.DISETUJUI
        row.diputus_pada = now
        row.nomor_surat = f"800.1.11.4/{row.pk}/CUTI/{row.mulai.year}"
        if row.jenis == JenisCuti.TAHUNAN:
            saldo = saldo_cuti_buka(pegawai=row.pegawai, tahun=row.mulai.year)
            if row.lama_hari > saldo:
                raise _fail(
                    _(
                        "Saldo cuti tahunan tinggal %(saldo)s hari; permohonan %(lama)s hari tidak dapat disetujui."
                    )
                    % {"saldo": saldo, "lama": row.lama_hari},
                    code="saldo_kurang",
                    status=422,
                )
            try:
                with transaction.atomic():
                    MutasiSaldoCuti.objects.create(
                        pegawai=row.pegawai,
                        tahun=row.mulai.year,
                        jenis=MutasiSaldoCuti.Jenis.PEMAKAIAN,
                        hari=-row.lama_hari,
                        permohonan=row,
                    )
            except IntegrityError as exc:
                raise _fail(_("Permohonan ini sudah dibukukan."), code="sudah_dibukukan", status=409) from exc
        elif row.jenis == JenisCuti.BESAR:
            # PP 11/2017: a PNS who takes cuti besar has no cuti tahunan in that year; what is
            # left of it lapses (and comes back if the cuti besar is cancelled before it starts).
            saldo = saldo_cuti_buka(pegawai=row.pegawai, tahun=row.mulai.year)
            if saldo > 0:
                MutasiSaldoCuti.objects.create(
                    pegawai=row.pegawai,
                    tahun=row.mulai.year,
                    jenis=MutasiSaldoCuti.Jenis.PEMAKAIAN,
                    hari=-saldo,
                    permohonan=row,
                    keterangan=_("Hak cuti tahunan gugur karena cuti besar"),
                )
    row.save(
        update_fields=[
            "status",
            "catatan",
            "diputus_atasan_pada",
            "diputus_pada",
            "nomor_surat",
            "updated_at",
        ]
    )
    audit_record(
        actor=user,
        action="cuti.putus",
        target=row,
        before=before,
        after={"status": row.status},
        reason=catatan,
    )
    _beritahu_pemohon(row=row)
    if row.status == PermohonanCuti.Status.DISETUJUI_ATASAN:
        _beritahu_penyetuju(row=row, pegawai_id=row.pejabat_id)
    if row.status == PermohonanCuti.Status.DISETUJUI:
        _recompute(row)
    return row


@transaction.atomic
def cuti_batal(
    *, user: Any, permohonan: PermohonanCuti, alasan: str = "", today: datetime.date | None = None
) -> PermohonanCuti:
    """The employee cancels a request: a pending one any time, an approved one before it starts
    (the days go back to the ledger and the daily status is recomputed)."""
    from modules.presensi.selectors import tenant_zone

    row = (
        PermohonanCuti.objects.select_for_update(of=("self",)).select_related("pegawai").get(pk=permohonan.pk)
    )
    if row.pegawai.user_id != getattr(user, "pk", None):
        raise _fail(
            _("Hanya pemohon yang dapat membatalkan permohonan ini."), code="bukan_pemohon", status=403
        )
    today = today or timezone.localdate(timezone=tenant_zone())
    before = {"status": row.status}
    if row.status in (PermohonanCuti.Status.DITOLAK, PermohonanCuti.Status.DIBATALKAN):
        raise _fail(
            _("Permohonan ini sudah %(status)s.") % {"status": row.get_status_display().lower()},
            code="sudah_selesai",
            status=409,
        )
    was_approved = row.status == PermohonanCuti.Status.DISETUJUI
    if was_approved and row.mulai <= today:
        raise _fail(_("Cuti yang sudah dimulai tidak dapat dibatalkan."), code="sudah_mulai", status=409)
    row.status = PermohonanCuti.Status.DIBATALKAN
    row.catatan = alasan[:255]
    row.save(update_fields=["status", "catatan", "updated_at"])
    debited = MutasiSaldoCuti.objects.filter(permohonan=row, jenis=MutasiSaldoCuti.Jenis.PEMAKAIAN).first()
    if was_approved and debited is not None:
        # Whatever the approval took from the ledger (the days of cuti tahunan, or the balance
        # that lapsed with cuti besar) goes back.
        MutasiSaldoCuti.objects.create(
            pegawai=row.pegawai,
            tahun=debited.tahun,
            jenis=MutasiSaldoCuti.Jenis.PENGEMBALIAN,
            hari=-debited.hari,
            permohonan=row,
        )
    audit_record(
        actor=user,
        action="cuti.batal",
        target=row,
        before=before,
        after={"status": row.status},
        reason=alasan,
    )
    if was_approved:
        _recompute(row)
    return row
