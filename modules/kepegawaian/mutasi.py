"""Transfer (mutasi) of an employee between two regencies of the platform.

The releasing regency's admin releases the employee with the SK (status `mutasi_keluar`, a
`Mutasi` keluar row carrying a snapshot of the profile and history). The receiving regency's admin
then receives them by NIP: the platform-wide registry names the releasing regency, the snapshot
is read from its schema, the employee is created here with their history, both sides record and
audit their half, and the registry points the NIP here. All in one database transaction, so a
failure leaves both regencies as they were.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from eoffice.accounts.models import User
from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError
from eoffice.nip_registry.selectors import nip_holder
from eoffice.nip_registry.services import nip_transfer
from modules.kepegawaian import access
from modules.kepegawaian.models import (
    Jabatan,
    Mutasi,
    Pegawai,
    RiwayatGaji,
    RiwayatJabatan,
    RiwayatPangkat,
    Unit,
)
from modules.kepegawaian.services import _sk_check, snapshot
from modules.kepegawaian.validators import normalise_number
from tenants.models import Tenant
from tenants.selectors import tenant_current

_PROFIL = [
    "nip", "jenis_pegawai", "nik", "gelar_depan", "nama", "gelar_belakang", "tempat_lahir", "tanggal_lahir",
    "jenis_kelamin", "golongan", "tmt_golongan", "mkg_tahun", "mkg_bulan", "tmt_cpns", "tmt_pns", "email", "telepon",
]  # fmt: skip
_DATES = {"tanggal_lahir", "tmt_golongan", "tmt_cpns", "tmt_pns", "tmt", "sk_tanggal"}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _snapshot(pegawai: Pegawai) -> dict[str, Any]:
    """Everything that travels: the profile and the three histories (names as they were)."""
    return {
        "profil": {f: _iso(getattr(pegawai, f)) for f in _PROFIL},
        "unit": pegawai.unit.nama,
        "jabatan": pegawai.jabatan.nama if pegawai.jabatan else "",
        "riwayat_pangkat": [
            {
                f: _iso(getattr(r, f))
                for f in ("golongan", "tmt", "mkg_tahun", "mkg_bulan", "sk_nomor", "sk_tanggal")
            }
            for r in pegawai.riwayat_pangkat.order_by("tmt")
        ],
        "riwayat_jabatan": [
            {f: _iso(getattr(r, f)) for f in ("nama_jabatan", "nama_unit", "tmt", "sk_nomor", "sk_tanggal")}
            for r in pegawai.riwayat_jabatan.order_by("tmt", "id")
        ],
        "riwayat_gaji": [
            {
                f: _iso(getattr(r, f))
                for f in (
                    "jenis",
                    "golongan",
                    "mkg_tahun",
                    "mkg_bulan",
                    "gaji_pokok",
                    "tmt",
                    "sk_nomor",
                    "sk_tanggal",
                )
            }
            for r in pegawai.riwayat_gaji.order_by("tmt")
        ],
    }


def _dates(row: dict[str, Any]) -> dict[str, Any]:
    return {k: datetime.date.fromisoformat(v) if k in _DATES and v else v for k, v in row.items()}


def pegawai_mutasi_lepas(
    *,
    actor: User,
    pegawai: Pegawai,
    tujuan: Tenant,
    sk_nomor: str,
    sk_tanggal: datetime.date,
    tmt: datetime.date,
) -> Mutasi:
    """Release an employee to another regency of the platform (admin pemda of this regency)."""
    access.access_admin_pemda(user=actor)
    _sk_check(sk_nomor=sk_nomor, sk_tanggal=sk_tanggal, tmt=tmt)
    asal = tenant_current()
    if tujuan.pk == asal.pk or tujuan.is_public or tujuan.status != Tenant.Status.ACTIVE:
        raise ApplicationError(
            _("Daerah tujuan harus daerah lain yang aktif di platform."),
            fields={"tujuan": [_("Pilih daerah tujuan lain.")]},
        )
    with transaction.atomic():
        locked = (
            Pegawai.objects.select_for_update(of=("self",))
            .select_related("unit", "jabatan")
            .get(pk=pegawai.pk)
        )
        if locked.status != Pegawai.Status.AKTIF:
            raise ApplicationError(
                _("Hanya pegawai aktif yang dapat dimutasi."),
                fields={"status": [_("Pegawai tidak aktif.")]},
                status=409,
                code="conflict",
            )
        mutasi = Mutasi.objects.create(
            arah=Mutasi.Arah.KELUAR,
            nip=locked.nip,
            pegawai=locked,
            daerah_kode=tujuan.kode or "",
            daerah_nama=tujuan.name,
            status=Mutasi.Status.DILEPAS,
            sk_nomor=sk_nomor.strip(),
            sk_tanggal=sk_tanggal,
            tmt=tmt,
            snapshot=_snapshot(locked),
        )
        locked.status = Pegawai.Status.MUTASI_KELUAR
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="pegawai.mutasi_lepas",
            target=locked,
            before={"status": Pegawai.Status.AKTIF},
            after={"status": locked.status, "tujuan": tujuan.name, "sk_nomor": mutasi.sk_nomor},
            reason=sk_nomor,
        )
    return mutasi


def pegawai_mutasi_batal(*, actor: User, mutasi: Mutasi) -> Mutasi:
    """Withdraw a release not yet received; the employee is active here again."""
    access.access_admin_pemda(user=actor)
    with transaction.atomic():
        locked = Mutasi.objects.select_for_update().get(pk=mutasi.pk)
        if locked.arah != Mutasi.Arah.KELUAR or locked.status != Mutasi.Status.DILEPAS:
            raise ApplicationError(_("Mutasi ini sudah tidak dapat dibatalkan."), status=409, code="conflict")
        locked.status = Mutasi.Status.DIBATALKAN
        locked.save(update_fields=["status"])
        Pegawai.objects.filter(pk=locked.pegawai_id or 0).update(
            status=Pegawai.Status.AKTIF, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="pegawai.mutasi_batal",
            target=locked,
            before={"status": Mutasi.Status.DILEPAS},
            after={"status": locked.status},
        )
    return locked


def pegawai_mutasi_terima(
    *,
    actor: User,
    nip: str,
    unit: Unit,
    sk_nomor: str,
    sk_tanggal: datetime.date,
    tmt: datetime.date,
    jabatan: Jabatan | None = None,
) -> Pegawai:
    """Receive an employee released to this regency, with their history, by NIP."""
    access.access_admin_pemda(user=actor)
    _sk_check(sk_nomor=sk_nomor, sk_tanggal=sk_tanggal, tmt=tmt)
    nip = normalise_number(nip)
    if jabatan is not None and jabatan.unit_id != unit.pk:
        raise ApplicationError(
            _("Jabatan ini tidak berada di unit yang dipilih."),
            fields={"jabatan": [_("Jabatan ini tidak berada di unit yang dipilih.")]},
        )
    penerima = tenant_current()
    not_released = ApplicationError(
        _("Tidak ada pelepasan mutasi untuk NIP ini ke daerah Anda."),
        fields={"nip": [_("NIP ini belum dilepas ke daerah Anda oleh daerah asalnya.")]},
        status=404,
        code="not_found",
    )
    asal = nip_holder(nip=nip)
    if asal is None or asal.pk == penerima.pk:
        raise not_released
    with transaction.atomic():
        with schema_context(asal.schema_name):
            keluar = (
                Mutasi.objects.select_for_update()
                .filter(
                    arah=Mutasi.Arah.KELUAR, nip=nip, status=Mutasi.Status.DILEPAS, daerah_kode=penerima.kode
                )
                .first()
            )
            if keluar is None:
                raise not_released
            data = keluar.snapshot
            keluar.status = Mutasi.Status.SELESAI
            keluar.selesai_at = timezone.now()
            keluar.save(update_fields=["status", "selesai_at"])
            audit_record(
                actor=None,
                action="pegawai.mutasi_selesai",
                target=keluar,
                before={"status": Mutasi.Status.DILEPAS},
                after={"status": keluar.status, "penerima": penerima.name},
                reason=_("Diterima oleh %(nama)s, %(daerah)s")
                % {"nama": actor.nama, "daerah": penerima.name},
            )
        nip_transfer(nip=nip, dari=asal, ke=penerima)
        profil = _dates(data["profil"])
        pegawai = Pegawai.objects.select_for_update().filter(nip=nip).first()
        before = snapshot(pegawai, ["status", "unit", "jabatan"]) if pegawai else None
        if pegawai is None:
            pegawai = Pegawai(**profil, unit=unit, jabatan=jabatan, status=Pegawai.Status.AKTIF)
        else:
            # Coming back to a regency they once left: the old record comes alive again.
            for key, value in profil.items():
                setattr(pegawai, key, value)
            pegawai.unit, pegawai.jabatan, pegawai.status = unit, jabatan, Pegawai.Status.AKTIF
        pegawai.save()
        known_pangkat = set(pegawai.riwayat_pangkat.values_list("tmt", flat=True))
        RiwayatPangkat.objects.bulk_create(
            RiwayatPangkat(pegawai=pegawai, **_dates(r))
            for r in data["riwayat_pangkat"]
            if datetime.date.fromisoformat(r["tmt"]) not in known_pangkat
        )
        known_gaji = set(pegawai.riwayat_gaji.values_list("tmt", "jenis"))
        RiwayatGaji.objects.bulk_create(
            RiwayatGaji(pegawai=pegawai, **_dates(r))
            for r in data["riwayat_gaji"]
            if (datetime.date.fromisoformat(r["tmt"]), r["jenis"]) not in known_gaji
        )
        known_jabatan = set(pegawai.riwayat_jabatan.values_list("tmt", "sk_nomor"))
        RiwayatJabatan.objects.bulk_create(
            RiwayatJabatan(pegawai=pegawai, jabatan=None, **_dates(r))
            for r in data["riwayat_jabatan"]
            if (datetime.date.fromisoformat(r["tmt"]), r["sk_nomor"]) not in known_jabatan
        )
        RiwayatJabatan.objects.create(
            pegawai=pegawai,
            jabatan=jabatan,
            nama_jabatan=jabatan.nama if jabatan else _("(belum ditetapkan)"),
            nama_unit=unit.nama,
            tmt=tmt,
            sk_nomor=sk_nomor.strip(),
            sk_tanggal=sk_tanggal,
        )
        Mutasi.objects.create(
            arah=Mutasi.Arah.MASUK,
            nip=nip,
            pegawai=pegawai,
            daerah_kode=asal.kode or "",
            daerah_nama=asal.name,
            status=Mutasi.Status.SELESAI,
            sk_nomor=sk_nomor.strip(),
            sk_tanggal=sk_tanggal,
            tmt=tmt,
            snapshot=data,
            selesai_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="pegawai.mutasi_terima",
            target=pegawai,
            before=before,
            after={
                **snapshot(pegawai, ["status", "unit", "jabatan"]),
                "asal": asal.name,
                "sk_nomor": sk_nomor,
            },
        )
    return pegawai
