"""Reads on TPP: the Perbup in force, OPDs and their serapan anggaran, the month's lines and totals
within the reader's scope, and the slip's lines in the reader's language.

Scope (who sees whose slips and enters whose kinerja) is kepegawaian's:
`access.cakupan_data_pribadi` and `access.pegawai_in_cakupan`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.core.errors import ApplicationError
from eoffice.core.templatetags.money import rupiah_text
from modules.kepegawaian import access
from modules.kepegawaian.access import Cakupan
from modules.kepegawaian.models import Unit
from modules.tpp.models import PerbupTpp, SerapanAnggaran, TppBaris, TppPeriode
from modules.tpp.rumus import Besaran, JenisHukdis, ParameterTpp


def baris_in_cakupan(*, cakupan: Cakupan, periode: TppPeriode) -> QuerySet[TppBaris]:
    """The month's lines the scope covers, by the unit each line was computed in."""
    return TppBaris.objects.filter(periode=periode).filter(
        cakupan.pegawai_filter(unit_prefix="unit__", pegawai_field="pegawai_id")
    )


def perbup_berlaku(*, tanggal: datetime.date) -> PerbupTpp:
    """The Perbup in force on `tanggal`: the latest one starting on or before it."""
    perbup = PerbupTpp.objects.filter(berlaku_mulai__lte=tanggal).order_by("-berlaku_mulai").first()
    if perbup is None:
        raise ApplicationError(
            _("Belum ada Perbup TPP yang berlaku pada %(tanggal)s. Tambahkan parameter TPP lebih dulu.")
            % {"tanggal": formats.date_format(tanggal, "j F Y")},
            code="perbup_tidak_ada",
        )
    return perbup


def parameter_dari_perbup(*, perbup: PerbupTpp) -> ParameterTpp:
    """The Perbup's numbers for the arithmetic (three queries, whatever the regency's size)."""
    return ParameterTpp(
        besaran=tuple(
            Besaran(row.kelas_jabatan, row.jenis_jabatan, row.jenis_unit, row.besaran)
            for row in perbup.besaran.all()
        ),
        bobot_kinerja=perbup.bobot_kinerja,
        bobot_disiplin=perbup.bobot_disiplin,
        bobot_serapan=perbup.bobot_serapan,
        band={(row.jenis, row.band): row.persen for row in perbup.potongan_band.all()},
        potongan_tk_per_hari=perbup.potongan_tk_per_hari,
        potongan_izin_per_hari=perbup.potongan_izin_per_hari,
        potongan_disiplin_maks=perbup.potongan_disiplin_maks,
        persen_cpns=perbup.persen_cpns,
        bpjs_persen_total=perbup.bpjs_persen_total,
        bpjs_persen_pegawai=perbup.bpjs_persen_pegawai,
        bpjs_batas_atas=perbup.bpjs_batas_atas,
        pajak_dipotong=perbup.pajak_perlakuan == PerbupTpp.PerlakuanPajak.DIPOTONG,
        tarif_pph_gol_iv=perbup.tarif_pph_gol_iv,
        tarif_pph_gol_iii=perbup.tarif_pph_gol_iii,
        tarif_pph_lainnya=perbup.tarif_pph_lainnya,
        hukdis={
            row.kode: JenisHukdis(row.kode, row.nama, row.persen, row.bulan)
            for row in perbup.jenis_hukdis.all()
        },
    )


def opd_for(*, unit: Unit, units_by_id: dict[int, Unit]) -> Unit:
    """The OPD of `unit`: the unit just below the Pemda root (a dinas, badan, kecamatan…). A tree
    whose root is not a Pemda unit (an OPD-only tree) makes the root itself the OPD.
    `units_by_id` holds at least the first two units on `unit`'s path."""
    ids = [int(part) for part in unit.path.split(".") if part]
    root = units_by_id.get(ids[0]) if ids else None
    if root is not None and root.jenis == Unit.Jenis.PEMDA and len(ids) >= 2:
        return units_by_id.get(ids[1], unit)
    return root or unit


def opd_queryset() -> QuerySet[Unit]:
    """Every OPD of the regency by the rule of `opd_for`: children of a Pemda root, and roots
    that are not a Pemda unit."""
    return Unit.objects.filter(
        Q(depth=1, parent__jenis=Unit.Jenis.PEMDA, parent__depth=0)
        | (Q(depth=0) & ~Q(jenis=Unit.Jenis.PEMDA))
    )


@dataclass
class SerapanOpd:
    opd: Unit
    nilai: Decimal | None


def serapan_anggaran_bulan(*, tahun: int, bulan: int) -> list[SerapanOpd]:
    """Every active OPD with its realisasi serapan anggaran for the month (None: not entered yet),
    in two queries."""
    opd_list = list(opd_queryset().filter(aktif=True).order_by("urutan", "nama"))
    nilai = dict(
        SerapanAnggaran.objects.filter(tahun=tahun, bulan=bulan, opd__in=opd_list).values_list(
            "opd_id", "nilai"
        )
    )
    return [SerapanOpd(opd=opd, nilai=nilai.get(opd.pk)) for opd in opd_list]


def periode_get(*, tahun: int, bulan: int) -> TppPeriode:
    periode = TppPeriode.objects.select_related("perbup").filter(tahun=tahun, bulan=bulan).first()
    if periode is None:
        raise ApplicationError(
            _("TPP bulan %(bulan)s/%(tahun)s belum dihitung.") % {"bulan": bulan, "tahun": tahun},
            code="not_found",
            status=404,
        )
    return periode


def rekap_per_opd(*, cakupan: Cakupan, periode: TppPeriode) -> list[dict[str, Any]]:
    """Totals per OPD for the review screen and the PDF recap."""
    return list(
        baris_in_cakupan(cakupan=cakupan, periode=periode)  # type: ignore[arg-type]
        .values("opd_id", "nama_opd")
        .annotate(
            jumlah=Count("id"),
            kinerja=Sum("komponen_kinerja"),
            disiplin=Sum("komponen_disiplin"),
            serapan=Sum("komponen_serapan"),
            bruto=Sum("bruto"),
            hukdis=Sum("potongan_hukdis"),
            bpjs=Sum("potongan_bpjs"),
            pph=Sum("potongan_pph"),
            netto=Sum("netto"),
            perhatian=Count("id", filter=Q(perlu_perhatian=True)),
        )
        .order_by("nama_opd")
    )


def baris_get_for(*, user: User, baris_id: int) -> TppBaris:
    """One employee's line, if the user may see it (their own, or within their unit scope)."""
    baris = TppBaris.objects.select_related("periode", "unit").filter(pk=baris_id).first()
    if baris is None:
        raise ApplicationError(_("Slip TPP tidak ditemukan."), code="not_found", status=404)
    cakupan = access.cakupan_data_pribadi(user=user)
    if not cakupan.mencakup(unit=baris.unit, pegawai_id=baris.pegawai_id):
        # Someone else's slip reads as missing: its existence is not the caller's business.
        raise ApplicationError(_("Slip TPP tidak ditemukan."), code="not_found", status=404)
    return baris


def _pct(value: str) -> str:
    return formats.number_format(Decimal(value), use_l10n=True) + "%"


def _tanggal(value: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(value), "j F")


def slip_uraian(item: dict[str, Any]) -> dict[str, str]:
    """One stored slip line as text in the active language: {"uraian", "nilai"}."""
    kode = item["kode"]
    if kode == "besaran":
        return {
            "uraian": _("Besaran TPP kelas jabatan %(kelas)s") % {"kelas": item["kelas"]},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "cpns":
        return {
            "uraian": _("CPNS menerima %(persen)s") % {"persen": _pct(item["persen"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "kinerja":
        return {
            "uraian": _("Komponen kinerja %(bobot)s × nilai kinerja %(nilai)s")
            % {
                "bobot": _pct(item["bobot"]),
                "nilai": formats.number_format(Decimal(item["nilai"]), use_l10n=True),
            },
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "kinerja_kosong":
        return {
            "uraian": _("Nilai kinerja bulan ini belum diisi: komponen kinerja Rp0"),
            "nilai": rupiah_text(0),
        }
    if kode in ("tl", "psw"):
        return {
            "uraian": _("%(jenis)s%(band)s pada %(tanggal)s")
            % {"jenis": kode.upper(), "band": item["band"], "tanggal": _tanggal(item["tanggal"])},
            "nilai": "−" + _pct(item["persen"]),
        }
    if kode == "tk":
        return {
            "uraian": _("Tanpa keterangan (TK) pada %(tanggal)s") % {"tanggal": _tanggal(item["tanggal"])},
            "nilai": "−" + _pct(item["persen"]),
        }
    if kode == "izin":
        return {
            "uraian": _("Izin pada %(tanggal)s") % {"tanggal": _tanggal(item["tanggal"])},
            "nilai": "−" + _pct(item["persen"]),
        }
    if kode == "batas_disiplin":
        return {
            "uraian": _("Potongan disiplin %(total)s dibatasi") % {"total": _pct(item["total"])},
            "nilai": _pct(item["persen"]),
        }
    if kode == "disiplin":
        return {
            "uraian": _("Komponen disiplin %(bobot)s × (100%% − potongan %(persen)s)")
            % {"bobot": _pct(item["bobot"]), "persen": _pct(item["persen"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode in ("serapan", "serapan_kosong"):
        label = {
            "opd": item["opd"],
            "bulan": formats.date_format(datetime.date(item["tahun"], item["bulan"], 1), "F Y"),
            "bobot": _pct(item["bobot"]),
        }
        if kode == "serapan_kosong":
            return {
                "uraian": _(
                    "Serapan anggaran %(opd)s %(bulan)s belum diisi: komponen serapan anggaran (bobot %(bobot)s) Rp0"
                )
                % label,
                "nilai": rupiah_text(0),
            }
        return {
            "uraian": _("Serapan anggaran %(opd)s %(bulan)s: %(nilai)s × bobot %(bobot)s")
            % {**label, "nilai": _pct(item["nilai"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "bruto":
        return {"uraian": _("TPP kotor"), "nilai": rupiah_text(item["nominal"])}
    if kode == "hukdis":
        return {
            "uraian": _("Hukdis %(nama)s: −%(persen)s")
            % {"nama": item["nama"], "persen": _pct(item["persen"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "bpjs":
        return {
            "uraian": _("Iuran BPJS Kesehatan %(persen)s × %(dasar)s")
            % {"persen": _pct(item["persen"]), "dasar": rupiah_text(item["dasar"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "pph":
        return {
            "uraian": _("PPh 21 %(persen)s") % {"persen": _pct(item["persen"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "pph_ditanggung":
        return {
            "uraian": _("PPh 21 %(persen)s ditanggung pemda (tidak dipotong)")
            % {"persen": _pct(item["persen"])},
            "nilai": rupiah_text(item["nominal"]),
        }
    if kode == "netto":
        return {"uraian": _("TPP diterima"), "nilai": rupiah_text(item["nominal"])}
    if kode == "tanpa_jabatan":
        return {"uraian": _("Pegawai belum memiliki jabatan: TPP tidak dihitung"), "nilai": rupiah_text(0)}
    if kode == "tanpa_besaran":
        return {
            "uraian": _("Perbup tidak mengatur besaran TPP untuk kelas jabatan %(kelas)s")
            % {"kelas": item["kelas"]},
            "nilai": rupiah_text(0),
        }
    return {"uraian": kode, "nilai": ""}


def slip_lines(*, baris: TppBaris) -> list[dict[str, str]]:
    return [slip_uraian(item) for item in baris.rincian]
