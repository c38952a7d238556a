"""Reads on cuti: balances, requests, approvals waiting, and the excuses presensi reads."""

import datetime

from django.db.models import Q, QuerySet, Sum

from modules.cuti.models import JenisCuti, MutasiSaldoCuti, PermohonanCuti
from modules.kepegawaian.models import Pegawai
from modules.presensi.rules import Pengecualian

AKTIF = (
    PermohonanCuti.Status.DIAJUKAN,
    PermohonanCuti.Status.DISETUJUI_ATASAN,
    PermohonanCuti.Status.DISETUJUI,
)
MENUNGGU = (PermohonanCuti.Status.DIAJUKAN, PermohonanCuti.Status.DISETUJUI_ATASAN)
# Counted in working days; the others in calendar days.
HARI_KERJA = (JenisCuti.TAHUNAN, JenisCuti.SAKIT, JenisCuti.ALASAN_PENTING)


def saldo_cuti_tahunan(*, pegawai: Pegawai, tahun: int) -> int:
    """The year's ledger balance (approved leave already debited)."""
    total = MutasiSaldoCuti.objects.filter(pegawai=pegawai, tahun=tahun).aggregate(total=Sum("hari"))["total"]
    return int(total or 0)


def cuti_tahunan_menunggu(*, pegawai: Pegawai, tahun: int, kecuali: int | None = None) -> int:
    """Days of cuti tahunan requested in the year and still waiting for a decision."""
    qs = PermohonanCuti.objects.filter(
        pegawai=pegawai, jenis=JenisCuti.TAHUNAN, status__in=MENUNGGU, mulai__year=tahun
    )
    if kecuali is not None:
        qs = qs.exclude(pk=kecuali)
    return int(qs.aggregate(total=Sum("lama_hari"))["total"] or 0)


def cuti_bentrok(*, pegawai: Pegawai, mulai: datetime.date, selesai: datetime.date) -> PermohonanCuti | None:
    return (
        PermohonanCuti.objects.filter(
            pegawai=pegawai, status__in=AKTIF, mulai__lte=selesai, selesai__gte=mulai
        )
        .order_by("mulai")
        .first()
    )


def permohonan_list_for(*, pegawai: Pegawai) -> QuerySet[PermohonanCuti]:
    return PermohonanCuti.objects.filter(pegawai=pegawai).select_related("atasan", "pejabat")


def permohonan_menunggu_keputusan(*, penyetuju: Pegawai) -> QuerySet[PermohonanCuti]:
    """Requests waiting for this person's decision, at either level."""
    return PermohonanCuti.objects.filter(
        Q(status=PermohonanCuti.Status.DIAJUKAN, atasan=penyetuju)
        | Q(status=PermohonanCuti.Status.DISETUJUI_ATASAN, pejabat=penyetuju)
    ).select_related("pegawai")


def permohonan_get_for(*, pegawai: Pegawai, pk: int) -> PermohonanCuti:
    """A request its owner or one of its approvers may see; others get DoesNotExist (404)."""
    return (
        PermohonanCuti.objects.filter(Q(pegawai=pegawai) | Q(atasan=pegawai) | Q(pejabat=pegawai))
        .select_related("pegawai")
        .get(pk=pk)
    )


def cuti_pengecualian(
    *, pegawai_ids: list[int], mulai: datetime.date, sampai: datetime.date
) -> dict[tuple[int, datetime.date], Pengecualian]:
    """Approved leave as presensi excuses for each day it covers, with the leave letter number."""
    result: dict[tuple[int, datetime.date], Pengecualian] = {}
    for p in PermohonanCuti.objects.filter(
        pegawai_id__in=pegawai_ids,
        status=PermohonanCuti.Status.DISETUJUI,
        mulai__lte=sampai,
        selesai__gte=mulai,
    ):
        day = max(p.mulai, mulai)
        while day <= min(p.selesai, sampai):
            result[(p.pegawai_id, day)] = Pengecualian(
                status="cuti",
                jenis_cuti=p.jenis,
                dokumen=p.nomor_surat,
                keterangan=p.get_jenis_display(),
                hari_kerja_saja=p.jenis in HARI_KERJA,
            )
            day += datetime.timedelta(days=1)
    return result
