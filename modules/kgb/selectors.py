"""Reads on KGB: each PNS's next raise (date and salary) and the upcoming raises per unit."""

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from modules.kepegawaian.access import Cakupan, cakupan_data_pribadi, pegawai_in_cakupan
from modules.kepegawaian.models import Pegawai, RiwayatGaji, RiwayatPangkat
from modules.kgb.gaji import KgbBerikutnya, golongan_pns_valid, kgb_berikutnya
from modules.kgb.models import Kgb

JENIS_KGB = (Pegawai.JenisPegawai.PNS, Pegawai.JenisPegawai.CPNS)


@dataclass(frozen=True)
class Acuan:
    """The reference point the next KGB counts from: MKG held on a TMT (last SK pangkat or gaji)."""

    tmt: datetime.date
    mkg_tahun: int
    mkg_bulan: int
    sumber: str


@dataclass(frozen=True)
class KgbRencana:
    pegawai: Pegawai
    acuan: Acuan | None
    berikutnya: KgbBerikutnya | None
    kgb: Kgb | None  # the draft/issued/postponed row for that TMT, if any
    masalah: str = ""
    # Days since a TMT that passed with the raise neither issued nor postponed (set by
    # `kgb_mendatang`, which knows the date); 0 for a raise still ahead.
    terlambat_hari: int = 0

    @property
    def terlambat(self) -> bool:
        return self.terlambat_hari > 0


def acuan_for(*, pegawai: Pegawai, riwayat_gaji: RiwayatGaji | None) -> Acuan | None:
    """The later of the employee's TMT golongan (with the MKG on their record) and their last
    salary record in the same golongan."""
    candidates = []
    if pegawai.tmt_golongan is not None:
        candidates.append(Acuan(pegawai.tmt_golongan, pegawai.mkg_tahun, pegawai.mkg_bulan, "pangkat"))
    if riwayat_gaji is not None and riwayat_gaji.golongan == pegawai.golongan:
        candidates.append(Acuan(riwayat_gaji.tmt, riwayat_gaji.mkg_tahun, riwayat_gaji.mkg_bulan, "gaji"))
    return max(candidates, key=lambda a: a.tmt) if candidates else None


def rencana_for(*, pegawai: Pegawai, riwayat_gaji: RiwayatGaji | None, kgb_rows: list[Kgb]) -> KgbRencana:
    """The next KGB of one employee, honouring a postponement of the same raise."""
    if not golongan_pns_valid(pegawai.golongan):
        return KgbRencana(pegawai, None, None, None, _("Golongan bukan golongan PNS."))
    acuan = acuan_for(pegawai=pegawai, riwayat_gaji=riwayat_gaji)
    if acuan is None:
        return KgbRencana(pegawai, None, None, None, _("TMT golongan belum diisi."))
    cpns = pegawai.jenis_pegawai == Pegawai.JenisPegawai.CPNS
    berikutnya = kgb_berikutnya(
        golongan=pegawai.golongan,
        mkg_tahun=acuan.mkg_tahun,
        mkg_bulan=acuan.mkg_bulan,
        tmt_acuan=acuan.tmt,
        cpns=cpns,
    )
    if berikutnya is None:
        return KgbRencana(pegawai, acuan, None, None, _("Sudah mencapai MKG tertinggi pada tabel gaji."))
    # A raise postponed (PP 7/1977: up to a year) is due again at the end of the postponement.
    later = [k for k in kgb_rows if k.tmt >= berikutnya.tmt]
    for row in sorted(later, key=lambda k: k.tmt):
        if row.status == Kgb.Status.DITUNDA and row.ditunda_sampai:
            berikutnya = KgbBerikutnya(
                tmt=row.ditunda_sampai,
                mkg_tahun=berikutnya.mkg_tahun,
                mkg_bulan=0,
                gaji_lama=berikutnya.gaji_lama,
                gaji_baru=berikutnya.gaji_baru,
            )
            continue
        if row.tmt == berikutnya.tmt:
            return KgbRencana(pegawai, acuan, berikutnya, row)
    return KgbRencana(pegawai, acuan, berikutnya, None)


def _pegawai_kgb_qs(pegawai_qs: QuerySet[Pegawai]) -> QuerySet[Pegawai]:
    return pegawai_qs.filter(status=Pegawai.Status.AKTIF, jenis_pegawai__in=JENIS_KGB).select_related(
        "unit", "jabatan"
    )


def rencana_list(*, pegawai_qs: QuerySet[Pegawai]) -> list[KgbRencana]:
    """Next KGB of every active PNS/CPNS in `pegawai_qs`, in three queries whatever the count."""
    pegawai_list = list(_pegawai_kgb_qs(pegawai_qs))
    ids = [p.pk for p in pegawai_list]
    gaji = {
        r.pegawai_id: r
        for r in RiwayatGaji.objects.filter(pegawai_id__in=ids)
        .order_by("pegawai_id", "-tmt", "-id")
        .distinct("pegawai_id")
    }
    kgb_rows: dict[int, list[Kgb]] = {}
    for row in Kgb.objects.filter(pegawai_id__in=ids):
        kgb_rows.setdefault(row.pegawai_id, []).append(row)
    return [
        rencana_for(pegawai=p, riwayat_gaji=gaji.get(p.pk), kgb_rows=kgb_rows.get(p.pk, []))
        for p in pegawai_list
    ]


def _belum_diproses(rencana: KgbRencana) -> bool:
    """No letter issued and no postponement for the raise's TMT (at most a draft)."""
    return rencana.kgb is None or rencana.kgb.status == Kgb.Status.DRAF


def kgb_mendatang(*, user: User, hari_ini: datetime.date, sampai: datetime.date) -> list[KgbRencana]:
    """The raises the user may see that need action: those due between today and `sampai`, and
    those already due but never processed (no letter issued, no postponement), which carry
    `terlambat_hari`. Overdue ones first, longest overdue first; then by unit, TMT and name.

    An overdue raise stays listed however old: the employee is owed it from its TMT (paid in
    arrears once the letter is issued), so it must not drop off the list unseen."""
    cakupan = cakupan_data_pribadi(user=user)
    rows: list[KgbRencana] = []
    for r in rencana_list(pegawai_qs=pegawai_in_cakupan(cakupan=cakupan)):
        if r.berikutnya is None or r.berikutnya.tmt > sampai:
            continue
        if r.berikutnya.tmt >= hari_ini:
            rows.append(r)
        elif _belum_diproses(r):
            rows.append(dataclasses.replace(r, terlambat_hari=(hari_ini - r.berikutnya.tmt).days))
    return sorted(rows, key=_urutan)


def _urutan(r: KgbRencana) -> tuple[Any, ...]:
    tmt = r.berikutnya.tmt if r.berikutnya else datetime.date.min
    if r.terlambat:
        return (0, tmt, r.pegawai.unit.path, r.pegawai.nama)
    return (1, r.pegawai.unit.path, tmt, r.pegawai.nama)


def kgb_get_for(*, user: User, kgb_id: int) -> Kgb:
    kgb = Kgb.objects.select_related("pegawai__unit", "pegawai__jabatan").filter(pk=kgb_id).first()
    if kgb is None:
        raise ApplicationError(_("Data KGB tidak ditemukan."), code="not_found", status=404)
    cakupan: Cakupan = cakupan_data_pribadi(user=user)
    if not pegawai_in_cakupan(cakupan=cakupan).filter(pk=kgb.pegawai_id).exists():
        raise ApplicationError(_("Data KGB tidak ditemukan."), code="not_found", status=404)
    return kgb


def kgb_list(*, user: User, status: str = "") -> QuerySet[Kgb]:
    cakupan = cakupan_data_pribadi(user=user)
    qs = Kgb.objects.select_related("pegawai__unit").filter(pegawai__in=pegawai_in_cakupan(cakupan=cakupan))
    return qs.filter(status=status) if status else qs


def dasar_pangkat_text(*, pegawai: Pegawai) -> str:
    last = RiwayatPangkat.objects.filter(pegawai=pegawai).order_by("-tmt").first()
    if last is None:
        return ""
    return _("SK %(nomor)s tanggal %(tanggal)s, golongan %(gol)s TMT %(tmt)s") % {
        "nomor": last.sk_nomor,
        "tanggal": last.sk_tanggal.strftime("%d-%m-%Y"),
        "gol": last.golongan,
        "tmt": last.tmt.strftime("%d-%m-%Y"),
    }


def dasar_gaji_text(*, pegawai: Pegawai) -> str:
    last = RiwayatGaji.objects.filter(pegawai=pegawai).order_by("-tmt", "-id").first()
    if last is None:
        return ""
    return _("SK %(nomor)s tanggal %(tanggal)s, gaji pokok Rp%(gaji)s TMT %(tmt)s") % {
        "nomor": last.sk_nomor,
        "tanggal": last.sk_tanggal.strftime("%d-%m-%Y"),
        "gaji": f"{last.gaji_pokok:,}".replace(",", "."),
        "tmt": last.tmt.strftime("%d-%m-%Y"),
    }
