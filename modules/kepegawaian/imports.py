"""Import and export of employees and units as xlsx or CSV.

Two steps: `*_preview` reads the file and reports every row's problems by row and column without
writing anything; `*_apply` writes the valid rows, each one independently (a row is written
completely or not at all), and reports the rest. Employees go in batches: one statement per batch
for the rows, the registry and the audit, and a batch that meets a conflict (another admin was
faster) is retried row by row, so one bad row never loses the others.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.accounts.models import User
from eoffice.audit.models import AuditEvent
from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.models import NipTerdaftar
from eoffice.nip_registry.selectors import nip_holders
from modules.kepegawaian import access
from modules.kepegawaian.models import Jabatan, Pegawai, Unit
from modules.kepegawaian.services import (
    PEGAWAI_FIELDS,
    _pegawai_fill_from_nip,
    pegawai_problems,
    snapshot,
    unit_create,
)
from modules.kepegawaian.validators import normalise_number
from tenants.selectors import tenant_current

MAX_ROWS = 50_000
BATCH = 1000


@dataclass(frozen=True)
class Kolom:
    key: str
    label: Any
    wajib: bool = False
    contoh: str = ""


PEGAWAI_KOLOM = [
    Kolom("nip", gettext_lazy("NIP / NI PPPK (18 digit)"), True, "198609262015051001"),
    Kolom("jenis_pegawai", gettext_lazy("Jenis pegawai: pns, cpns atau pppk"), True, "pns"),
    Kolom("nik", gettext_lazy("NIK (16 digit, boleh kosong)"), False, "3211012609860001"),
    Kolom("gelar_depan", gettext_lazy("Gelar depan"), False, ""),
    Kolom("nama", gettext_lazy("Nama tanpa gelar"), True, "Asep Hidayat"),
    Kolom("gelar_belakang", gettext_lazy("Gelar belakang"), False, "S.Kom."),
    Kolom("tempat_lahir", gettext_lazy("Tempat lahir"), False, "Sumedang"),
    Kolom("tanggal_lahir", gettext_lazy("Tanggal lahir (YYYY-MM-DD; kosong: dari NIP)"), False, "1986-09-26"),
    Kolom("jenis_kelamin", gettext_lazy("Jenis kelamin: L atau P (kosong: dari NIP)"), False, "L"),
    Kolom("golongan", gettext_lazy("Golongan/ruang: I/a–IV/e (PNS) atau I–XVII (PPPK)"), True, "III/b"),
    Kolom("tmt_golongan", gettext_lazy("TMT golongan (YYYY-MM-DD)"), False, "2019-04-01"),
    Kolom("mkg_tahun", gettext_lazy("Masa kerja golongan, tahun"), False, "8"),
    Kolom("mkg_bulan", gettext_lazy("Masa kerja golongan, bulan (0–11)"), False, "0"),
    Kolom("tmt_cpns", gettext_lazy("TMT CPNS (YYYY-MM-DD; kosong: dari NIP)"), False, "2015-05-01"),
    Kolom("tmt_pns", gettext_lazy("TMT PNS (YYYY-MM-DD)"), False, "2016-05-01"),
    Kolom(
        "unit", gettext_lazy("Unit kerja: kode unit atau nama unit"), True, "Dinas Komunikasi dan Informatika"
    ),
    Kolom("jabatan", gettext_lazy("Nama jabatan di unit itu"), False, "Pranata Komputer Ahli Pertama"),
    Kolom(
        "jenis_jabatan",
        gettext_lazy("Jenis jabatan, bila jabatan baru: jpt/administrator/pengawas/fungsional/pelaksana"),
        False,
        "fungsional",
    ),
    Kolom("kelas_jabatan", gettext_lazy("Kelas jabatan 1–17, bila jabatan baru"), False, "8"),
    Kolom("status", gettext_lazy("Status kepegawaian (kosong: aktif)"), False, "aktif"),
    Kolom("email", gettext_lazy("E-mail"), False, "asep@sumedangkab.go.id"),
    Kolom("telepon", gettext_lazy("Telepon"), False, "081234567890"),
]

UNIT_KOLOM = [
    Kolom("kode", gettext_lazy("Kode unit (unik, boleh kosong)"), False, "1.02.01"),
    Kolom("nama", gettext_lazy("Nama unit"), True, "Bidang Aplikasi Informatika"),
    Kolom("singkatan", gettext_lazy("Singkatan"), False, "Aptika"),
    Kolom("jenis", gettext_lazy("Jenis unit (dinas, badan, bidang, seksi, …)"), True, "bidang"),
    Kolom(
        "induk",
        gettext_lazy("Unit induk: kode atau nama (baris sebelumnya pun boleh)"),
        True,
        "Dinas Komunikasi dan Informatika",
    ),
]

DATE_FIELDS = {"tanggal_lahir", "tmt_golongan", "tmt_cpns", "tmt_pns"}
INT_FIELDS = {"mkg_tahun", "mkg_bulan", "kelas_jabatan"}


# ---------------------------------------------------------------------------------------------
# Reading files


def read_rows(*, content: bytes, nama_berkas: str) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of an xlsx or CSV file (UTF-8, comma or semicolon)."""
    lower = nama_berkas.lower()
    rows: list[Any]
    try:
        if lower.endswith(".xlsx"):
            rows = _read_xlsx(content)
        elif lower.endswith(".csv"):
            rows = _read_csv(content)
        else:
            raise ApplicationError(
                _("Format berkas harus .xlsx atau .csv."),
                fields={"berkas": [_("Gunakan berkas .xlsx atau .csv.")]},
            )
    except (ValueError, KeyError, OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ApplicationError(
            _("Berkas tidak dapat dibaca. Pastikan memakai templat yang disediakan."),
            fields={"berkas": [_("Berkas rusak atau bukan xlsx/CSV.")]},
        ) from exc
    except Exception as exc:  # openpyxl raises zipfile/xml errors of many kinds on a non-xlsx file
        if type(exc).__module__.startswith(("zipfile", "openpyxl", "xml")):
            raise ApplicationError(
                _("Berkas tidak dapat dibaca. Pastikan memakai templat yang disediakan."),
                fields={"berkas": [_("Berkas rusak atau bukan xlsx.")]},
            ) from exc
        raise
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise ApplicationError(_("Berkas kosong."), fields={"berkas": [_("Berkas tidak berisi baris data.")]})
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise ApplicationError(
            _("Berkas berisi lebih dari %(max)s baris; bagi menjadi beberapa berkas.") % {"max": MAX_ROWS},
            fields={"berkas": [_("Terlalu banyak baris.")]},
        )
    return header, [list(row) for row in rows[1:]]


def _read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _records(
    header: list[str], rows: list[list[Any]], kolom: list[Kolom]
) -> Iterator[tuple[int, dict[str, Any]]]:
    known = {k.key for k in kolom}
    missing = [k.key for k in kolom if k.wajib and k.key not in header]
    if missing:
        raise ApplicationError(
            _("Kolom wajib tidak ada di baris judul: %(kolom)s.") % {"kolom": ", ".join(missing)},
            fields={"berkas": [_("Gunakan baris judul dari templat.")]},
        )
    index = [(i, name) for i, name in enumerate(header) if name in known]
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as the spreadsheet numbers it
        yield number, {name: (row[i] if i < len(row) else None) for i, name in index}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise ValueError(text)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Baris:
    nomor: int
    data: dict[str, Any]
    masalah: dict[str, list[str]] = field(default_factory=dict)
    obj: Any = None

    @property
    def valid(self) -> bool:
        return not self.masalah

    def as_dict(self) -> dict[str, Any]:
        return {"baris": self.nomor, "kolom": self.masalah}


@dataclass
class Pratinjau:
    jenis: str
    baris: list[Baris]

    @property
    def jumlah(self) -> int:
        return len(self.baris)

    @property
    def valid(self) -> list[Baris]:
        return [b for b in self.baris if b.valid]

    @property
    def bermasalah(self) -> list[Baris]:
        return [b for b in self.baris if not b.valid]


@dataclass
class HasilImpor:
    diterapkan: int
    masalah: list[dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# Employees


class _Lookups:
    """Everything a row is checked against, read once per file."""

    def __init__(self, user: User) -> None:
        self.scope = access.cakupan_ubah(user)
        units = list(Unit.objects.all().only("id", "nama", "kode", "path", "aktif"))
        self.units = {u.pk: u for u in units}
        self.unit_by_kode = {u.kode.lower(): u for u in units if u.kode}
        self.unit_by_nama: dict[str, list[Unit]] = {}
        for unit in units:
            self.unit_by_nama.setdefault(unit.nama.strip().lower(), []).append(unit)
        self.jabatan: dict[tuple[int, str], Jabatan] = {
            (j.unit_id, j.nama.strip().lower()): j for j in Jabatan.objects.filter(aktif=True)
        }

    def unit(self, value: str) -> tuple[Unit | None, str]:
        key = value.strip().lower()
        if not key:
            return None, _("Unit kerja wajib diisi.")
        unit = self.unit_by_kode.get(key)
        if unit is None:
            matches = self.unit_by_nama.get(key, [])
            if len(matches) > 1:
                return None, _("Nama unit “%(nama)s” dipakai lebih dari satu unit; gunakan kode unit.") % {
                    "nama": value
                }
            unit = matches[0] if matches else None
        if unit is None:
            return None, _("Unit “%(nama)s” tidak ditemukan.") % {"nama": value}
        if not unit.aktif:
            return None, _("Unit “%(nama)s” sudah tidak aktif.") % {"nama": value}
        if not self.scope.contains(unit):
            return None, _("Unit “%(nama)s” di luar cakupan Anda.") % {"nama": value}
        return unit, ""


def pegawai_preview(*, user: User, content: bytes, nama_berkas: str) -> Pratinjau:
    """Check every row of an employee file; writes nothing."""
    if not access.is_admin(user):
        raise access.forbidden(_("Hanya admin yang dapat mengimpor data pegawai."))
    header, rows = read_rows(content=content, nama_berkas=nama_berkas)
    lookups = _Lookups(user)
    records = list(_records(header, rows, PEGAWAI_KOLOM))
    nips = [normalise_number(_text(data.get("nip"))) for _n, data in records]
    existing = set(Pegawai.objects.filter(nip__in=nips).values_list("nip", flat=True))
    holders = nip_holders(nips=nips)
    tenant_id = tenant_current().pk
    seen: dict[str, int] = {}
    result = []
    for (number, data), nip in zip(records, nips, strict=True):
        row = Baris(nomor=number, data={k: _text(v) if k not in DATE_FIELDS else v for k, v in data.items()})
        _pegawai_row(row, nip=nip, lookups=lookups)
        if nip and "nip" not in row.masalah:
            if nip in existing:
                row.masalah["nip"] = [_("NIP ini sudah terdaftar di daerah ini.")]
            elif holders.get(nip, tenant_id) != tenant_id:
                row.masalah["nip"] = [_("NIP ini terdaftar di daerah lain; gunakan mutasi antardaerah.")]
            elif nip in seen:
                row.masalah["nip"] = [_("NIP yang sama sudah ada di baris %(baris)s.") % {"baris": seen[nip]}]
            seen.setdefault(nip, number)
        result.append(row)
    return Pratinjau(jenis="pegawai", baris=result)


def _pegawai_row(row: Baris, *, nip: str, lookups: _Lookups) -> None:
    data, problems = row.data, row.masalah
    values: dict[str, Any] = {"nip": nip}
    for key in (
        "jenis_pegawai",
        "nik",
        "gelar_depan",
        "nama",
        "gelar_belakang",
        "tempat_lahir",
        "jenis_kelamin",
        "golongan",
        "status",
        "email",
        "telepon",
    ):
        values[key] = _text(data.get(key))
    values["jenis_pegawai"] = values["jenis_pegawai"].lower()
    values["jenis_kelamin"] = values["jenis_kelamin"].upper()
    values["nik"] = normalise_number(values["nik"])
    values["status"] = values["status"].lower() or Pegawai.Status.AKTIF
    if values["jenis_pegawai"] not in Pegawai.JenisPegawai.values:
        problems["jenis_pegawai"] = [_("Jenis pegawai harus pns, cpns atau pppk.")]
        values["jenis_pegawai"] = Pegawai.JenisPegawai.PNS
    if values["jenis_kelamin"] and values["jenis_kelamin"] not in ("L", "P"):
        problems["jenis_kelamin"] = [_("Jenis kelamin harus L atau P.")]
        values["jenis_kelamin"] = ""
    if values["status"] not in Pegawai.Status.values:
        problems["status"] = [_("Status kepegawaian tidak dikenal.")]
    if not values["nama"]:
        problems["nama"] = [_("Nama wajib diisi.")]
    if not values["golongan"]:
        problems["golongan"] = [_("Golongan wajib diisi.")]
    for key in DATE_FIELDS:
        raw = data.get(key)
        if raw in (None, ""):
            values[key] = None
            continue
        try:
            values[key] = _date(raw)
        except ValueError:
            problems[key] = [_("Tanggal tidak valid; tulis sebagai YYYY-MM-DD.")]
            values[key] = None
        row.data[key] = values[key].isoformat() if values[key] else _text(raw)
    for key in ("mkg_tahun", "mkg_bulan"):
        raw = _text(data.get(key))
        try:
            values[key] = int(raw) if raw else 0
            if values[key] < 0:
                raise ValueError(raw)
        except ValueError:
            problems[key] = [_("Isi dengan bilangan bulat 0 atau lebih.")]
            values[key] = 0
    unit, unit_problem = lookups.unit(_text(data.get("unit")))
    if unit_problem:
        problems["unit"] = [unit_problem]
    jabatan = None
    nama_jabatan = _text(data.get("jabatan"))
    if unit is not None and nama_jabatan:
        jabatan = lookups.jabatan.get((unit.pk, nama_jabatan.lower()))
        if jabatan is None:
            jenis = _text(data.get("jenis_jabatan")).lower()
            kelas = _text(data.get("kelas_jabatan"))
            if jenis not in Jabatan.Jenis.values:
                problems["jenis_jabatan"] = [
                    _("Jabatan “%(nama)s” belum ada di unit ini; isi jenis jabatan untuk membuatnya.")
                    % {"nama": nama_jabatan}
                ]
            if not (kelas.isdigit() and 1 <= int(kelas) <= 17):
                problems["kelas_jabatan"] = [_("Kelas jabatan harus antara 1 dan 17.")]
            if "jenis_jabatan" not in problems and "kelas_jabatan" not in problems:
                jabatan = Jabatan(unit=unit, nama=nama_jabatan, jenis=jenis, kelas_jabatan=int(kelas))
                # Later rows naming the same new position share it.
                lookups.jabatan[(unit.pk, nama_jabatan.lower())] = jabatan
    pegawai = Pegawai(
        **{k: v for k, v in values.items() if k in PEGAWAI_FIELDS},
        unit=unit if unit is not None else None,
    )
    if jabatan is not None and jabatan.pk:
        pegawai.jabatan = jabatan
    _pegawai_fill_from_nip(pegawai)
    for key, messages in pegawai_problems(pegawai).items():
        if key not in problems:
            problems[key] = messages
    if "nip" not in problems:
        # Birth date and gender come from a valid NIP; with a broken NIP they are not news.
        try:
            pegawai.clean_fields(exclude=["unit", "jabatan", "user", *problems.keys()])
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                problems[key] = messages
    row.obj = (pegawai, jabatan)


def pegawai_apply(*, user: User, content: bytes, nama_berkas: str) -> HasilImpor:
    """Write every valid row of an employee file; each row independently. Returns the rows left."""
    preview = pegawai_preview(user=user, content=content, nama_berkas=nama_berkas)
    tenant = tenant_current()
    masalah = [row.as_dict() for row in preview.bermasalah]
    valid = preview.valid
    applied = 0
    for start in range(0, len(valid), BATCH):
        batch = valid[start : start + BATCH]
        try:
            with transaction.atomic():
                _pegawai_write(batch, user=user, tenant=tenant)
            applied += len(batch)
        except IntegrityError:
            # Someone wrote a clashing row meanwhile; retry this batch one row at a time.
            for row in batch:
                try:
                    with transaction.atomic():
                        _pegawai_write([row], user=user, tenant=tenant)
                    applied += 1
                except IntegrityError:
                    masalah.append(
                        {"baris": row.nomor, "kolom": {"nip": [_("NIP ini baru saja didaftarkan.")]}}
                    )
    masalah.sort(key=lambda item: item["baris"])
    return HasilImpor(diterapkan=applied, masalah=masalah)


def _pegawai_write(rows: list[Baris], *, user: User, tenant: Any) -> None:
    new_jabatan: dict[tuple[int, str], Jabatan] = {}
    for row in rows:
        pegawai, jabatan = row.obj
        if jabatan is not None and not jabatan.pk:
            key = (jabatan.unit_id, jabatan.nama.lower())
            existing = Jabatan.objects.filter(
                unit_id=jabatan.unit_id, nama__iexact=jabatan.nama, aktif=True
            ).first()
            if existing is None and key not in new_jabatan:
                new_jabatan[key] = jabatan
    Jabatan.objects.bulk_create(new_jabatan.values())
    pegawai_list = []
    for row in rows:
        pegawai, jabatan = row.obj
        if jabatan is not None:
            if not jabatan.pk:
                key = (jabatan.unit_id, jabatan.nama.lower())
                jabatan = new_jabatan.get(key) or Jabatan.objects.get(
                    unit_id=jabatan.unit_id, nama__iexact=jabatan.nama, aktif=True
                )
            pegawai.jabatan = jabatan
        pegawai.pk = None
        pegawai_list.append(pegawai)
    Pegawai.objects.bulk_create(pegawai_list)
    NipTerdaftar.objects.bulk_create([NipTerdaftar(nip=p.nip, tenant=tenant) for p in pegawai_list])
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                created_at=now,
                actor_id=user.pk,
                actor=str(user),
                action="pegawai.create",
                target_type="kepegawaian.pegawai",
                target_id=str(p.pk),
                target=str(p)[:255],
                after=snapshot(p, PEGAWAI_FIELDS),
                reason=_("Impor berkas"),
            )
            for p in pegawai_list
        ]
        + [
            AuditEvent(
                created_at=now,
                actor_id=user.pk,
                actor=str(user),
                action="jabatan.create",
                target_type="kepegawaian.jabatan",
                target_id=str(j.pk),
                target=str(j)[:255],
                after={"nama": j.nama, "unit": j.unit_id},
                reason=_("Impor berkas"),
            )
            for j in new_jabatan.values()
        ]
    )


# ---------------------------------------------------------------------------------------------
# Units


def unit_preview(*, user: User, content: bytes, nama_berkas: str) -> Pratinjau:
    """Check every row of a unit file; a parent may be a unit that an earlier row creates."""
    if not access.is_admin(user):
        raise access.forbidden(_("Hanya admin yang dapat mengimpor unit."))
    header, rows = read_rows(content=content, nama_berkas=nama_berkas)
    lookups = _Lookups(user)
    planned_kode: dict[str, int] = {}
    planned_nama: dict[str, int] = {}
    result = []
    for number, data in _records(header, rows, UNIT_KOLOM):
        row = Baris(nomor=number, data={k: _text(v) for k, v in data.items()})
        values = row.data
        if not values.get("nama"):
            row.masalah["nama"] = [_("Nama unit wajib diisi.")]
        if values.get("jenis", "").lower() not in Unit.Jenis.values:
            row.masalah["jenis"] = [_("Jenis unit tidak dikenal.")]
        kode = values.get("kode", "")
        if kode and (kode.lower() in lookups.unit_by_kode or kode.lower() in planned_kode):
            row.masalah["kode"] = [_("Kode unit ini sudah dipakai.")]
        induk = values.get("induk", "").strip().lower()
        if not induk:
            row.masalah["induk"] = [_("Unit induk wajib diisi.")]
        elif induk not in planned_kode and induk not in planned_nama:
            _unit, problem = lookups.unit(values["induk"])
            if problem:
                row.masalah["induk"] = [problem]
        if row.valid:
            if kode:
                planned_kode[kode.lower()] = number
            planned_nama[values["nama"].strip().lower()] = number
        result.append(row)
    return Pratinjau(jenis="unit", baris=result)


def unit_apply(*, user: User, content: bytes, nama_berkas: str) -> HasilImpor:
    """Create the units of every valid row, in file order, each through `unit_create`."""
    preview = unit_preview(user=user, content=content, nama_berkas=nama_berkas)
    masalah = [row.as_dict() for row in preview.bermasalah]
    created: dict[str, Unit] = {}
    lookups = _Lookups(user)
    applied = 0
    for row in preview.valid:
        values = row.data
        parent = created.get(values["induk"].strip().lower())
        if parent is None:
            parent, problem = lookups.unit(values["induk"])
            if parent is None:
                masalah.append({"baris": row.nomor, "kolom": {"induk": [problem]}})
                continue
        try:
            unit = unit_create(
                actor=user,
                nama=values["nama"],
                jenis=values["jenis"].lower(),
                parent=parent,
                singkatan=values.get("singkatan", ""),
                kode=values.get("kode", ""),
            )
        except ApplicationError as exc:
            masalah.append({"baris": row.nomor, "kolom": exc.fields or {"nama": [exc.message]}})
            continue
        applied += 1
        created[unit.nama.strip().lower()] = unit
        if unit.kode:
            created[unit.kode.lower()] = unit
    masalah.sort(key=lambda item: item["baris"])
    return HasilImpor(diterapkan=applied, masalah=masalah)


# ---------------------------------------------------------------------------------------------
# Templates and export


def _xlsx(kolom: list[Kolom], rows: Iterable[list[Any]], *, petunjuk: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=not petunjuk)
    sheet = workbook.active if petunjuk else workbook.create_sheet(_("Data"))
    if petunjuk:
        sheet.title = str(_("Data"))
    sheet.append([k.key for k in kolom])
    for row in rows:
        sheet.append(row)
    if petunjuk:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        guide = workbook.create_sheet(str(_("Petunjuk")))
        guide.append([str(_("Kolom")), str(_("Keterangan")), str(_("Wajib")), str(_("Contoh"))])
        for k in kolom:
            guide.append([k.key, str(k.label), str(_("ya")) if k.wajib else "", k.contoh])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(kolom: list[Kolom], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([k.key for k in kolom])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_file(*, jenis: str, format: str) -> bytes:  # noqa: A002
    kolom = PEGAWAI_KOLOM if jenis == "pegawai" else UNIT_KOLOM
    example = [[k.contoh for k in kolom]]
    return _xlsx(kolom, example, petunjuk=True) if format == "xlsx" else _csv(kolom, example)


def pegawai_export(*, pegawai: Iterable[Pegawai], format: str, show_nik: bool) -> bytes:  # noqa: A002
    """The same shape as the import template, so an export can be corrected and imported back."""

    def rows() -> Iterator[list[Any]]:
        for p in pegawai:
            yield [
                p.nip,
                p.jenis_pegawai,
                p.nik if show_nik else "",
                p.gelar_depan,
                p.nama,
                p.gelar_belakang,
                p.tempat_lahir,
                p.tanggal_lahir.isoformat(),
                p.jenis_kelamin,
                p.golongan,
                p.tmt_golongan.isoformat() if p.tmt_golongan else "",
                p.mkg_tahun,
                p.mkg_bulan,
                p.tmt_cpns.isoformat() if p.tmt_cpns else "",
                p.tmt_pns.isoformat() if p.tmt_pns else "",
                p.unit.kode or p.unit.nama,
                p.jabatan.nama if p.jabatan else "",
                p.jabatan.jenis if p.jabatan else "",
                p.jabatan.kelas_jabatan if p.jabatan else "",
                p.status,
                p.email,
                p.telepon,
            ]

    return _xlsx(PEGAWAI_KOLOM, rows(), petunjuk=False) if format == "xlsx" else _csv(PEGAWAI_KOLOM, rows())


def unit_export(*, units: Iterable[Unit], format: str) -> bytes:  # noqa: A002
    def rows() -> Iterator[list[Any]]:
        for u in units:
            parent = u.parent
            yield [u.kode, u.nama, u.singkatan, u.jenis, (parent.kode or parent.nama) if parent else ""]

    return _xlsx(UNIT_KOLOM, rows(), petunjuk=False) if format == "xlsx" else _csv(UNIT_KOLOM, rows())
