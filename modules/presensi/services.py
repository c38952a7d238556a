"""Writes on presensi: locations, schedules, calendar, check-ins, reviews, corrections and the
daily status. Every function is keyword-only and atomic; changes are audited."""

import datetime
import enum
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.audit.services import audit_record
from eoffice.core.errors import ApplicationError, clean_or_refuse
from modules.kepegawaian.access import access_admin_pemda, access_unit_ubah
from modules.kepegawaian.models import Pegawai, Unit
from modules.presensi import rules
from modules.presensi.config import presensi_config
from modules.presensi.models import (
    HariLibur,
    JadwalHari,
    JadwalKerja,
    KoreksiPresensi,
    LokasiKantor,
    PenutupanHari,
    Presensi,
    ShiftPegawai,
    StatusHarian,
)
from modules.presensi.selectors import (
    JadwalHariIni,
    checkin_konteks,
    hari_kerja_belum_ditutup,
    hari_libur_map,
    jadwal_for,
    jadwal_from_shift,
    jadwal_unit_for,
    lokasi_for,
    pegawai_for_user,
    presensi_cache_clear,
    tenant_zone,
)
from tenants.selectors import tenant_current

# ---------------------------------------------------------------------------------------------
# Excuses from other modules. Cuti registers a provider here (in its AppConfig.ready), so the
# dependency runs one way: cuti knows presensi, presensi never imports cuti.
PengecualianProvider = Callable[..., dict[tuple[int, datetime.date], rules.Pengecualian]]
_providers: list[PengecualianProvider] = []


def pengecualian_provider_register(provider: PengecualianProvider) -> None:
    """`provider(pegawai_ids=, mulai=, sampai=)` returns {(pegawai_id, tanggal): Pengecualian}."""
    if provider not in _providers:
        _providers.append(provider)


LAMPIRAN_MAKS_MB = 5
LAMPIRAN_JENIS = ("pdf", "jpg", "jpeg", "png")


def lampiran_check(upload: File) -> None:
    """An attachment (surat tugas, surat dokter…): PDF or image, at most 5 MB."""
    name = str(getattr(upload, "name", "") or "")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in LAMPIRAN_JENIS:
        raise ApplicationError(
            _("Lampiran harus berupa PDF, JPG atau PNG."),
            fields={"lampiran": [_("Jenis berkas tidak didukung.")]},
        )
    if (upload.size or 0) > LAMPIRAN_MAKS_MB * 1024 * 1024:
        raise ApplicationError(
            _("Lampiran paling besar %(mb)s MB.") % {"mb": LAMPIRAN_MAKS_MB},
            fields={"lampiran": [_("Berkas terlalu besar.")]},
        )


def _snapshot(instance: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: str(getattr(instance, name)) for name in names}


# --------------------------------------------------------------------------- locations -------
_LOKASI_FIELDS = ("nama", "unit_id", "latitude", "longitude", "radius_m", "alamat", "aktif")


@transaction.atomic
def lokasi_create(
    *,
    actor: Any,
    nama: str,
    latitude: Decimal,
    longitude: Decimal,
    radius_m: int,
    unit: Unit | None = None,
    alamat: str = "",
) -> LokasiKantor:
    """An office location with its geofence (centre and radius in metres)."""
    lokasi = LokasiKantor(
        nama=nama, unit=unit, latitude=latitude, longitude=longitude, radius_m=radius_m, alamat=alamat
    )
    clean_or_refuse(lokasi)
    lokasi.save()
    presensi_cache_clear()
    audit_record(
        actor=actor, action="presensi.lokasi_create", target=lokasi, after=_snapshot(lokasi, _LOKASI_FIELDS)
    )
    return lokasi


@transaction.atomic
def lokasi_update(*, actor: Any, lokasi: LokasiKantor, **changes: Any) -> LokasiKantor:
    lokasi = LokasiKantor.objects.select_for_update().get(pk=lokasi.pk)
    before = _snapshot(lokasi, _LOKASI_FIELDS)
    allowed = {"nama", "unit", "latitude", "longitude", "radius_m", "alamat", "aktif"}
    for name, value in changes.items():
        if name not in allowed:
            raise ApplicationError(_("Kolom %(name)s tidak dapat diubah.") % {"name": name})
        setattr(lokasi, name, value)
    clean_or_refuse(lokasi)
    lokasi.save(update_fields=[*(n for n in changes), "updated_at"])
    presensi_cache_clear()
    audit_record(
        actor=actor,
        action="presensi.lokasi_update",
        target=lokasi,
        before=before,
        after=_snapshot(lokasi, _LOKASI_FIELDS),
    )
    return lokasi


# --------------------------------------------------------------------------- schedules -------
@dataclass(frozen=True)
class HariKerja:
    hari: int
    jam_masuk: datetime.time
    jam_pulang: datetime.time
    shift: str = ""


# Perpres 21/2023: 37.5 h a week over five days from 07:30; breaks 60 min Mon–Thu, 90 min Fri.
PERPRES_21_2023_NORMAL = tuple(
    HariKerja(hari, datetime.time(7, 30), datetime.time(16, 30) if hari == 4 else datetime.time(16, 0))
    for hari in range(5)
)
# Ramadan: 32.5 h starting 08:00 (Mon–Thu 08:00–15:00 with 30 min break, Fri 08:00–15:30 with 60).
PERPRES_21_2023_RAMADAN = tuple(
    HariKerja(hari, datetime.time(8, 0), datetime.time(15, 30) if hari == 4 else datetime.time(15, 0))
    for hari in range(5)
)


@transaction.atomic
def jadwal_create(
    *,
    actor: Any,
    nama: str,
    hari: Iterable[HariKerja],
    unit: Unit | None = None,
    jenis: str = JadwalKerja.Jenis.LIMA_HARI,
    musim: str = JadwalKerja.Musim.NORMAL,
    berlaku_mulai: datetime.date | None = None,
    berlaku_sampai: datetime.date | None = None,
) -> JadwalKerja:
    """A weekly schedule with its working days (weekday 0 = Monday)."""
    presensi_cache_clear()
    jadwal = JadwalKerja(
        nama=nama,
        unit=unit,
        jenis=jenis,
        musim=musim,
        berlaku_mulai=berlaku_mulai,
        berlaku_sampai=berlaku_sampai,
    )
    clean_or_refuse(jadwal)
    days = list(hari)
    _jadwal_hari_check(jadwal=jadwal, days=days)
    jadwal.save()
    for day in days:
        row = JadwalHari(
            jadwal=jadwal, hari=day.hari, shift=day.shift, jam_masuk=day.jam_masuk, jam_pulang=day.jam_pulang
        )
        clean_or_refuse(row)
        row.save()
    audit_record(
        actor=actor,
        action="presensi.jadwal_create",
        target=jadwal,
        after={
            "nama": nama,
            "unit_id": jadwal.unit_id,
            "jenis": jenis,
            "musim": musim,
            "hari": [str(d) for d in days],
        },
    )
    return jadwal


class Tetap(enum.Enum):
    """`TETAP` (unchanged) for a jadwal_update argument the caller leaves as it is; None is a
    real value there (no end date)."""

    TETAP = "tetap"


TETAP = Tetap.TETAP


def _jadwal_access(*, actor: Any, unit: Unit | None) -> None:
    """A unit's schedule is changed by admins of that unit; the regency-wide one (no unit) by
    the regency admin only. `actor=None` is the platform itself (seeding, migrations)."""
    if actor is None:
        return
    if unit is None:
        access_admin_pemda(user=actor)
    else:
        access_unit_ubah(user=actor, unit=unit)


def _jadwal_hari_check(*, jadwal: JadwalKerja, days: list[HariKerja]) -> None:
    if not days:
        raise ApplicationError(
            _("Jadwal harus punya paling sedikit satu hari kerja."), fields={"hari": [_("Wajib diisi.")]}
        )
    expected = {JadwalKerja.Jenis.LIMA_HARI: 5, JadwalKerja.Jenis.ENAM_HARI: 6}.get(jadwal.jenis)  # type: ignore[call-overload]
    if expected is not None and len({d.hari for d in days}) != expected:
        raise ApplicationError(
            _("Jadwal %(jenis)s harus berisi tepat %(n)s hari kerja.")
            % {"jenis": jadwal.get_jenis_display(), "n": expected},
            fields={"hari": [_("Jumlah hari tidak sesuai jenis jadwal.")]},
        )
    if len({(d.hari, d.shift) for d in days}) != len(days):
        raise ApplicationError(
            _("Setiap hari (dan shift) hanya boleh muncul sekali dalam jadwal."),
            fields={"hari": [_("Ada hari yang ganda.")]},
        )
    if jadwal.jenis == JadwalKerja.Jenis.SHIFT:
        return
    for day in days:
        if day.jam_pulang <= day.jam_masuk:
            raise ApplicationError(
                _("Jam pulang harus sesudah jam masuk (hari ke-%(hari)s).") % {"hari": day.hari},
                fields={f"pulang_{day.hari}": [_("Harus sesudah jam masuk.")]},
            )


def _jadwal_state(jadwal: JadwalKerja) -> dict[str, Any]:
    return {
        **_snapshot(
            jadwal, ("nama", "unit_id", "jenis", "musim", "berlaku_mulai", "berlaku_sampai", "aktif")
        ),
        "hari": [str(h) for h in JadwalHari.objects.filter(jadwal=jadwal).order_by("hari", "jam_masuk")],
    }


@transaction.atomic
def jadwal_update(
    *,
    actor: Any,
    jadwal: JadwalKerja,
    nama: str | Tetap = TETAP,
    aktif: bool | Tetap = TETAP,
    berlaku_mulai: datetime.date | None | Tetap = TETAP,
    berlaku_sampai: datetime.date | None | Tetap = TETAP,
    hari: Iterable[HariKerja] | Tetap = TETAP,
) -> JadwalKerja:
    """Change a schedule's name, working hours (`hari` replaces every working day), dates or
    active flag; its unit, kind and season stay (a different one is a new schedule). Turning a
    schedule off (`aktif=False`) makes the next one in line (the parent unit's, then the
    regency's) apply. Days already judged keep their status until recomputed."""
    jadwal = JadwalKerja.objects.select_for_update(of=("self",)).select_related("unit").get(pk=jadwal.pk)
    _jadwal_access(actor=actor, unit=jadwal.unit)
    before = _jadwal_state(jadwal)
    changed: list[str] = []
    for name, value in (
        ("nama", nama),
        ("aktif", aktif),
        ("berlaku_mulai", berlaku_mulai),
        ("berlaku_sampai", berlaku_sampai),
    ):
        if value is not TETAP and getattr(jadwal, name) != value:
            setattr(jadwal, name, value)
            changed.append(name)
    clean_or_refuse(jadwal)
    days = None if isinstance(hari, Tetap) else list(hari)
    if days is not None:
        _jadwal_hari_check(jadwal=jadwal, days=days)
    if changed:
        jadwal.save(update_fields=[*changed, "updated_at"])
    if days is not None:
        JadwalHari.objects.filter(jadwal=jadwal).delete()
        rows = [
            JadwalHari(
                jadwal=jadwal, hari=d.hari, shift=d.shift, jam_masuk=d.jam_masuk, jam_pulang=d.jam_pulang
            )
            for d in days
        ]
        for row in rows:
            clean_or_refuse(row)
        JadwalHari.objects.bulk_create(rows)
    # The check-in path keeps schedules per process: this process sees the change now, the
    # others within PRESENSI_CACHE_SECONDS.
    presensi_cache_clear()
    after = _jadwal_state(jadwal)
    if after != before:
        audit_record(actor=actor, action="presensi.jadwal_update", target=jadwal, before=before, after=after)
    return jadwal


def jadwal_default_ensure(
    *, actor: Any, ramadan: tuple[datetime.date, datetime.date] | None = None
) -> JadwalKerja:
    """The regency-wide Perpres 21/2023 schedule (and its Ramadan season when dates are given)."""
    existing = JadwalKerja.objects.filter(
        unit__isnull=True, musim=JadwalKerja.Musim.NORMAL, aktif=True
    ).first()
    jadwal = existing or jadwal_create(
        actor=actor, nama=_("Jadwal nasional (Perpres 21/2023)"), hari=PERPRES_21_2023_NORMAL
    )
    if (
        ramadan is not None
        and not JadwalKerja.objects.filter(
            unit__isnull=True, musim=JadwalKerja.Musim.RAMADAN, berlaku_mulai=ramadan[0]
        ).exists()
    ):
        jadwal_create(
            actor=actor,
            nama=_("Jadwal Ramadan %(tahun)s (Perpres 21/2023)") % {"tahun": ramadan[0].year},
            hari=PERPRES_21_2023_RAMADAN,
            musim=JadwalKerja.Musim.RAMADAN,
            berlaku_mulai=ramadan[0],
            berlaku_sampai=ramadan[1],
        )
    return jadwal


@transaction.atomic
def hari_libur_create(*, actor: Any, tanggal: datetime.date, nama: str, jenis: str) -> HariLibur:
    """A regency calendar entry: cuti bersama, regional holiday, or `masuk` to cancel a holiday."""
    row = HariLibur(tanggal=tanggal, nama=nama, jenis=jenis)
    clean_or_refuse(row)
    row.save()
    presensi_cache_clear()
    audit_record(
        actor=actor,
        action="presensi.hari_libur_create",
        target=row,
        after={"tanggal": str(tanggal), "jenis": jenis},
    )
    return row


@transaction.atomic
def shift_assign(
    *,
    actor: Any,
    pegawai: Pegawai,
    tanggal: datetime.date,
    nama_shift: str,
    jam_masuk: datetime.time,
    jam_pulang: datetime.time,
) -> ShiftPegawai:
    """Assign (or change) an employee's shift on a date; it wins over the unit schedule and
    holidays. A shift may end after midnight (jam_pulang earlier than jam_masuk)."""
    if jam_masuk == jam_pulang:
        raise ApplicationError(
            _("Jam masuk dan jam pulang shift tidak boleh sama."),
            fields={"jam_pulang": [_("Sama dengan jam masuk.")]},
        )
    row = ShiftPegawai.objects.select_for_update().filter(pegawai=pegawai, tanggal=tanggal).first()
    before = _snapshot(row, ("nama_shift", "jam_masuk", "jam_pulang")) if row else None
    row = row or ShiftPegawai(pegawai=pegawai, tanggal=tanggal)
    row.nama_shift, row.jam_masuk, row.jam_pulang = nama_shift, jam_masuk, jam_pulang
    clean_or_refuse(row)
    row.save()
    audit_record(
        actor=actor,
        action="presensi.shift_assign",
        target=row,
        before=before,
        after=_snapshot(row, ("nama_shift", "jam_masuk", "jam_pulang")),
    )
    return row


# --------------------------------------------------------------------------- check-in --------
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def _refuse(message: str, *, code: str, status: int = 422, field: str | None = None) -> ApplicationError:
    return ApplicationError(message, code=code, status=status, fields={field: [message]} if field else None)


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, moment.tzinfo).strftime("%H:%M")


def presensi_catat(
    *,
    user: Any,
    client_uuid: uuid.UUID,
    jenis: str,
    latitude: Decimal,
    longitude: Decimal,
    akurasi_m: float,
    waktu_perangkat: datetime.datetime,
    dikirim_perangkat: datetime.datetime | None = None,
    alasan: str = "",
    keterangan: str = "",
    swafoto: File | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Presensi, bool]:
    """Record a check-in or check-out from the phone; returns (row, created).

    Idempotent by `client_uuid`: a replay of an acknowledged check-in returns the stored row and
    writes nothing. `waktu_perangkat` is when the employee tapped (device clock), and
    `dikirim_perangkat` the device clock when the request was sent: their difference from the
    server clock is the device's offset, so an offline check-in keeps its real time without
    trusting a wrong clock. Refusals raise ApplicationError with the reason; doubtful check-ins
    are stored as "perlu tinjauan" with their flags.
    """
    # Not one transaction: everything before the INSERT only reads, and the INSERT alone is
    # atomic; the morning surge is cheaper without BEGIN/SAVEPOINT round trips.
    tenant = tenant_current()
    cfg = presensi_config(tenant)
    zone = tenant_zone()
    server_now = now or timezone.now()

    tanda: list[str] = []
    # The device's clock offset, measured when the request was sent.
    offset = (
        (dikirim_perangkat - server_now) if dikirim_perangkat is not None else (waktu_perangkat - server_now)
    )
    if abs(offset) > datetime.timedelta(minutes=cfg.selisih_jam_maks_menit):
        tanda.append(Presensi.Tanda.JAM_PERANGKAT)
    waktu = min(waktu_perangkat - offset if dikirim_perangkat is not None else waktu_perangkat, server_now)
    if dikirim_perangkat is None and waktu_perangkat > server_now:
        waktu = server_now
    tanggal = timezone.localtime(waktu, zone).date()

    # One read gives the employee, the replay (same UUID), their check-ins since two days
    # before (an earlier check-in that day, the previous position) and their shifts of that day
    # and the day before (a night shift's check-out).
    kemarin = tanggal - datetime.timedelta(days=1)
    konteks = checkin_konteks(
        user_id=user.pk,
        client_uuid=client_uuid,
        sejak=kemarin - datetime.timedelta(days=1),
        tanggal=[tanggal, kemarin],
    )
    if konteks is None:
        raise _refuse(
            _("Akun Anda belum terhubung dengan data pegawai. Hubungi admin kepegawaian."),
            code="bukan_pegawai",
            status=403,
        )
    if konteks.replay_id is not None:
        return Presensi.objects.select_related("lokasi").get(pk=konteks.replay_id), False
    pegawai, recent = konteks.pegawai, konteks.terkini
    if pegawai.status != Pegawai.Status.AKTIF:
        raise _refuse(
            _("Status kepegawaian Anda '%(status)s': presensi hanya untuk pegawai aktif.")
            % {"status": pegawai.get_status_display()},
            code="pegawai_tidak_aktif",
            status=403,
        )
    if jenis not in Presensi.Jenis.values:
        raise _refuse(
            _("Jenis presensi harus 'masuk' atau 'pulang'."), code="invalid", status=400, field="jenis"
        )
    if alasan not in Presensi.Alasan.values:
        raise _refuse(
            _("Alasan di luar kantor harus 'dl' atau 'wfh'."), code="invalid", status=400, field="alasan"
        )
    umur = server_now - waktu
    if umur > datetime.timedelta(hours=cfg.luring_maks_jam):
        raise _refuse(
            _(
                "Presensi luring ini diambil lebih dari %(jam)s jam lalu dan tidak dapat diterima lagi. Ajukan koreksi."
            )
            % {"jam": cfg.luring_maks_jam},
            code="terlalu_lama",
        )
    if umur > datetime.timedelta(minutes=cfg.tertunda_menit):
        tanda.append(Presensi.Tanda.TERTUNDA)

    # Which working day and whether the time falls in its window (in the regency's zone).
    jadwal = _jadwal_dengan_jendela(
        pegawai=pegawai, tanggal=tanggal, jenis=jenis, waktu=waktu, cfg=cfg, zone=zone, shift=konteks.shift
    )

    if jenis == Presensi.Jenis.MASUK:
        earlier = next(
            (
                r
                for r in recent
                if r.tanggal == jadwal[0]
                and r.jenis == Presensi.Jenis.MASUK
                and r.status != Presensi.Status.DITOLAK
            ),
            None,
        )
        if earlier is not None:
            raise _refuse(
                _("Anda sudah presensi masuk hari ini pukul %(jam)s.")
                % {"jam": _fmt(timezone.localtime(earlier.waktu, zone))},
                code="sudah_masuk",
                status=409,
            )
    tanggal = jadwal[0]

    # Geofence, crediting the reported accuracy up to the cap.
    lat, lon = float(latitude), float(longitude)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _refuse(_("Koordinat tidak valid."), code="invalid", status=400, field="latitude")
    if akurasi_m < 0:
        raise _refuse(_("Akurasi tidak boleh negatif."), code="invalid", status=400, field="akurasi_m")
    if akurasi_m > cfg.akurasi_maks_m:
        tanda.append(Presensi.Tanda.AKURASI_BURUK)
    candidates = []
    for lokasi in lokasi_for(pegawai=pegawai, cached=True):
        d = rules.distance_m(lat, lon, float(lokasi.latitude), float(lokasi.longitude))
        inside = rules.inside_geofence(
            distance=d, radius_m=lokasi.radius_m, accuracy_m=akurasi_m, accuracy_cap_m=cfg.akurasi_maks_m
        )
        candidates.append((not inside, d, lokasi.pk, lokasi))
    best = min(candidates, default=None)
    terdekat = best[3] if best else None
    jarak = best[1] if best else None
    di_dalam = bool(best and not best[0])
    if not di_dalam:
        if alasan and alasan in cfg.alasan_luar_kantor:
            tanda.append(Presensi.Tanda.LUAR_GEOFENCE)
        elif terdekat is None:
            raise _refuse(
                _("Belum ada lokasi kantor untuk unit Anda. Hubungi admin presensi."), code="tanpa_lokasi"
            )
        else:
            raise _refuse(
                _(
                    "Anda berada %(jarak)s m dari %(lokasi)s (radius %(radius)s m, akurasi %(akurasi)s m). Dekati kantor lalu coba lagi."
                )
                % {
                    "jarak": round(jarak or 0),
                    "lokasi": terdekat.nama,
                    "radius": terdekat.radius_m,
                    "akurasi": round(akurasi_m),
                },
                code="di_luar_geofence",
            )

    # Impossible travel since the previous check-in.
    previous = max((r for r in recent if r.waktu < waktu), key=lambda r: r.waktu, default=None)
    if previous is not None:
        meters = rules.distance_m(lat, lon, float(previous.latitude), float(previous.longitude))
        hours = max((waktu - previous.waktu).total_seconds(), 60) / 3600
        if meters > 1000 and meters / 1000 / hours > cfg.kecepatan_maks_kmh:
            tanda.append(Presensi.Tanda.PERJALANAN_MUSTAHIL)

    if swafoto is None and cfg.wajib_swafoto:
        raise _refuse(_("Swafoto wajib dilampirkan."), code="swafoto_wajib", status=400, field="swafoto")
    if swafoto is not None:
        _check_image(swafoto, max_kb=cfg.swafoto_maks_kb)

    perlu_tinjauan = Presensi.Tanda.LUAR_GEOFENCE in tanda or any(
        t in cfg.tanda_perlu_tinjauan for t in tanda
    )
    row = Presensi(
        client_uuid=client_uuid,
        pegawai=pegawai,
        jenis=jenis,
        tanggal=tanggal,
        waktu=waktu,
        waktu_perangkat=waktu_perangkat,
        waktu_server=server_now,
        latitude=Decimal(str(round(lat, 6))),
        longitude=Decimal(str(round(lon, 6))),
        akurasi_m=round(akurasi_m),
        lokasi=terdekat,
        jarak_m=round(jarak) if jarak is not None else None,
        alasan=alasan,
        keterangan=keterangan[:255],
        status=Presensi.Status.PERLU_TINJAUAN if perlu_tinjauan else Presensi.Status.DITERIMA,
        tanda=[str(t) for t in tanda],
    )
    stored_name = ""
    if swafoto is not None:
        row.swafoto.save(f"{client_uuid}.jpg", swafoto, save=False)
        stored_name = row.swafoto.name or ""
    if not _presensi_insert(row):
        # Another delivery of the same check-in was stored first; keep it and drop our file.
        if stored_name:
            default_storage.delete(stored_name)
        return _replay(
            Presensi.objects.select_related("lokasi", "pegawai").get(client_uuid=client_uuid), user=user
        )
    return row, True


@functools.cache
def _presensi_insert_sql() -> tuple[str, tuple[Any, ...]]:
    qn = connection.ops.quote_name
    fields = tuple(f for f in Presensi._meta.concrete_fields if not f.primary_key)
    meta = Presensi._meta
    columns = ", ".join(qn(cast(str, f.column)) for f in fields)
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({qn(cast(str, meta.get_field('client_uuid').column))}) DO NOTHING "
        f"RETURNING {qn(cast(str, meta.pk.column))}"
    )
    return sql, fields


def _presensi_insert(row: Presensi) -> bool:
    """INSERT the check-in unless its client UUID is already stored (then False). One statement
    that never raises on a duplicate, so it needs no savepoint even inside a transaction; written
    by hand because building Django's INSERT cost the surge more CPU than running it."""
    sql, fields = _presensi_insert_sql()
    values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding = False
    return True


def _replay(existing: Presensi, *, user: Any) -> tuple[Presensi, bool]:
    if existing.pegawai.user_id != getattr(user, "pk", None):
        raise _refuse(
            _("UUID klien ini sudah dipakai oleh presensi lain."),
            code="uuid_bentrok",
            status=409,
            field="client_uuid",
        )
    return existing, False


def _jadwal_dengan_jendela(
    *,
    pegawai: Pegawai,
    tanggal: datetime.date,
    jenis: str,
    waktu: datetime.datetime,
    cfg: Any,
    zone: Any,
    shift: dict[datetime.date, ShiftPegawai],
) -> tuple[datetime.date, rules.Jendela]:
    """The working day the check-in counts for. A check-out after midnight may close the
    previous day's shift, so for `pulang` yesterday is tried too."""
    days = [tanggal] if jenis == Presensi.Jenis.MASUK else [tanggal, tanggal - datetime.timedelta(days=1)]
    first: rules.Jendela | None = None
    window: tuple[datetime.datetime, datetime.datetime] | None = None
    for day in days:
        hari_ini = jadwal_for(pegawai=pegawai, tanggal=day, zone=zone, cached=True, shift_dibaca=shift)
        if hari_ini is None:
            continue
        j = hari_ini.jendela
        first = first or j
        if jenis == Presensi.Jenis.MASUK:
            opens, closes = j.masuk - datetime.timedelta(minutes=cfg.buka_sebelum_masuk_menit), j.pulang
        else:
            opens, closes = j.masuk, j.pulang + datetime.timedelta(minutes=cfg.tutup_setelah_pulang_menit)
        if opens <= waktu <= closes:
            return day, j
        window = window or (opens, closes)
    if first is None:
        libur = hari_libur_map(mulai=tanggal, sampai=tanggal).get(tanggal)
        message = (
            _("Hari ini libur (%(nama)s); tidak ada jadwal presensi.") % {"nama": libur}
            if libur
            else _("Hari ini bukan hari kerja Anda menurut jadwal.")
        )
        raise _refuse(message, code="bukan_hari_kerja")
    assert window is not None
    opens, closes = window
    raise _refuse(
        _("Presensi %(jenis)s hanya dapat dilakukan pukul %(buka)s–%(tutup)s %(zona)s.")
        % {
            "jenis": jenis,
            "buka": _fmt(opens),
            "tutup": _fmt(closes),
            "zona": timezone.localtime(waktu, zone).strftime("%Z"),
        },
        code="di_luar_jadwal",
    )


def _check_image(upload: File, *, max_kb: int) -> None:
    size = upload.size or 0
    if size > max_kb * 1024:
        raise _refuse(
            _("Swafoto terlalu besar (%(kb)s KB); batasnya %(max)s KB.")
            % {"kb": size // 1024, "max": max_kb},
            code="swafoto_terlalu_besar",
            status=400,
            field="swafoto",
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if not any(head.startswith(m) for m in _IMAGE_MAGIC) or (
        head.startswith(b"RIFF") and head[8:12] != b"WEBP"
    ):
        raise _refuse(
            _("Swafoto harus berupa gambar JPEG, PNG atau WebP."),
            code="swafoto_bukan_gambar",
            status=400,
            field="swafoto",
        )


@transaction.atomic
def presensi_tinjau(*, actor: Any, presensi: Presensi, diterima: bool, catatan: str = "") -> Presensi:
    """An admin's or superior's decision on a check-in flagged for review; recomputes the day."""
    row = Presensi.objects.select_for_update().get(pk=presensi.pk)
    if row.status != Presensi.Status.PERLU_TINJAUAN:
        raise ApplicationError(
            _("Presensi ini tidak sedang menunggu tinjauan."), code="bukan_perlu_tinjauan", status=409
        )
    before = {"status": row.status}
    row.status = Presensi.Status.DITERIMA if diterima else Presensi.Status.DITOLAK
    row.ditinjau_oleh = actor
    row.ditinjau_pada = timezone.now()
    row.save(update_fields=["status", "ditinjau_oleh", "ditinjau_pada"])
    audit_record(
        actor=actor,
        action="presensi.tinjau",
        target=row,
        before=before,
        after={"status": row.status},
        reason=catatan,
    )
    status_harian_hitung(pegawai=row.pegawai, tanggal=row.tanggal)
    return row


# --------------------------------------------------------------------------- corrections -----
_KOREKSI_STATUS: dict[str, str] = {
    KoreksiPresensi.Jenis.DL: StatusHarian.Status.DL,
    KoreksiPresensi.Jenis.WFH: StatusHarian.Status.WFH,
    KoreksiPresensi.Jenis.DIKLAT: StatusHarian.Status.DIKLAT,
    KoreksiPresensi.Jenis.IZIN: StatusHarian.Status.IZIN,
    KoreksiPresensi.Jenis.SAKIT: StatusHarian.Status.SAKIT,
}


@transaction.atomic
def koreksi_ajukan(
    *,
    user: Any,
    tanggal: datetime.date,
    jenis: str,
    alasan: str,
    jam: datetime.time | None = None,
    nomor_dokumen: str = "",
    lampiran: File | None = None,
) -> KoreksiPresensi:
    """An employee asks to correct a day; their superior (kepegawaian.atasan_for) decides."""
    from modules.kepegawaian.selectors import atasan_for

    pegawai = pegawai_for_user(user=user)
    if pegawai is None:
        raise ApplicationError(
            _("Akun Anda belum terhubung dengan data pegawai."), code="bukan_pegawai", status=403
        )
    today = timezone.localdate(timezone=tenant_zone())
    if tanggal > today and jenis in (KoreksiPresensi.Jenis.LUPA_MASUK, KoreksiPresensi.Jenis.LUPA_PULANG):
        raise ApplicationError(
            _("Koreksi lupa presensi hanya untuk hari ini atau hari yang sudah lewat."),
            fields={"tanggal": [_("Tanggal di masa depan.")]},
        )
    if not alasan.strip():
        raise ApplicationError(_("Alasan koreksi wajib diisi."), fields={"alasan": [_("Wajib diisi.")]})
    if jenis in (KoreksiPresensi.Jenis.LUPA_MASUK, KoreksiPresensi.Jenis.LUPA_PULANG) and jam is None:
        raise ApplicationError(
            _("Koreksi lupa presensi harus menyebut jamnya."),
            fields={"jam": [_("Isi jam masuk atau pulang Anda.")]},
        )
    koreksi = KoreksiPresensi(
        pegawai=pegawai,
        tanggal=tanggal,
        jenis=jenis,
        jam=jam,
        alasan=alasan.strip(),
        nomor_dokumen=nomor_dokumen,
        penyetuju=atasan_for(pegawai=pegawai),
    )
    clean_or_refuse(koreksi)
    if koreksi.penyetuju is None:
        raise ApplicationError(
            _("Atasan Anda belum tercatat di data kepegawaian, jadi koreksi belum dapat diajukan."),
            code="tanpa_atasan",
        )
    if lampiran is not None:
        lampiran_check(lampiran)
        koreksi.lampiran.save(getattr(lampiran, "name", "lampiran") or "lampiran", lampiran, save=False)
    koreksi.save()
    audit_record(
        actor=user,
        action="presensi.koreksi_ajukan",
        target=koreksi,
        after={"tanggal": str(tanggal), "jenis": jenis},
    )
    return koreksi


@transaction.atomic
def koreksi_putus(*, user: Any, koreksi: KoreksiPresensi, setuju: bool, catatan: str = "") -> KoreksiPresensi:
    """The superior approves or rejects a correction; an approval recomputes the day's status."""
    row = KoreksiPresensi.objects.select_for_update(of=("self",)).select_related("pegawai").get(pk=koreksi.pk)
    approver = pegawai_for_user(user=user)
    if approver is None or row.penyetuju_id != approver.pk:
        raise ApplicationError(
            _("Hanya atasan langsung pegawai yang dapat memutus koreksi ini."),
            code="bukan_atasan",
            status=403,
        )
    if row.status != KoreksiPresensi.Status.DIAJUKAN:
        raise ApplicationError(
            _("Koreksi ini sudah %(status)s.") % {"status": row.get_status_display().lower()},
            code="sudah_diputus",
            status=409,
        )
    row.status = KoreksiPresensi.Status.DISETUJUI if setuju else KoreksiPresensi.Status.DITOLAK
    row.diputus_pada = timezone.now()
    row.catatan_putusan = catatan[:255]
    row.save(update_fields=["status", "diputus_pada", "catatan_putusan"])
    audit_record(
        actor=user,
        action="presensi.koreksi_putus",
        target=row,
        before={"status": "diajukan"},
        after={"status": row.status},
        reason=catatan,
    )
    status_harian_hitung(pegawai=row.pegawai, tanggal=row.tanggal)
    return row


# --------------------------------------------------------------------------- daily status ----
def _koreksi_map(pegawai_ids: list[int], mulai: datetime.date, sampai: datetime.date) -> dict:
    result: dict[tuple[int, datetime.date], list[KoreksiPresensi]] = {}
    for k in KoreksiPresensi.objects.filter(
        pegawai_id__in=pegawai_ids, tanggal__range=(mulai, sampai), status=KoreksiPresensi.Status.DISETUJUI
    ).order_by("created_at"):
        result.setdefault((k.pegawai_id, k.tanggal), []).append(k)
    return result


def _judge(
    *,
    pegawai: Pegawai,
    tanggal: datetime.date,
    zone: Any,
    libur: str | None,
    checks: list[Presensi],
    koreksi: list[KoreksiPresensi],
    cuti: rules.Pengecualian | None,
    hari_ini: JadwalHariIni | None | bool = False,
) -> rules.Putusan:
    # `hari_ini` False: look the schedule up here; None or a value: already known (bulk runs).
    if hari_ini is False:
        hari_ini = jadwal_for(pegawai=pegawai, tanggal=tanggal, zone=zone, libur=libur)
    assert hari_ini is None or isinstance(hari_ini, JadwalHariIni)
    jendela = hari_ini.jendela if hari_ini else None
    if hari_ini is not None:
        libur = None  # a shift on a holiday is a working day
    valid = [c for c in checks if c.status != Presensi.Status.DITOLAK]
    masuk_rows = [c for c in valid if c.jenis == Presensi.Jenis.MASUK]
    pulang_rows = [c for c in valid if c.jenis == Presensi.Jenis.PULANG]
    masuk = min((c.waktu for c in masuk_rows), default=None)
    pulang = max((c.waktu for c in pulang_rows), default=None)
    alasan = next((c.alasan for c in valid if c.alasan), "")
    pengecualian = cuti
    for k in koreksi:
        if k.jenis in _KOREKSI_STATUS and pengecualian is None:
            pengecualian = rules.Pengecualian(
                status=_KOREKSI_STATUS[k.jenis], dokumen=k.nomor_dokumen, keterangan=k.alasan[:255]
            )
        elif k.jenis == KoreksiPresensi.Jenis.LUPA_MASUK and k.jam and masuk is None:
            masuk = datetime.datetime.combine(tanggal, k.jam, tzinfo=zone)
        elif k.jenis == KoreksiPresensi.Jenis.LUPA_PULANG and k.jam and pulang is None:
            pulang = datetime.datetime.combine(tanggal, k.jam, tzinfo=zone)
            if jendela is not None and pulang < jendela.masuk:
                pulang += datetime.timedelta(days=1)
    return rules.judge_day(
        jendela=jendela,
        libur=libur,
        masuk=masuk,
        pulang=pulang,
        pengecualian=pengecualian,
        alasan_luar=alasan,
    )


def _pengecualian_map(pegawai_ids: list[int], mulai: datetime.date, sampai: datetime.date) -> dict:
    result: dict[tuple[int, datetime.date], rules.Pengecualian] = {}
    for provider in _providers:
        result.update(provider(pegawai_ids=pegawai_ids, mulai=mulai, sampai=sampai))
    return result


_STATUS_FIELDS = (
    "status",
    "jenis_cuti",
    "terlambat_menit",
    "pulang_cepat_menit",
    "tl",
    "psw",
    "dokumen",
    "keterangan",
    "waktu_masuk",
    "waktu_pulang",
)


def _status_values(putusan: rules.Putusan) -> dict[str, Any]:
    return {
        "status": putusan.status,
        "jenis_cuti": putusan.jenis_cuti,
        "terlambat_menit": putusan.terlambat_menit,
        "pulang_cepat_menit": putusan.pulang_cepat_menit,
        "tl": putusan.tl,
        "psw": putusan.psw,
        "dokumen": putusan.dokumen[:200],
        "keterangan": putusan.keterangan[:255],
        "waktu_masuk": putusan.waktu_masuk,
        "waktu_pulang": putusan.waktu_pulang,
    }


def _status_row(pegawai_id: int, tanggal: datetime.date, putusan: rules.Putusan) -> StatusHarian:
    return StatusHarian(pegawai_id=pegawai_id, tanggal=tanggal, **_status_values(putusan))


def _store(pegawai_id: int, tanggal: datetime.date, putusan: rules.Putusan) -> StatusHarian:
    row, _created = StatusHarian.objects.update_or_create(
        pegawai_id=pegawai_id, tanggal=tanggal, defaults=_status_values(putusan)
    )
    return row


@transaction.atomic
def status_harian_hitung(*, pegawai: Pegawai, tanggal: datetime.date) -> StatusHarian:
    """Compute and store one employee's status for a date (idempotent; on demand)."""
    zone = tenant_zone()
    libur = hari_libur_map(mulai=tanggal, sampai=tanggal).get(tanggal)
    checks = list(Presensi.objects.filter(pegawai=pegawai, tanggal=tanggal))
    koreksi = _koreksi_map([pegawai.pk], tanggal, tanggal).get((pegawai.pk, tanggal), [])
    cuti = _pengecualian_map([pegawai.pk], tanggal, tanggal).get((pegawai.pk, tanggal))
    putusan = _judge(
        pegawai=pegawai, tanggal=tanggal, zone=zone, libur=libur, checks=checks, koreksi=koreksi, cuti=cuti
    )
    return _store(pegawai.pk, tanggal, putusan)


def status_harian_hitung_rentang(*, pegawai: Pegawai, mulai: datetime.date, sampai: datetime.date) -> int:
    """Recompute a range of days for one employee (after leave is approved or cancelled)."""
    day, count = mulai, 0
    while day <= sampai:
        status_harian_hitung(pegawai=pegawai, tanggal=day)
        day += datetime.timedelta(days=1)
        count += 1
    return count


@transaction.atomic
def status_harian_hitung_tanggal(*, tanggal: datetime.date, unit: Unit | None = None) -> int:
    """Compute every active employee's status for a date in this regency (the periodic job and
    the admin's "hitung ulang"). Check-ins, corrections and leave are read in bulk."""
    zone = tenant_zone()
    pegawai_qs = Pegawai.objects.filter(status=Pegawai.Status.AKTIF).select_related("unit")
    if unit is not None:
        pegawai_qs = pegawai_qs.filter(unit__path__startswith=unit.path)
    pegawai_list = list(pegawai_qs)
    ids = [p.pk for p in pegawai_list]
    libur = hari_libur_map(mulai=tanggal, sampai=tanggal).get(tanggal)
    checks: dict[int, list[Presensi]] = {}
    for c in Presensi.objects.filter(pegawai_id__in=ids, tanggal=tanggal):
        checks.setdefault(c.pegawai_id, []).append(c)
    koreksi = _koreksi_map(ids, tanggal, tanggal)
    cuti = _pengecualian_map(ids, tanggal, tanggal)
    shifts = {sh.pegawai_id: sh for sh in ShiftPegawai.objects.filter(pegawai_id__in=ids, tanggal=tanggal)}
    per_unit: dict[int, JadwalHariIni | None] = {}
    rows = []
    for pegawai in pegawai_list:
        shift = shifts.get(pegawai.pk)
        hari_ini: JadwalHariIni | None
        if shift is not None:
            hari_ini = jadwal_from_shift(shift=shift, zone=zone)
        else:
            if pegawai.unit_id not in per_unit:
                per_unit[pegawai.unit_id] = jadwal_unit_for(
                    unit=pegawai.unit, tanggal=tanggal, zone=zone, libur=libur or ""
                )
            hari_ini = per_unit[pegawai.unit_id]
        putusan = _judge(
            pegawai=pegawai,
            tanggal=tanggal,
            zone=zone,
            libur=libur,
            checks=checks.get(pegawai.pk, []),
            koreksi=koreksi.get((pegawai.pk, tanggal), []),
            cuti=cuti.get((pegawai.pk, tanggal)),
            hari_ini=hari_ini,
        )
        rows.append(_status_row(pegawai.pk, tanggal, putusan))
    # One upsert for the whole regency instead of two statements per employee.
    StatusHarian.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["pegawai", "tanggal"],
        update_fields=[*_STATUS_FIELDS, "computed_at"],
    )
    if unit is None:
        PenutupanHari.objects.update_or_create(
            tanggal=tanggal, defaults={"jumlah_pegawai": len(pegawai_list)}
        )
    return len(pegawai_list)


def status_harian_tutup_rentang(*, actor: Any, mulai: datetime.date, sampai: datetime.date) -> int:
    """Close every working day from `mulai` to `sampai` that presensi has not closed (no
    PenutupanHari row), computing each with `status_harian_hitung_tanggal`; admin pemda only.

    For a month the nightly job never closed (the job down, presensi not in use yet), which TPP
    refuses to compute. A working day is Monday to Friday (Perpres 21/2023) that is not a holiday
    or cuti bersama, as TPP checks it. Today and later are refused: the nightly job closes a day
    only after it ends and skips a day already closed, so closing today early would freeze
    statuses judged before the day's check-outs. Days already closed are left as they are, so
    calling it again closes nothing. One audit row lists the days closed; returns their number.
    """
    access_admin_pemda(user=actor)
    hari_ini = timezone.localdate(timezone=tenant_zone())
    if sampai < mulai:
        raise _refuse(
            _("Tanggal akhir harus sama dengan atau sesudah tanggal mulai."), code="invalid", field="sampai"
        )
    if sampai >= hari_ini:
        raise _refuse(
            _("Presensi hanya dapat ditutup sampai kemarin; hari ini ditutup otomatis malam nanti."),
            code="invalid",
            field="sampai",
        )
    if (sampai - mulai).days >= 366:
        raise _refuse(_("Tutup presensi paling banyak satu tahun sekaligus."), code="invalid", field="mulai")
    hari = hari_kerja_belum_ditutup(mulai=mulai, sampai=sampai)
    if not hari:
        return 0
    with transaction.atomic():
        for tanggal in hari:
            status_harian_hitung_tanggal(tanggal=tanggal)
        audit_record(
            actor=actor,
            action="presensi.status_harian_tutup_rentang",
            target=PenutupanHari.objects.get(tanggal=hari[-1]),
            after={
                "mulai": mulai.isoformat(),
                "sampai": sampai.isoformat(),
                "hari": [tanggal.isoformat() for tanggal in hari],
            },
        )
    return len(hari)


def swafoto_hapus_kedaluwarsa(*, now: datetime.datetime | None = None) -> int:
    """Delete selfies older than the regency's retention period (the row stays, the photo goes)."""
    cfg = presensi_config(tenant_current())
    batas = (now or timezone.now()) - datetime.timedelta(days=cfg.retensi_swafoto_hari)
    count = 0
    for row in Presensi.objects.filter(waktu__lt=batas).exclude(swafoto="").only("pk", "swafoto"):
        default_storage.delete(str(row.swafoto.name))
        Presensi.objects.filter(pk=row.pk).update(swafoto="")
        count += 1
    return count
