"""Writes on kepegawaian: the organisation tree, positions, employees and their history.

Every write is keyword-only, atomic, validated and audited (STYLE.md rule 1).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.core.observability import mask_identifier
from modules.kepegawaian import access
from modules.kepegawaian.models import (
    AksesUnit,
    Golongan,
    Jabatan,
    Pegawai,
    PerubahanProfil,
    RiwayatGaji,
    RiwayatJabatan,
    RiwayatPangkat,
    Unit,
    UnitRiwayat,
)
from modules.kepegawaian.validators import nip_parse, normalise_number, pegawai_identity_problems


def unit_path_for(*, parent: Unit | None, unit_id: int) -> tuple[str, int]:
    """The materialised path and depth of a unit with id `unit_id` placed under `parent`."""
    if parent is None:
        return f"{unit_id}.", 0
    return f"{parent.path}{unit_id}.", parent.depth + 1


def _wilayah_jenis(kode: str) -> str:
    # Kemendagri code PP.KK.CC.XNNN: X=1 kelurahan, 2 desa, 3 desa adat (DOMAIN.md).
    return Unit.Jenis.KELURAHAN if kode.split(".")[3].startswith("1") else Unit.Jenis.DESA


def unit_skeleton_seed(*, nama_pemda: str, wilayah: list[tuple[str, str, int]]) -> Unit:
    """Create the regency's skeleton: the Pemda root, its kecamatan and their kelurahan/desa.

    `wilayah` holds (kode, nama, level) rows: level 3 kecamatan (`74.71.01`), level 4
    kelurahan/desa (`74.71.01.1001`). Rows at other levels are ignored. Runs in a few bulk
    statements (a regency has up to ~300 villages). Safe to call again: an existing root is
    reused and units whose kode already exists are skipped.
    """
    with transaction.atomic():
        root = Unit.objects.filter(parent__isnull=True, jenis=Unit.Jenis.PEMDA).order_by("id").first()
        if root is None:
            root = Unit.objects.create(nama=nama_pemda, jenis=Unit.Jenis.PEMDA)
            root.path, root.depth = unit_path_for(parent=None, unit_id=root.pk)
            root.save(update_fields=["path", "depth"])
        existing = dict(
            Unit.objects.filter(path__startswith=root.path).exclude(kode="").values_list("kode", "id")
        )

        kecamatan_rows = [(kode, nama) for kode, nama, level in wilayah if level == 3]
        desa_rows = [(kode, nama) for kode, nama, level in wilayah if level == 4]

        new_kecamatan = [
            Unit(nama=nama, kode=kode, jenis=Unit.Jenis.KECAMATAN, parent=root, urutan=i)
            for i, (kode, nama) in enumerate(sorted(kecamatan_rows), start=1)
            if kode not in existing
        ]
        Unit.objects.bulk_create(new_kecamatan)
        for unit in new_kecamatan:
            unit.path, unit.depth = unit_path_for(parent=root, unit_id=unit.pk)
        Unit.objects.bulk_update(new_kecamatan, ["path", "depth"])

        kecamatan_by_kode = {
            unit.kode: unit
            for unit in Unit.objects.filter(parent=root, jenis=Unit.Jenis.KECAMATAN).exclude(kode="")
        }
        new_desa = []
        for i, (kode, nama) in enumerate(sorted(desa_rows), start=1):
            if kode in existing:
                continue
            parent = kecamatan_by_kode.get(kode.rsplit(".", 1)[0])
            if parent is None:
                raise ValueError(
                    _("Kecamatan untuk wilayah %(kode)s tidak ada dalam daftar.") % {"kode": kode}
                )
            new_desa.append(Unit(nama=nama, kode=kode, jenis=_wilayah_jenis(kode), parent=parent, urutan=i))
        Unit.objects.bulk_create(new_desa)
        for unit in new_desa:
            unit.path, unit.depth = unit_path_for(parent=unit.parent, unit_id=unit.pk)
        Unit.objects.bulk_update(new_desa, ["path", "depth"], batch_size=500)
    return root


# ---------------------------------------------------------------------------------------------
# Helpers

GOLONGAN_PNS = [g.value for g in Golongan if "/" in g.value]
GOLONGAN_PPPK = [g.value for g in Golongan if "/" not in g.value]


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe before/after picture of `fields` for the audit trail; NIK masked (UU 27/2022)."""
    data = {}
    for name in fields:
        value = getattr(obj, f"{name}_id" if name in ("unit", "jabatan", "parent", "user") else name)
        data[name] = _json(value)
    if data.get("nik"):
        data["nik"] = mask_identifier(data["nik"])
    return data


def _full_clean(obj: Any, *, exclude: list[str] | None = None, message: str, non_field: str = "") -> None:
    """full_clean as an ApplicationError; a constraint's message goes to `non_field` when given,
    so the form shows it next to the field the user can change."""
    try:
        obj.full_clean(exclude=exclude, validate_constraints=True)
    except ValidationError as exc:
        fields = dict(exc.message_dict)
        if non_field and "__all__" in fields:
            fields.setdefault(non_field, []).extend(fields.pop("__all__"))
        raise ApplicationError(message, fields=fields) from exc


def _integrity(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]}, status=409, code="conflict")


# ---------------------------------------------------------------------------------------------
# Units

UNIT_FIELDS = ["nama", "singkatan", "jenis", "kode", "parent", "urutan", "aktif"]


def unit_create(
    *,
    actor: User,
    nama: str,
    jenis: str,
    parent: Unit | None,
    singkatan: str = "",
    kode: str = "",
    urutan: int = 0,
    berlaku_mulai: datetime.date | None = None,
) -> Unit:
    """Add a unit under `parent` (admin OPD: only inside their subtree; a root only by admin pemda)."""
    if parent is None:
        access.access_admin_pemda(user=actor)
    else:
        access.access_unit_ubah(user=actor, unit=parent)
    unit = Unit(
        nama=nama.strip(),
        jenis=jenis,
        parent=parent,
        singkatan=singkatan.strip(),
        kode=kode.strip(),
        urutan=urutan,
    )
    _full_clean(unit, exclude=["path", "depth"], message=_("Data unit tidak valid."), non_field="nama")
    with transaction.atomic():
        unit.save()
        unit.path, unit.depth = unit_path_for(parent=parent, unit_id=unit.pk)
        unit.save(update_fields=["path", "depth"])
        UnitRiwayat.objects.create(
            unit=unit,
            jenis=UnitRiwayat.Jenis.DIBUAT,
            nama_baru=unit.nama,
            induk_baru=parent.nama if parent else "",
            berlaku_mulai=berlaku_mulai or timezone.localdate(),
        )
        audit_record(actor=actor, action="unit.create", target=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


def unit_update(
    *,
    actor: User,
    unit: Unit,
    nama: str | None = None,
    singkatan: str | None = None,
    jenis: str | None = None,
    kode: str | None = None,
    urutan: int | None = None,
    aktif: bool | None = None,
    berlaku_mulai: datetime.date | None = None,
    dasar: str = "",
) -> Unit:
    """Edit a unit. A new name is recorded in the unit's history with its effective date, so old
    letters and SKs still read right; positions held keep their RiwayatJabatan names."""
    access.access_unit_ubah(user=actor, unit=unit)
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(locked, UNIT_FIELDS)
        changes = {
            "nama": nama.strip() if nama is not None else None,
            "singkatan": singkatan.strip() if singkatan is not None else None,
            "jenis": jenis,
            "kode": kode.strip() if kode is not None else None,
            "urutan": urutan,
            "aktif": aktif,
        }
        changed = [
            field for field, value in changes.items() if value is not None and getattr(locked, field) != value
        ]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, changes[field])
        _full_clean(locked, exclude=["path", "depth"], message=_("Data unit tidak valid."), non_field="nama")
        if (
            "aktif" in changed
            and not locked.aktif
            and (
                Pegawai.objects.filter(
                    unit__path__startswith=locked.path, status=Pegawai.Status.AKTIF
                ).exists()
            )
        ):
            raise ApplicationError(
                _("Unit masih memiliki pegawai aktif; pindahkan mereka dahulu sebelum menonaktifkan unit."),
                fields={"aktif": [_("Unit masih memiliki pegawai aktif.")]},
            )
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise _integrity(
                _("Sudah ada unit dengan nama ini di bawah unit induk yang sama."), "nama"
            ) from exc
        effective = berlaku_mulai or timezone.localdate()
        if "nama" in changed:
            UnitRiwayat.objects.create(
                unit=locked,
                jenis=UnitRiwayat.Jenis.GANTI_NAMA,
                nama_lama=before["nama"],
                nama_baru=locked.nama,
                berlaku_mulai=effective,
                dasar=dasar,
            )
        if "aktif" in changed and not locked.aktif:
            UnitRiwayat.objects.create(
                unit=locked,
                jenis=UnitRiwayat.Jenis.NONAKTIF,
                nama_lama=locked.nama,
                berlaku_mulai=effective,
                dasar=dasar,
            )
        audit_record(
            actor=actor,
            action="unit.update",
            target=locked,
            before=before,
            after=snapshot(locked, UNIT_FIELDS),
            reason=dasar,
        )
    return locked


def unit_move(
    *, actor: User, unit: Unit, parent: Unit, berlaku_mulai: datetime.date | None = None, dasar: str = ""
) -> Unit:
    """Move a unit (and its whole subtree) under another parent; the paths of the subtree follow
    in one statement. Both the unit and the new parent must be in the actor's scope."""
    access.access_unit_ubah(user=actor, unit=unit)
    access.access_unit_ubah(user=actor, unit=parent)
    scope = access.cakupan_ubah(actor)
    if not scope.semua and unit.path == scope.path:
        raise access.forbidden(_("Unit induk cakupan Anda hanya dapat dipindahkan oleh admin pemda."))
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        parent = Unit.objects.get(pk=parent.pk)
        if parent.path.startswith(locked.path):
            raise ApplicationError(
                _("Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau unit bawahannya."),
                fields={"parent": [_("Pilih unit induk di luar cabang unit ini.")]},
            )
        if locked.parent_id == parent.pk:
            return locked
        if Unit.objects.filter(parent=parent, nama=locked.nama).exists():
            raise _integrity(_("Sudah ada unit dengan nama ini di bawah unit induk yang sama."), "parent")
        before = snapshot(locked, UNIT_FIELDS)
        old_parent_name = locked.parent.nama if locked.parent else ""
        old_path, old_depth = locked.path, locked.depth
        new_path, new_depth = unit_path_for(parent=parent, unit_id=locked.pk)
        # Rewrite the prefix of every path in the subtree at once.
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - old_depth),
        )
        Unit.objects.filter(pk=locked.pk).update(parent=parent)
        locked.refresh_from_db()
        UnitRiwayat.objects.create(
            unit=locked,
            jenis=UnitRiwayat.Jenis.PINDAH,
            nama_lama=locked.nama,
            nama_baru=locked.nama,
            induk_lama=old_parent_name,
            induk_baru=parent.nama,
            berlaku_mulai=berlaku_mulai or timezone.localdate(),
            dasar=dasar,
        )
        audit_record(
            actor=actor,
            action="unit.move",
            target=locked,
            before=before,
            after=snapshot(locked, UNIT_FIELDS),
            reason=dasar,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Positions

JABATAN_FIELDS = ["nama", "unit", "jenis", "jenjang", "kelas_jabatan", "eselon", "is_kepala_unit", "aktif"]


def _jabatan_check(jabatan: Jabatan) -> None:
    if not isinstance(jabatan.kelas_jabatan, int) or not 1 <= jabatan.kelas_jabatan <= 17:
        raise ApplicationError(
            _("Kelas jabatan harus antara 1 dan 17."),
            fields={"kelas_jabatan": [_("Kelas jabatan harus antara 1 dan 17.")]},
        )
    _full_clean(jabatan, message=_("Data jabatan tidak valid."))
    if jabatan.is_kepala_unit and jabatan.aktif:
        other = Jabatan.objects.filter(unit_id=jabatan.unit_id, is_kepala_unit=True, aktif=True).exclude(
            pk=jabatan.pk
        )
        if other.exists():
            raise ApplicationError(
                _("Unit ini sudah memiliki jabatan kepala unit."),
                fields={"is_kepala_unit": [_("Unit ini sudah memiliki jabatan kepala unit.")]},
            )


def jabatan_create(
    *,
    actor: User,
    unit: Unit,
    nama: str,
    jenis: str,
    kelas_jabatan: int,
    jenjang: str = "",
    eselon: str = "",
    is_kepala_unit: bool = False,
) -> Jabatan:
    """Add a position to a unit; at most one active head position per unit."""
    access.access_unit_ubah(user=actor, unit=unit)
    jabatan = Jabatan(
        unit=unit,
        nama=nama.strip(),
        jenis=jenis,
        kelas_jabatan=kelas_jabatan,
        jenjang=jenjang,
        eselon=eselon.strip(),
        is_kepala_unit=is_kepala_unit,
    )
    with transaction.atomic():
        _jabatan_check(jabatan)
        jabatan.save()
        audit_record(
            actor=actor, action="jabatan.create", target=jabatan, after=snapshot(jabatan, JABATAN_FIELDS)
        )
    return jabatan


def jabatan_update(*, actor: User, jabatan: Jabatan, **changes: Any) -> Jabatan:
    """Edit a position: nama, jenis, jenjang, kelas_jabatan, eselon, is_kepala_unit, aktif."""
    allowed = {"nama", "jenis", "jenjang", "kelas_jabatan", "eselon", "is_kepala_unit", "aktif"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            _("Kolom ini tidak dapat diubah."), fields={f: [_("Tidak dapat diubah.")] for f in unknown}
        )
    access.access_unit_ubah(user=actor, unit=jabatan.unit)
    with transaction.atomic():
        locked = Jabatan.objects.select_for_update().get(pk=jabatan.pk)
        before = snapshot(locked, JABATAN_FIELDS)
        changed = [f for f, v in changes.items() if v is not None and getattr(locked, f) != v]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, changes[field])
        _jabatan_check(locked)
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="jabatan.update",
            target=locked,
            before=before,
            after=snapshot(locked, JABATAN_FIELDS),
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Employees

PEGAWAI_FIELDS = [
    "nip",
    "jenis_pegawai",
    "nik",
    "gelar_depan",
    "nama",
    "gelar_belakang",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "golongan",
    "tmt_golongan",
    "mkg_tahun",
    "mkg_bulan",
    "tmt_cpns",
    "tmt_pns",
    "unit",
    "jabatan",
    "status",
    "email",
    "telepon",
    "user",
]


def kecamatan_exists(kode: str) -> bool:
    """Whether `kode` (PP.KK.CC) is a kecamatan in the platform's Kemendagri reference table."""
    from modules.kepegawaian.selectors import kecamatan_kode_set

    return kode in kecamatan_kode_set()


def golongan_problems(*, jenis_pegawai: str, golongan: str) -> list[str]:
    if jenis_pegawai == Pegawai.JenisPegawai.PPPK:
        return [] if golongan in GOLONGAN_PPPK else [_("Golongan PPPK harus I sampai XVII.")]
    return [] if golongan in GOLONGAN_PNS else [_("Golongan/ruang PNS harus I/a sampai IV/e.")]


def pegawai_problems(pegawai: Pegawai) -> dict[str, list[str]]:
    """Every problem of an unsaved or edited employee, per field (identity, golongan, jabatan)."""
    errors = pegawai_identity_problems(
        nip=pegawai.nip,
        jenis_pegawai=pegawai.jenis_pegawai,
        tanggal_lahir=pegawai.tanggal_lahir,
        jenis_kelamin=pegawai.jenis_kelamin,
        nik=pegawai.nik,
        kecamatan_exists=kecamatan_exists,
    )
    if pegawai.golongan:
        golongan = golongan_problems(jenis_pegawai=pegawai.jenis_pegawai, golongan=pegawai.golongan)
        if golongan:
            errors["golongan"] = golongan
    if pegawai.jabatan_id and pegawai.unit_id and pegawai.jabatan.unit_id != pegawai.unit_id:  # type: ignore[union-attr]
        errors["jabatan"] = [_("Jabatan ini tidak berada di unit yang dipilih.")]
    if pegawai.jabatan_id and not pegawai.jabatan.aktif:  # type: ignore[union-attr]
        errors.setdefault("jabatan", []).append(_("Jabatan ini sudah tidak aktif."))
    if pegawai.mkg_bulan is not None and pegawai.mkg_bulan > 11:
        errors["mkg_bulan"] = [_("Masa kerja golongan (bulan) harus 0–11.")]
    return errors


def _pegawai_validate(pegawai: Pegawai) -> None:
    errors = pegawai_problems(pegawai)
    # Birth date and gender are read from a valid NIP; with a broken NIP their absence is not news.
    derived = ["tanggal_lahir", "jenis_kelamin"] if "nip" in errors else []
    try:
        pegawai.full_clean(exclude=["user", *derived, *errors.keys()], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ApplicationError(_("Data pegawai tidak valid. Periksa isian yang ditandai."), fields=errors)


def _pegawai_fill_from_nip(pegawai: Pegawai) -> None:
    """Birth date, gender and TMT CPNS are written in the NIP; fill what the admin left empty."""
    try:
        info = nip_parse(pegawai.nip, jenis_pegawai=pegawai.jenis_pegawai)
    except ValidationError:
        return
    if pegawai.tanggal_lahir is None:
        pegawai.tanggal_lahir = info.tanggal_lahir
    if not pegawai.jenis_kelamin:
        pegawai.jenis_kelamin = info.jenis_kelamin
    if pegawai.jenis_pegawai != Pegawai.JenisPegawai.PPPK and pegawai.tmt_cpns is None:
        pegawai.tmt_cpns = info.tmt


def pegawai_create(*, actor: User, **data: Any) -> Pegawai:
    """Register an employee (PNS, CPNS or PPPK) in this regency.

    `data` holds Pegawai fields (unit and jabatan as instances). The NIP is claimed in the
    platform-wide registry in the same transaction, so two regencies can never hold one NIP.
    """
    from eoffice.nip_registry.services import nip_claim
    from tenants.selectors import tenant_current

    unknown = set(data) - set(PEGAWAI_FIELDS) - {"unit", "jabatan"}
    if unknown:
        raise ApplicationError(
            _("Kolom tidak dikenal."), fields={f: [_("Kolom tidak dikenal.")] for f in unknown}
        )
    data["nip"] = normalise_number(data.get("nip", ""))
    data["nik"] = normalise_number(data.get("nik", ""))
    unit = data.get("unit")
    if unit is None:
        raise ApplicationError(_("Unit kerja wajib diisi."), fields={"unit": [_("Unit kerja wajib diisi.")]})
    access.access_unit_ubah(user=actor, unit=unit)
    pegawai = Pegawai(**data)
    _pegawai_fill_from_nip(pegawai)
    _pegawai_validate(pegawai)
    with transaction.atomic():
        if Pegawai.objects.filter(nip=pegawai.nip).exists():
            raise _integrity(_("NIP ini sudah terdaftar di daerah ini."), "nip")
        nip_claim(nip=pegawai.nip, tenant=tenant_current())
        pegawai.save()
        audit_record(
            actor=actor, action="pegawai.create", target=pegawai, after=snapshot(pegawai, PEGAWAI_FIELDS)
        )
    return pegawai


# Fields an admin edits directly; identity (nip) changes only through a new registration.
PEGAWAI_EDITABLE = [f for f in PEGAWAI_FIELDS if f not in ("nip", "user")]


def pegawai_update(*, actor: User, pegawai: Pegawai, reason: str = "", **changes: Any) -> Pegawai:
    """Edit an employee's data. Moving them to another unit needs both units in the actor's scope.
    Rank, position and salary changes with an SK belong in the riwayat services."""
    unknown = set(changes) - set(PEGAWAI_EDITABLE)
    if unknown:
        raise ApplicationError(
            _("Kolom ini tidak dapat diubah."),
            fields={f: [_("Kolom ini tidak dapat diubah.")] for f in unknown},
        )
    access.access_unit_ubah(user=actor, unit=pegawai.unit)
    if "unit" in changes and changes["unit"] is not None:
        access.access_unit_ubah(user=actor, unit=changes["unit"])
    if "nik" in changes and changes["nik"] is not None:
        changes["nik"] = normalise_number(changes["nik"])
    with transaction.atomic():
        locked = (
            Pegawai.objects.select_for_update(of=("self",))
            .select_related("unit", "jabatan")
            .get(pk=pegawai.pk)
        )
        before = snapshot(locked, PEGAWAI_FIELDS)
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, changes[field])
        _pegawai_validate(locked)
        update_fields = [f"{f}" for f in changed]
        locked.save(update_fields=[*update_fields, "updated_at"])
        audit_record(
            actor=actor,
            action="pegawai.update",
            target=locked,
            before=before,
            after=snapshot(locked, PEGAWAI_FIELDS),
            reason=reason,
        )
    return locked


def _sk_check(*, sk_nomor: str, sk_tanggal: datetime.date | None, tmt: datetime.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if not (sk_nomor or "").strip():
        errors["sk_nomor"] = [_("Nomor SK wajib diisi.")]
    if sk_tanggal is None:
        errors["sk_tanggal"] = [_("Tanggal SK wajib diisi.")]
    if tmt is None:
        errors["tmt"] = [_("TMT wajib diisi.")]
    if errors:
        raise ApplicationError(_("Data SK belum lengkap."), fields=errors)


def riwayat_pangkat_add(
    *,
    actor: User,
    pegawai: Pegawai,
    golongan: str,
    tmt: datetime.date,
    sk_nomor: str,
    sk_tanggal: datetime.date,
    mkg_tahun: int = 0,
    mkg_bulan: int = 0,
) -> RiwayatPangkat:
    """Record a rank (golongan) change; the latest by TMT becomes the employee's current golongan."""
    access.access_unit_ubah(user=actor, unit=pegawai.unit)
    _sk_check(sk_nomor=sk_nomor, sk_tanggal=sk_tanggal, tmt=tmt)
    problems = golongan_problems(jenis_pegawai=pegawai.jenis_pegawai, golongan=golongan)
    if problems:
        raise ApplicationError(problems[0], fields={"golongan": problems})
    with transaction.atomic():
        locked = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
        if RiwayatPangkat.objects.filter(pegawai=locked, tmt=tmt).exists():
            raise _integrity(_("Sudah ada riwayat pangkat dengan TMT ini."), "tmt")
        riwayat = RiwayatPangkat.objects.create(
            pegawai=locked,
            golongan=golongan,
            tmt=tmt,
            mkg_tahun=mkg_tahun,
            mkg_bulan=mkg_bulan,
            sk_nomor=sk_nomor.strip(),
            sk_tanggal=sk_tanggal,
        )
        before = snapshot(locked, ["golongan", "tmt_golongan", "mkg_tahun", "mkg_bulan"])
        if locked.tmt_golongan is None or tmt >= locked.tmt_golongan:
            locked.golongan, locked.tmt_golongan = golongan, tmt
            locked.mkg_tahun, locked.mkg_bulan = mkg_tahun, mkg_bulan
            locked.save(update_fields=["golongan", "tmt_golongan", "mkg_tahun", "mkg_bulan", "updated_at"])
        audit_record(
            actor=actor,
            action="pegawai.riwayat_pangkat",
            target=locked,
            before=before,
            after={
                **snapshot(riwayat, ["golongan", "tmt", "mkg_tahun", "mkg_bulan", "sk_nomor", "sk_tanggal"])
            },
        )
    return riwayat


def riwayat_jabatan_add(
    *,
    actor: User,
    pegawai: Pegawai,
    jabatan: Jabatan,
    tmt: datetime.date,
    sk_nomor: str,
    sk_tanggal: datetime.date,
) -> RiwayatJabatan:
    """Appoint an employee to a position (possibly in another unit of the actor's scope). The
    names are copied into the history so a later rename never rewrites it."""
    access.access_unit_ubah(user=actor, unit=pegawai.unit)
    access.access_unit_ubah(user=actor, unit=jabatan.unit)
    _sk_check(sk_nomor=sk_nomor, sk_tanggal=sk_tanggal, tmt=tmt)
    if not jabatan.aktif:
        raise ApplicationError(
            _("Jabatan ini sudah tidak aktif."), fields={"jabatan": [_("Jabatan tidak aktif.")]}
        )
    with transaction.atomic():
        locked = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
        before = snapshot(locked, ["unit", "jabatan"])
        riwayat = RiwayatJabatan.objects.create(
            pegawai=locked,
            jabatan=jabatan,
            nama_jabatan=jabatan.nama,
            nama_unit=jabatan.unit.nama,
            tmt=tmt,
            sk_nomor=sk_nomor.strip(),
            sk_tanggal=sk_tanggal,
        )
        latest = RiwayatJabatan.objects.filter(pegawai=locked).order_by("-tmt", "-id").first()
        if latest is not None and latest.pk == riwayat.pk:
            locked.jabatan, locked.unit = jabatan, jabatan.unit
            locked.save(update_fields=["jabatan", "unit", "updated_at"])
        audit_record(
            actor=actor,
            action="pegawai.riwayat_jabatan",
            target=locked,
            before=before,
            after={
                **snapshot(locked, ["unit", "jabatan"]),
                "sk_nomor": riwayat.sk_nomor,
                "tmt": tmt.isoformat(),
            },
        )
    return riwayat


def riwayat_gaji_add(
    *,
    actor: User,
    pegawai: Pegawai,
    jenis: str,
    golongan: str,
    mkg_tahun: int,
    gaji_pokok: int,
    tmt: datetime.date,
    sk_nomor: str,
    sk_tanggal: datetime.date,
    mkg_bulan: int = 0,
) -> RiwayatGaji:
    """Record a salary change (KGB, rank change, appointment). Gaji pokok in integer rupiah."""
    access.access_unit_ubah(user=actor, unit=pegawai.unit)
    _sk_check(sk_nomor=sk_nomor, sk_tanggal=sk_tanggal, tmt=tmt)
    riwayat = RiwayatGaji(
        pegawai=pegawai,
        jenis=jenis,
        golongan=golongan,
        mkg_tahun=mkg_tahun,
        mkg_bulan=mkg_bulan,
        gaji_pokok=gaji_pokok,
        tmt=tmt,
        sk_nomor=sk_nomor.strip(),
        sk_tanggal=sk_tanggal,
    )
    _full_clean(riwayat, exclude=["pegawai"], message=_("Data riwayat gaji tidak valid."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                riwayat.save()
        except IntegrityError as exc:
            raise _integrity(_("Sudah ada riwayat gaji jenis ini dengan TMT yang sama."), "tmt") from exc
        audit_record(
            actor=actor,
            action="pegawai.riwayat_gaji",
            target=pegawai,
            after=snapshot(riwayat, ["jenis", "golongan", "mkg_tahun", "gaji_pokok", "tmt", "sk_nomor"]),
        )
    return riwayat


# ---------------------------------------------------------------------------------------------
# Accounts and roles


def pegawai_akun_create(
    *, actor: User, pegawai: Pegawai, email: str, peran: str = User.Peran.PEGAWAI
) -> User:
    """Give an employee an account: user name = NIP, no password yet (they set one through
    "lupa kata sandi", so no admin ever knows it)."""
    from tenants.services import user_create

    access.access_unit_ubah(user=actor, unit=pegawai.unit)
    if peran != User.Peran.PEGAWAI:
        access.access_admin_pemda(user=actor)
    if pegawai.user_id:
        raise _integrity(_("Pegawai ini sudah memiliki akun."), "email")
    with transaction.atomic():
        user = user_create(
            username=pegawai.nip, email=email, nama=pegawai.nama_lengkap, password=None, peran=peran
        )
        Pegawai.objects.filter(pk=pegawai.pk).update(user=user)
        pegawai.user = user
        audit_record(
            actor=actor, action="user.create", target=user, after={"username": user.username, "peran": peran}
        )
    return user


def peran_set(*, actor: User, user: User, peran: str, unit: Unit | None = None) -> User:
    """Give a user a role; admin OPD needs the OPD whose subtree they administer, pimpinan may
    name the unit they lead. Only admin pemda assigns roles."""
    access.access_admin_pemda(user=actor)
    if peran not in User.Peran.values:
        raise ApplicationError(_("Peran tidak dikenal."), fields={"peran": [_("Peran tidak dikenal.")]})
    if peran == User.Peran.ADMIN_OPD and unit is None:
        raise ApplicationError(
            _("Admin OPD memerlukan unit cakupan."),
            fields={"unit": [_("Pilih OPD yang dikelola admin ini.")]},
        )
    if user.pk == actor.pk and peran != User.Peran.ADMIN_PEMDA:
        raise ApplicationError(
            _("Anda tidak dapat menurunkan peran akun Anda sendiri."),
            fields={"peran": [_("Tidak dapat diubah.")]},
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        akses = AksesUnit.objects.filter(user=locked).first()
        before = {"peran": locked.peran, "unit": akses.unit_id if akses else None}
        locked.peran = peran
        locked.save(update_fields=["peran"])
        keep_unit = unit is not None and peran in (User.Peran.ADMIN_OPD, User.Peran.PIMPINAN)
        if keep_unit and unit is not None:
            AksesUnit.objects.update_or_create(user=locked, defaults={"unit": unit})
        else:
            AksesUnit.objects.filter(user=locked).delete()
        audit_record(
            actor=actor,
            action="user.peran",
            target=locked,
            before=before,
            after={"peran": peran, "unit": unit.pk if keep_unit and unit else None},
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Profile change requests

# What an employee may ask to correct; golongan, jabatan and unit change only by SK.
PROFIL_DAPAT_DIAJUKAN = ["gelar_depan", "nama", "gelar_belakang", "tempat_lahir", "nik", "email", "telepon"]


def perubahan_profil_ajukan(*, user: User, data: dict[str, str], alasan: str) -> PerubahanProfil:
    """An employee asks to correct their own profile; nothing changes until an admin approves."""
    pegawai = access.pegawai_of(user)
    if pegawai is None:
        raise ApplicationError(
            _("Akun Anda belum terhubung dengan data pegawai."), code="forbidden", status=403
        )
    unknown = set(data) - set(PROFIL_DAPAT_DIAJUKAN)
    if unknown:
        raise ApplicationError(
            _("Kolom ini tidak dapat diajukan untuk diubah."),
            fields={f: [_("Kolom ini hanya dapat diubah dengan SK.")] for f in unknown},
        )
    cleaned = {field: (value or "").strip() for field, value in data.items()}
    if "nik" in cleaned:
        cleaned["nik"] = normalise_number(cleaned["nik"])
    cleaned = {field: value for field, value in cleaned.items() if getattr(pegawai, field) != value}
    errors: dict[str, list[str]] = {}
    if not cleaned:
        errors["data"] = [_("Tidak ada data yang berubah.")]
    if not alasan.strip():
        errors["alasan"] = [_("Alasan perubahan wajib diisi.")]
    # Validate the proposed profile as a whole, so the admin only ever sees valid requests.
    proposed = Pegawai.objects.get(pk=pegawai.pk)
    for field, value in cleaned.items():
        setattr(proposed, field, value)
    try:
        _pegawai_validate(proposed)
    except ApplicationError as exc:
        errors.update({k: v for k, v in exc.fields.items() if k in cleaned})
    if errors:
        raise ApplicationError(_("Permintaan perubahan belum lengkap atau tidak valid."), fields=errors)
    with transaction.atomic():
        if PerubahanProfil.objects.filter(pegawai=pegawai, status=PerubahanProfil.Status.DIAJUKAN).exists():
            raise _integrity(_("Masih ada permintaan perubahan profil yang belum diputuskan."), "data")
        request = PerubahanProfil.objects.create(pegawai=pegawai, data=cleaned, alasan=alasan.strip())
        audit_record(
            actor=user,
            action="perubahan_profil.ajukan",
            target=pegawai,
            after={"permintaan": request.pk, **snapshot_data(cleaned)},
        )
    return request


def snapshot_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: mask_identifier(v) if k == "nik" and v else v for k, v in data.items()}


def perubahan_profil_putuskan(
    *, actor: User, perubahan: PerubahanProfil, setuju: bool, catatan: str = ""
) -> PerubahanProfil:
    """Approve (apply the change to the profile) or reject an employee's change request."""
    access.access_unit_ubah(user=actor, unit=perubahan.pegawai.unit)
    if not setuju and not catatan.strip():
        raise ApplicationError(
            _("Sebutkan alasan penolakan."), fields={"catatan": [_("Alasan penolakan wajib diisi.")]}
        )
    with transaction.atomic():
        locked = (
            PerubahanProfil.objects.select_for_update(of=("self",))
            .select_related("pegawai")
            .get(pk=perubahan.pk)
        )
        if locked.status != PerubahanProfil.Status.DIAJUKAN:
            raise _integrity(_("Permintaan ini sudah diputuskan."), "status")
        if setuju:
            pegawai_update(
                actor=actor,
                pegawai=locked.pegawai,
                reason=_("Permintaan perubahan profil disetujui"),
                **locked.data,
            )
        locked.status = PerubahanProfil.Status.DISETUJUI if setuju else PerubahanProfil.Status.DITOLAK
        locked.diputuskan_oleh = actor
        locked.diputuskan_at = timezone.now()
        locked.catatan = catatan.strip()
        locked.save(update_fields=["status", "diputuskan_oleh", "diputuskan_at", "catatan"])
        audit_record(
            actor=actor,
            action="perubahan_profil.putuskan",
            target=locked.pegawai,
            before={"status": PerubahanProfil.Status.DIAJUKAN},
            after={"status": locked.status},
            reason=catatan,
        )
    return locked
