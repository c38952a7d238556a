"""Writes on TPP: Perbup parameters, kinerja, serapan anggaran per OPD, hukdis, and the monthly run (compute, correct, lock, reopen).

Every write is keyword-only, atomic and audited (STYLE.md rule 1). A locked month changes only
through `tpp_periode_buka_kembali`, which needs a reason and is audited.
"""

import calendar
import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError, clean_or_refuse
from modules.kepegawaian.access import Cakupan, cakupan_data_pribadi, pegawai_in_cakupan
from modules.kepegawaian.models import Pegawai, RiwayatGaji, Unit
from modules.presensi.models import PenutupanHari, StatusHarian
from modules.presensi.selectors import hari_kerja_belum_ditutup as presensi_hari_belum_ditutup
from modules.presensi.selectors import tenant_zone
from modules.presensi.services import status_harian_tutup_rentang
from modules.tpp.models import (
    Hukdis,
    KinerjaBulanan,
    PerbupTpp,
    SerapanAnggaran,
    TppBaris,
    TppBesaran,
    TppJenisHukdis,
    TppPeriode,
    TppPotonganBand,
)
from modules.tpp.rumus import HariDisiplin, MasukanPegawai, hitung_tpp
from modules.tpp.selectors import (
    opd_for,
    opd_queryset,
    parameter_dari_perbup,
    perbup_berlaku,
)

PERBUP_FIELDS = (
    "bobot_kinerja",
    "bobot_disiplin",
    "bobot_serapan",
    "potongan_tk_per_hari",
    "potongan_izin_per_hari",
    "potongan_disiplin_maks",
    "persen_cpns",
    "bpjs_persen_total",
    "bpjs_persen_pegawai",
    "bpjs_batas_atas",
    "pajak_perlakuan",
    "tarif_pph_gol_iv",
    "tarif_pph_gol_iii",
    "tarif_pph_lainnya",
)


BOBOT_FIELDS = ("bobot_kinerja", "bobot_disiplin", "bobot_serapan")


def _require_admin_pemda(actor: User) -> None:
    if actor.peran != User.Peran.ADMIN_PEMDA:
        raise ApplicationError(
            _("Hanya admin pemda yang dapat melakukan tindakan ini."), code="permission_denied", status=403
        )


def perbup_tpp_create(
    *,
    actor: User,
    nomor: str,
    berlaku_mulai: datetime.date,
    parameter: dict[str, Any],
    besaran: list[dict[str, Any]],
    potongan_band: list[dict[str, Any]],
    jenis_hukdis: list[dict[str, Any]],
    judul: str = "",
) -> PerbupTpp:
    """Add a Perbup/Perwali on TPP in force from `berlaku_mulai` (a 1st of a month).

    Months already computed keep the Perbup they were computed under; a month not yet computed
    uses whichever Perbup is in force on its first day when it is computed.
    """
    _require_admin_pemda(actor)
    if berlaku_mulai.day != 1:
        raise ApplicationError(
            _("Perbup TPP berlaku mulai tanggal 1 suatu bulan."),
            fields={"berlaku_mulai": [_("Pilih tanggal 1 suatu bulan.")]},
        )
    unknown = set(parameter) - set(PERBUP_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Parameter tidak dikenal: %(nama)s.") % {"nama": ", ".join(sorted(unknown))},
            fields={name: [_("Parameter tidak dikenal.")] for name in sorted(unknown)},
        )
    parameter = dict(parameter)
    bobot: list[Decimal] = []
    for name in BOBOT_FIELDS:
        # Serapan anggaran is optional: a Perbup without it (60/40, 40/60) leaves it out or blank.
        raw = str(parameter.get(name, "")).strip().replace(",", ".")
        if name == "bobot_serapan" and raw == "":
            raw = "0"
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise ApplicationError(
                _("Bobot harus angka persen."), fields={name: [_("Isi angka 0–100.")]}
            ) from exc
        if not value.is_finite() or not 0 <= value <= 100:
            raise ApplicationError(_("Bobot harus angka persen."), fields={name: [_("Isi angka 0–100.")]})
        parameter[name] = value
        bobot.append(value)
    jumlah = sum(bobot, Decimal(0))
    if jumlah != 100:
        pesan = _(
            "Bobot kinerja + bobot disiplin + bobot serapan anggaran harus 100 persen (sekarang %(n)s)."
        ) % {"n": format(jumlah.normalize(), "f")}
        raise ApplicationError(
            _("Bobot kinerja, bobot disiplin dan bobot serapan anggaran harus berjumlah 100 persen."),
            fields={name: [pesan] for name in BOBOT_FIELDS},
        )
    if not besaran:
        raise ApplicationError(
            _("Isi besaran TPP minimal untuk satu kelas jabatan."), fields={"besaran": [_("Wajib diisi.")]}
        )
    try:
        with transaction.atomic():
            perbup = PerbupTpp(
                nomor=nomor, judul=judul, berlaku_mulai=berlaku_mulai, created_by=actor, **parameter
            )
            perbup.full_clean()
            perbup.save()
            children: list[Any] = []
            for label, model, rows in (
                ("besaran", TppBesaran, besaran),
                ("potongan_band", TppPotonganBand, potongan_band),
                ("jenis_hukdis", TppJenisHukdis, jenis_hukdis),
            ):
                for index, row in enumerate(rows):
                    child = model(perbup=perbup, **row)
                    try:
                        child.full_clean()
                    except ValidationError as exc:
                        messages = [
                            f"{key}: {msg}" for key, values in exc.message_dict.items() for msg in values
                        ]
                        raise ApplicationError(
                            _("Baris %(n)s pada %(bagian)s tidak valid: %(pesan)s")
                            % {"n": index + 1, "bagian": label, "pesan": "; ".join(messages)},
                            fields={label: messages},
                        ) from exc
                    children.append(child)
            for child in children:
                child.save()
            audit_record(
                actor=actor,
                action="tpp.perbup_create",
                target=perbup,
                after={
                    "nomor": nomor,
                    "berlaku_mulai": berlaku_mulai.isoformat(),
                    **{key: str(value) for key, value in parameter.items()},
                    "besaran": len(besaran),
                    "potongan_band": len(potongan_band),
                    "jenis_hukdis": len(jenis_hukdis),
                },
            )
    except ValidationError as exc:
        raise ApplicationError.from_validation(exc) from exc
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ApplicationError(
            _("Ada nilai parameter yang bukan angka atau tidak dikenal: %(err)s") % {"err": exc}
        ) from exc
    return perbup


def _bulan_range(tahun: int, bulan: int) -> tuple[datetime.date, datetime.date]:
    if not 1 <= bulan <= 12 or not 2000 <= tahun <= 2100:
        raise ApplicationError(
            _("Bulan atau tahun tidak valid."), fields={"bulan": [_("Bulan 1–12, tahun 2000–2100.")]}
        )
    return datetime.date(tahun, bulan, 1), datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def _check_bulan_terbuka(tahun: int, bulan: int) -> None:
    if TppPeriode.objects.filter(tahun=tahun, bulan=bulan, status=TppPeriode.Status.TERKUNCI).exists():
        raise ApplicationError(
            _("TPP bulan %(bulan)s/%(tahun)s sudah dikunci; buka kembali lebih dulu untuk mengubahnya.")
            % {"bulan": bulan, "tahun": tahun},
            code="periode_terkunci",
            status=409,
        )


def _parse_nilai(raw: Any) -> Decimal:
    try:
        nilai = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ApplicationError(
            _("Nilai kinerja harus angka 0–100."), fields={"nilai": [_("Isi angka 0–100.")]}
        ) from exc
    if not nilai.is_finite() or not 0 <= nilai <= 100 or nilai != nilai.quantize(Decimal("0.01")):
        raise ApplicationError(
            _("Nilai kinerja harus angka 0–100 dengan paling banyak dua desimal."),
            fields={"nilai": [_("Isi angka 0–100.")]},
        )
    return nilai


def kinerja_set(
    *,
    actor: User,
    pegawai: Pegawai,
    tahun: int,
    bulan: int,
    nilai: Any,
    sumber: str = KinerjaBulanan.Sumber.ATASAN,
) -> KinerjaBulanan:
    """Enter or change an employee's kinerja for a month; a computed, unlocked month is recomputed
    for that employee at once."""
    _bulan_range(tahun, bulan)
    value = _parse_nilai(nilai)
    cakupan = cakupan_data_pribadi(user=actor)
    if not cakupan.boleh_kelola or not pegawai_in_cakupan(cakupan=cakupan).filter(pk=pegawai.pk).exists():
        raise ApplicationError(
            _("Anda tidak berhak mengisi kinerja pegawai ini."), code="permission_denied", status=403
        )
    with transaction.atomic():
        _check_bulan_terbuka(tahun, bulan)
        existing = (
            KinerjaBulanan.objects.select_for_update()
            .filter(pegawai=pegawai, tahun=tahun, bulan=bulan)
            .first()
        )
        before = {"nilai": str(existing.nilai)} if existing else None
        if existing is None:
            existing = KinerjaBulanan(pegawai=pegawai, tahun=tahun, bulan=bulan)
        existing.nilai = value
        existing.sumber = sumber
        existing.diisi_oleh = actor
        existing.save()
        audit_record(
            actor=actor, action="tpp.kinerja_set", target=existing, before=before, after={"nilai": str(value)}
        )
        periode = TppPeriode.objects.filter(tahun=tahun, bulan=bulan).first()
        if periode is not None:
            _hitung(periode=periode, pegawai_ids=[pegawai.pk])
    return existing


def _parse_serapan(raw: Any) -> Decimal:
    try:
        nilai = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ApplicationError(
            _("Realisasi serapan anggaran harus angka persen 0–100."),
            fields={"nilai": [_("Isi angka 0–100, misalnya 92,5.")]},
        ) from exc
    if not nilai.is_finite() or not 0 <= nilai <= 100 or nilai != nilai.quantize(Decimal("0.01")):
        raise ApplicationError(
            _("Realisasi serapan anggaran harus angka 0–100 dengan paling banyak dua desimal."),
            fields={"nilai": [_("Isi angka 0–100, misalnya 92,5.")]},
        )
    return nilai


def serapan_anggaran_set(*, actor: User, opd: Unit, tahun: int, bulan: int, nilai: Any) -> SerapanAnggaran:
    """Enter or change an OPD's realisasi serapan anggaran (0–100%) for a month (admin pemda).

    Refused when the month is locked, like kinerja. A computed, unlocked month is recomputed at
    once for the employees on that OPD's lines, so the review screen never shows a stale amount.
    """
    _require_admin_pemda(actor)
    _bulan_range(tahun, bulan)
    value = _parse_serapan(nilai)
    if not opd_queryset().filter(pk=opd.pk).exists():
        raise ApplicationError(
            _("Unit ini bukan OPD; serapan anggaran diisi per OPD."),
            fields={"opd_id": [_("Pilih OPD (unit tepat di bawah pemda).")]},
        )
    with transaction.atomic():
        _check_bulan_terbuka(tahun, bulan)
        existing = (
            SerapanAnggaran.objects.select_for_update().filter(opd=opd, tahun=tahun, bulan=bulan).first()
        )
        before = {"nilai": str(existing.nilai)} if existing else None
        if existing is None:
            existing = SerapanAnggaran(opd=opd, tahun=tahun, bulan=bulan)
        existing.nilai = value
        existing.diisi_oleh = actor
        clean_or_refuse(existing)
        existing.save()
        audit_record(
            actor=actor,
            action="tpp.serapan_anggaran_set",
            target=existing,
            before=before,
            after={"opd": opd.nama, "tahun": tahun, "bulan": bulan, "nilai": str(value)},
        )
        periode = TppPeriode.objects.filter(tahun=tahun, bulan=bulan).first()
        if periode is not None:
            ids = list(TppBaris.objects.filter(periode=periode, opd=opd).values_list("pegawai_id", flat=True))
            if ids:
                _hitung(periode=periode, pegawai_ids=ids)
    return existing


@dataclass
class BarisImpor:
    baris: int
    nip: str
    nilai: str
    pegawai_id: int | None = None
    nama: str = ""
    galat: str = ""


def _rows_from_upload(*, nama_file: str, isi: bytes) -> list[tuple[str, str]]:
    lower = nama_file.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(isi), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ApplicationError(
                _("Berkas xlsx tidak dapat dibaca."),
                fields={"berkas": [_("Unggah berkas .xlsx atau .csv yang valid.")]},
            ) from exc
        rows = [
            tuple("" if c is None else str(c) for c in row[:2]) for row in sheet.iter_rows(values_only=True)
        ]
    elif lower.endswith(".csv"):
        try:
            text = isi.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ApplicationError(
                _("Berkas CSV harus UTF-8."), fields={"berkas": [_("Simpan ulang sebagai CSV UTF-8.")]}
            ) from exc
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        rows = [tuple((row + ["", ""])[:2]) for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise ApplicationError(
            _("Format berkas tidak didukung."), fields={"berkas": [_("Unggah berkas .xlsx atau .csv.")]}
        )
    if not rows:
        raise ApplicationError(_("Berkas kosong."), fields={"berkas": [_("Berkas tidak berisi baris data.")]})
    header = [cell.strip().lower() for cell in rows[0]]
    if header[:1] != ["nip"] or "nilai" not in header[1]:
        raise ApplicationError(
            _("Baris pertama harus berjudul kolom: NIP, Nilai."),
            fields={"berkas": [_("Kolom pertama NIP, kolom kedua Nilai (ekspor e-Kinerja/SKP).")]},
        )
    data = [(*row, "", "")[:2] for row in rows[1:]]
    return [
        (nip.strip().replace(" ", ""), nilai.strip()) for nip, nilai in data if nip.strip() or nilai.strip()
    ]


def kinerja_impor_pratinjau(*, actor: User, nama_file: str, isi: bytes) -> list[BarisImpor]:
    """Read an e-Kinerja/SKP export (columns NIP, Nilai) and check every row; writes nothing."""
    cakupan = cakupan_data_pribadi(user=actor)
    if not cakupan.boleh_kelola:
        raise ApplicationError(
            _("Anda tidak berhak mengimpor kinerja."), code="permission_denied", status=403
        )
    rows = _rows_from_upload(nama_file=nama_file, isi=isi)
    nips = [nip for nip, _nilai in rows]
    known = {
        p.nip: p for p in pegawai_in_cakupan(cakupan=cakupan).filter(nip__in=nips).only("id", "nip", "nama")
    }
    result = []
    seen: set[str] = set()
    for index, (nip, nilai) in enumerate(rows, start=2):
        row = BarisImpor(baris=index, nip=nip, nilai=nilai)
        pegawai = known.get(nip)
        if not nip and not nilai:
            continue
        if pegawai is None:
            row.galat = _("NIP tidak ditemukan di unit Anda.")
        elif nip in seen:
            row.galat = _("NIP muncul lebih dari sekali.")
        else:
            row.pegawai_id, row.nama = pegawai.pk, pegawai.nama
            try:
                _parse_nilai(nilai)
            except ApplicationError as exc:
                row.galat = exc.message
        seen.add(nip)
        result.append(row)
    return result


def kinerja_impor_terapkan(*, actor: User, tahun: int, bulan: int, baris: list[BarisImpor]) -> int:
    """Apply a previewed import: all rows or none. Returns how many scores were written."""
    _bulan_range(tahun, bulan)
    errors = [row for row in baris if row.galat]
    if errors:
        raise ApplicationError(
            _("Masih ada %(n)s baris bermasalah; perbaiki berkas lalu unggah ulang.") % {"n": len(errors)},
            fields={"berkas": [f"{_('Baris')} {row.baris}: {row.galat}" for row in errors]},
        )
    cakupan = cakupan_data_pribadi(user=actor)
    allowed = set(
        pegawai_in_cakupan(cakupan=cakupan)
        .filter(pk__in=[r.pegawai_id for r in baris])
        .values_list("pk", flat=True)
    )
    if not cakupan.boleh_kelola or len(allowed) != len(baris):
        raise ApplicationError(
            _("Anda tidak berhak mengimpor kinerja ini."), code="permission_denied", status=403
        )
    with transaction.atomic():
        _check_bulan_terbuka(tahun, bulan)
        existing = {
            k.pegawai_id: k
            for k in KinerjaBulanan.objects.select_for_update().filter(
                tahun=tahun, bulan=bulan, pegawai_id__in=allowed
            )
        }
        new, changed = [], []
        for row in baris:
            assert row.pegawai_id is not None  # rows without an employee were refused above
            nilai = _parse_nilai(row.nilai)
            record = existing.get(row.pegawai_id)
            if record is None:
                new.append(
                    KinerjaBulanan(
                        pegawai_id=row.pegawai_id,
                        tahun=tahun,
                        bulan=bulan,
                        nilai=nilai,
                        sumber=KinerjaBulanan.Sumber.IMPOR,
                        diisi_oleh=actor,
                    )
                )
            else:
                record.nilai, record.sumber, record.diisi_oleh = nilai, KinerjaBulanan.Sumber.IMPOR, actor
                changed.append(record)
        KinerjaBulanan.objects.bulk_create(new)
        KinerjaBulanan.objects.bulk_update(changed, ["nilai", "sumber", "diisi_oleh", "updated_at"])
        periode = TppPeriode.objects.filter(tahun=tahun, bulan=bulan).first()
        if periode is not None:
            _hitung(periode=periode, pegawai_ids=[row.pegawai_id for row in baris if row.pegawai_id])
            audit_record(
                actor=actor,
                action="tpp.kinerja_impor",
                target=periode,
                after={"baris": len(baris), "tahun": tahun, "bulan": bulan},
            )
        else:
            target = new[0] if new else changed[0] if changed else None
            if target is not None:
                audit_record(
                    actor=actor,
                    action="tpp.kinerja_impor",
                    target=target,
                    after={"baris": len(baris), "tahun": tahun, "bulan": bulan},
                )
    return len(baris)


def hukdis_create(
    *, actor: User, pegawai: Pegawai, kode_jenis: str, tmt: datetime.date, sk_nomor: str, keterangan: str = ""
) -> Hukdis:
    """Record a disciplinary sanction from a month; it cuts TPP per the Perbup's table for that sanction."""
    _require_admin_pemda(actor)
    perbup = perbup_berlaku(tanggal=tmt)
    if not perbup.jenis_hukdis.filter(kode=kode_jenis).exists():
        raise ApplicationError(
            _("Jenis hukdis %(kode)s tidak diatur dalam %(perbup)s.")
            % {"kode": kode_jenis, "perbup": perbup.nomor},
            fields={"kode_jenis": [_("Pilih jenis hukdis dari Perbup yang berlaku.")]},
        )
    with transaction.atomic():
        _check_bulan_terbuka(tmt.year, tmt.month)
        hukdis = Hukdis(
            pegawai=pegawai, kode_jenis=kode_jenis, tmt=tmt, sk_nomor=sk_nomor, keterangan=keterangan
        )
        clean_or_refuse(hukdis)
        hukdis.save()
        audit_record(
            actor=actor,
            action="tpp.hukdis_create",
            target=hukdis,
            after={
                "pegawai": pegawai.nip,
                "kode_jenis": kode_jenis,
                "tmt": tmt.isoformat(),
                "sk_nomor": sk_nomor,
            },
        )
    return hukdis


def _hitung(*, periode: TppPeriode, pegawai_ids: list[int] | None = None) -> int:
    """Compute (or recompute) the month's lines. A fixed number of queries, whatever the head count."""
    awal, akhir = _bulan_range(periode.tahun, periode.bulan)
    perbup = PerbupTpp.objects.prefetch_related("besaran", "potongan_band", "jenis_hukdis").get(
        pk=periode.perbup_id
    )
    parameter = parameter_dari_perbup(perbup=perbup)

    pegawai_qs = Pegawai.objects.filter(
        status=Pegawai.Status.AKTIF,
        jenis_pegawai__in=[Pegawai.JenisPegawai.PNS, Pegawai.JenisPegawai.CPNS, Pegawai.JenisPegawai.PPPK],
    )
    if pegawai_ids is not None:
        pegawai_qs = pegawai_qs.filter(pk__in=pegawai_ids)
    pegawai_list = list(
        pegawai_qs.select_related("jabatan", "unit").only(
            "id", "nip", "nama", "gelar_depan", "gelar_belakang", "jenis_pegawai", "golongan",
            "jabatan__nama", "jabatan__kelas_jabatan", "jabatan__jenis",
            "unit__id", "unit__nama", "unit__jenis", "unit__path",
        )
    )  # fmt: skip
    ids = [p.pk for p in pegawai_list]
    id_filter = {"pegawai_id__in": ids} if pegawai_ids is not None else {}

    top_ids = {int(part) for p in pegawai_list for part in p.unit.path.split(".")[:2] if part}
    units_by_id = {u.pk: u for u in Unit.objects.filter(pk__in=top_ids).only("id", "nama", "path", "jenis")}

    hari: dict[int, list[HariDisiplin]] = {}
    for pid, tanggal, status, tl, psw in (
        StatusHarian.objects.filter(tanggal__range=(awal, akhir), **id_filter)
        .filter(Q(tl__gt=0) | Q(psw__gt=0) | Q(status__in=[StatusHarian.Status.TK, StatusHarian.Status.IZIN]))
        .values_list("pegawai_id", "tanggal", "status", "tl", "psw")
    ):
        hari.setdefault(pid, []).append(HariDisiplin(tanggal=tanggal, status=status, tl=tl, psw=psw))

    kinerja = dict(
        KinerjaBulanan.objects.filter(tahun=periode.tahun, bulan=periode.bulan, **id_filter).values_list(
            "pegawai_id", "nilai"
        )
    )

    # One query for every OPD's serapan anggaran, only when the Perbup weighs it.
    serapan: dict[int, Decimal] = {}
    if parameter.bobot_serapan:
        serapan = dict(
            SerapanAnggaran.objects.filter(
                tahun=periode.tahun, bulan=periode.bulan, opd_id__in={u.pk for u in units_by_id.values()}
            ).values_list("opd_id", "nilai")
        )

    # A sanction is in force in months [tmt, tmt + bulan) per the Perbup this month is computed under.
    longest = max((h.bulan for h in parameter.hukdis.values()), default=0)
    earliest = datetime.date(awal.year - (longest // 12 + 1), awal.month, 1)
    hukdis: dict[int, list[str]] = {}
    month_index = awal.year * 12 + awal.month
    for pid, kode, tmt in Hukdis.objects.filter(tmt__lte=akhir, tmt__gte=earliest, **id_filter).values_list(
        "pegawai_id", "kode_jenis", "tmt"
    ):
        jenis = parameter.hukdis.get(kode)
        if jenis is not None and 0 <= month_index - (tmt.year * 12 + tmt.month) < jenis.bulan:
            hukdis.setdefault(pid, []).append(kode)

    gaji = dict(
        RiwayatGaji.objects.filter(tmt__lte=akhir, **id_filter)
        .order_by("pegawai_id", "-tmt", "-id")
        .distinct("pegawai_id")
        .values_list("pegawai_id", "gaji_pokok")
    )

    rows = []
    for p in pegawai_list:
        jabatan = p.jabatan
        opd = opd_for(unit=p.unit, units_by_id=units_by_id)
        hasil = hitung_tpp(
            parameter=parameter,
            masukan=MasukanPegawai(
                jenis_pegawai=p.jenis_pegawai,
                golongan=p.golongan,
                kelas_jabatan=jabatan.kelas_jabatan if jabatan else None,
                jenis_jabatan=jabatan.jenis if jabatan else "",
                jenis_unit=p.unit.jenis,
                kinerja_nilai=kinerja.get(p.pk),
                hari=tuple(hari.get(p.pk, ())),
                hukdis_kode=tuple(hukdis.get(p.pk, ())),
                gaji_pokok=gaji.get(p.pk, 0),
                serapan_nilai=serapan.get(opd.pk),
                nama_opd=opd.nama,
                tahun=periode.tahun,
                bulan=periode.bulan,
            ),
        )
        rows.append(
            TppBaris(
                periode=periode,
                pegawai_id=p.pk,
                unit_id=p.unit_id,
                opd_id=opd.pk,
                nama_opd=opd.nama,
                nip=p.nip,
                nama=p.nama_lengkap,
                nama_jabatan=jabatan.nama if jabatan else "",
                kelas_jabatan=jabatan.kelas_jabatan if jabatan else None,
                jenis_pegawai=p.jenis_pegawai,
                golongan=p.golongan,
                besaran=hasil.besaran,
                kinerja_nilai=hasil.kinerja_nilai,
                potongan_disiplin_persen=hasil.potongan_disiplin_persen,
                komponen_kinerja=hasil.komponen_kinerja,
                komponen_disiplin=hasil.komponen_disiplin,
                serapan_nilai=hasil.serapan_nilai,
                komponen_serapan=hasil.komponen_serapan,
                bruto=hasil.bruto,
                hukdis_persen=hasil.hukdis_persen,
                potongan_hukdis=hasil.potongan_hukdis,
                potongan_bpjs=hasil.potongan_bpjs,
                iuran_bpjs_pemda=hasil.iuran_bpjs_pemda,
                potongan_pph=hasil.potongan_pph,
                pph_ditanggung=hasil.pph_ditanggung,
                netto=hasil.netto,
                rincian=hasil.rincian,
                perlu_perhatian=hasil.perlu_perhatian,
            )
        )

    # Upsert keeps each line's id (a slip's address) stable across recomputations; employees no
    # longer eligible (retired, transferred out) lose their line.
    gone = TppBaris.objects.filter(periode=periode).exclude(pegawai_id__in=ids)
    if pegawai_ids is not None:
        gone = gone.filter(pegawai_id__in=pegawai_ids)
    gone.delete()
    TppBaris.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["periode", "pegawai"],
        update_fields=[
            f.name for f in TppBaris._meta.concrete_fields if f.name not in ("id", "periode", "pegawai")
        ],
    )
    _totals_refresh(periode=periode)
    return len(rows)


def _totals_refresh(*, periode: TppPeriode) -> None:
    from django.db.models import Count, Sum

    totals = TppBaris.objects.filter(periode=periode).aggregate(
        n=Count("id"), bruto=Sum("bruto"), netto=Sum("netto")
    )
    periode.jumlah_pegawai = totals["n"] or 0
    periode.total_bruto = totals["bruto"] or 0
    periode.total_netto = totals["netto"] or 0
    periode.dihitung_pada = timezone.now()
    periode.save(update_fields=["jumlah_pegawai", "total_bruto", "total_netto", "dihitung_pada"])


def _hari_ini() -> datetime.date:
    """The regency's own date (WIB, WITA or WIT)."""
    return timezone.localtime(timezone.now(), tenant_zone()).date()


def hari_kerja_belum_ditutup(
    *, awal: datetime.date, akhir: datetime.date, hari_ini: datetime.date
) -> list[datetime.date]:
    """Working days between `awal` and `akhir` whose attendance presensi has not closed
    (no PenutupanHari row), up to yesterday at the latest: today closes only tonight.

    Working days as presensi counts them (`presensi.selectors.hari_kerja_belum_ditutup`). This
    guards against a month whose days were never closed
    (the nightly job down, presensi not in use yet), which would otherwise count as perfect
    discipline because TPP reads only the deduction rows. Two queries."""
    return presensi_hari_belum_ditutup(mulai=awal, sampai=min(akhir, hari_ini - datetime.timedelta(days=1)))


def _check_presensi_ditutup(*, tahun: int, bulan: int) -> None:
    """Refuse a month that has not started, or whose working days presensi has not all closed."""
    awal, akhir = _bulan_range(tahun, bulan)
    hari_ini = _hari_ini()
    if awal > hari_ini:
        raise ApplicationError(
            _("TPP bulan %(bulan)s/%(tahun)s belum dapat dihitung karena bulan itu belum dimulai.")
            % {"bulan": bulan, "tahun": tahun},
            code="bulan_belum_dimulai",
            status=409,
            fields={"bulan": [_("Pilih bulan berjalan atau bulan yang sudah lewat.")]},
        )
    belum = hari_kerja_belum_ditutup(awal=awal, akhir=akhir, hari_ini=hari_ini)
    if belum:
        raise ApplicationError(
            _(
                "TPP bulan %(bulan)s/%(tahun)s belum dapat dihitung: presensi %(n)s hari kerja belum "
                "ditutup, mulai %(tanggal)s, sehingga potongan disiplinnya belum ada. Admin pemda "
                "menutupnya sekaligus dengan tombol “Tutup presensi %(n)s hari kerja yang belum ditutup” "
                "pada halaman TPP, lalu menghitung TPP lagi."
            )
            % {
                "bulan": bulan,
                "tahun": tahun,
                "n": len(belum),
                "tanggal": formats.date_format(belum[0], "l, j F Y"),
            },
            code="presensi_belum_ditutup",
            status=409,
            extra={"hari_belum_ditutup": len(belum)},
            fields={
                "bulan": [
                    _("Hari kerja belum ditutup: %(tanggal)s.")
                    % {
                        "tanggal": ", ".join(formats.date_format(d, "j M") for d in belum[:10])
                        + (" …" if len(belum) > 10 else "")
                    }
                ]
            },
        )


def tpp_presensi_tutup(*, actor: User, tahun: int, bulan: int) -> int:
    """Close, for presensi, every working day of the month it has not closed, so the month can
    be computed (`status_harian_tutup_rentang`, admin pemda). The current month is closed up to
    yesterday, as `hari_kerja_belum_ditutup` checks it: today closes tonight. Returns the number
    of days closed (0 when none was open)."""
    _require_admin_pemda(actor)
    awal, akhir = _bulan_range(tahun, bulan)
    sampai = min(akhir, _hari_ini() - datetime.timedelta(days=1))
    if sampai < awal:
        return 0
    return status_harian_tutup_rentang(actor=actor, mulai=awal, sampai=sampai)


def tpp_periode_hitung(*, actor: User, tahun: int, bulan: int) -> TppPeriode:
    """Compute the month's TPP for every active employee (first time, or again after corrections).

    The first computation pins the Perbup in force on the month's first day; later recomputations
    of the same month keep that Perbup. A locked month is refused, and so is a month not yet
    begun or one with a working day presensi has not closed (`hari_kerja_belum_ditutup`): the
    current month is checked up to yesterday, so computing it early gives a provisional figure.
    """
    _require_admin_pemda(actor)
    _check_presensi_ditutup(tahun=tahun, bulan=bulan)
    awal, _akhir = _bulan_range(tahun, bulan)
    with transaction.atomic():
        periode = TppPeriode.objects.select_for_update().filter(tahun=tahun, bulan=bulan).first()
        if periode is not None and periode.terkunci:
            _check_bulan_terbuka(tahun, bulan)
        created = periode is None
        if periode is None:
            perbup = perbup_berlaku(tanggal=awal)
            try:
                with transaction.atomic():
                    periode = TppPeriode.objects.create(
                        tahun=tahun, bulan=bulan, perbup=perbup, dihitung_pada=timezone.now()
                    )
            except IntegrityError as exc:
                raise ApplicationError(
                    _("TPP bulan ini sedang dihitung oleh pengguna lain; coba lagi sebentar."), status=409
                ) from exc
        jumlah = _hitung(periode=periode)
        audit_record(
            actor=actor,
            action="tpp.periode_hitung" if created else "tpp.periode_hitung_ulang",
            target=periode,
            after={
                "perbup": periode.perbup.nomor,
                "jumlah_pegawai": jumlah,
                "total_netto": periode.total_netto,
            },
        )
    return periode


def bulan_berjalan(*, tahun: int, bulan: int) -> bool:
    """Whether the month has not ended yet in the regency: its TPP is provisional."""
    return _bulan_range(tahun, bulan)[1] >= _hari_ini()


def _check_bulan_tertutup(*, periode: TppPeriode) -> None:
    """Refuse to lock a month whose attendance is not final: the month still running, or a
    working day presensi has not closed (their deductions would be missing from a locked run)."""
    tahun, bulan = periode.tahun, periode.bulan
    awal, akhir = _bulan_range(tahun, bulan)
    hari_ini = _hari_ini()
    if akhir >= hari_ini:
        raise ApplicationError(
            _(
                "TPP bulan %(bulan)s/%(tahun)s belum dapat dikunci karena bulan itu masih berjalan: "
                "presensi hari kerja sampai %(akhir)s belum ditutup, sehingga angkanya masih sementara. "
                "Kunci setelah bulan berakhir dan TPP dihitung ulang."
            )
            % {"bulan": bulan, "tahun": tahun, "akhir": formats.date_format(akhir, "j F Y")},
            code="bulan_berjalan",
            status=409,
        )
    belum = hari_kerja_belum_ditutup(awal=awal, akhir=akhir, hari_ini=hari_ini)
    if belum:
        raise ApplicationError(
            _(
                "TPP bulan %(bulan)s/%(tahun)s belum dapat dikunci: presensi %(n)s hari kerja belum "
                "ditutup, mulai %(tanggal)s. Tutup presensinya dengan tombol “Tutup presensi %(n)s hari "
                "kerja yang belum ditutup”, hitung ulang TPP, lalu kunci."
            )
            % {
                "bulan": bulan,
                "tahun": tahun,
                "n": len(belum),
                "tanggal": formats.date_format(belum[0], "l, j F Y"),
            },
            code="presensi_belum_ditutup",
            status=409,
            extra={"hari_belum_ditutup": len(belum)},
        )
    # A run computed before the month's last days were closed (the provisional figure of a month
    # then running) lacks their deductions: it must be recomputed before it is locked.
    terakhir = PenutupanHari.objects.filter(tanggal__range=(awal, akhir)).aggregate(t=Max("selesai_pada"))[
        "t"
    ]
    if terakhir is not None and periode.dihitung_pada < terakhir:
        raise ApplicationError(
            _(
                "TPP bulan %(bulan)s/%(tahun)s dihitung sebelum presensi bulan itu selesai ditutup "
                "(terakhir %(waktu)s). Hitung ulang lebih dulu, lalu kunci."
            )
            % {
                "bulan": bulan,
                "tahun": tahun,
                "waktu": formats.date_format(timezone.localtime(terakhir, tenant_zone()), "j F Y H:i"),
            },
            code="perlu_dihitung_ulang",
            status=409,
        )


def tpp_periode_kunci(*, actor: User, periode: TppPeriode) -> TppPeriode:
    """Approve and lock the month (admin pemda): nothing changes afterwards except through reopening.

    Only a month that has ended and whose working days presensi has all closed can be locked: the
    current month's figure is provisional (`tpp_periode_hitung` checks it only up to yesterday).
    """
    _require_admin_pemda(actor)
    with transaction.atomic():
        periode = TppPeriode.objects.select_for_update().get(pk=periode.pk)
        if periode.terkunci:
            raise ApplicationError(_("TPP bulan ini sudah dikunci."), code="periode_terkunci", status=409)
        _check_bulan_tertutup(periode=periode)
        periode.status = TppPeriode.Status.TERKUNCI
        periode.dikunci_pada = timezone.now()
        periode.dikunci_oleh = actor
        periode.save(update_fields=["status", "dikunci_pada", "dikunci_oleh"])
        audit_record(
            actor=actor,
            action="tpp.periode_kunci",
            target=periode,
            before={"status": TppPeriode.Status.DIHITUNG},
            after={"status": TppPeriode.Status.TERKUNCI, "total_netto": periode.total_netto},
        )
    return periode


def tpp_periode_buka_kembali(*, actor: User, periode: TppPeriode, alasan: str) -> TppPeriode:
    """Reopen a locked month for corrections; the reason is required and audited."""
    _require_admin_pemda(actor)
    alasan = (alasan or "").strip()
    if len(alasan) < 10:
        raise ApplicationError(
            _("Tuliskan alasan membuka kembali (minimal 10 karakter)."),
            fields={"alasan": [_("Alasan wajib diisi, minimal 10 karakter.")]},
        )
    with transaction.atomic():
        periode = TppPeriode.objects.select_for_update().get(pk=periode.pk)
        if not periode.terkunci:
            raise ApplicationError(_("TPP bulan ini belum dikunci."), code="periode_terbuka", status=409)
        periode.status = TppPeriode.Status.DIHITUNG
        periode.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="tpp.periode_buka_kembali",
            target=periode,
            before={"status": TppPeriode.Status.TERKUNCI, "total_netto": periode.total_netto},
            after={"status": TppPeriode.Status.DIHITUNG},
            reason=alasan,
        )
    return periode


def cakupan_assert_kelola(*, cakupan: Cakupan) -> None:
    if not cakupan.boleh_kelola:
        raise ApplicationError(_("Anda tidak berhak melihat data ini."), code="permission_denied", status=403)
