"""Reads on presensi: the regency's calendar, who works when and where, histories and recaps."""

import datetime
import functools
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from modules.kepegawaian.models import Pegawai, Unit
from modules.kepegawaian.selectors import unit_ancestor_ids
from modules.presensi.models import (
    HariLibur,
    JadwalHari,
    JadwalKerja,
    LokasiKantor,
    PenutupanHari,
    Presensi,
    ShiftPegawai,
    StatusHarian,
)
from modules.presensi.rules import Jendela
from tenants.selectors import tenant_current

# The check-in hot path reads the same calendar, schedules and locations thousands of times a
# morning; it keeps them per process for a short while. Writes clear this process's copy; other
# processes see a change within PRESENSI_CACHE_SECONDS.
_CACHE: dict[tuple[Any, ...], tuple[float, Any]] = {}


def _cached(key: tuple[Any, ...], loader: Callable[[], Any]) -> Any:
    ttl = getattr(settings, "PRESENSI_CACHE_SECONDS", 30)
    full = (schema_name(), *key)
    now = time.monotonic()
    hit = _CACHE.get(full)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = loader()
    if len(_CACHE) > 20_000:
        _CACHE.clear()
    _CACHE[full] = (now + ttl, value)
    return value


def schema_name() -> str:
    """The active schema (django-tenants adds the attribute to the connection)."""
    return str(connection.schema_name)  # type: ignore[attr-defined]


def presensi_cache_clear() -> None:
    _CACHE.clear()


def tenant_zone() -> ZoneInfo:
    return ZoneInfo(tenant_current().timezone)


@functools.lru_cache(maxsize=64)
def _libur_nasional(tahun: int) -> dict[datetime.date, str]:
    """National holidays and the joint decree's cuti bersama from the `holidays` package (its
    Islamic dates can be estimates: a regency corrects them with its own calendar rows)."""
    nasional = holidays.country_holidays("ID", years=tahun, language="id")
    bersama = holidays.country_holidays("ID", years=tahun, categories=("government",), language="id")
    return {**dict(bersama.items()), **dict(nasional.items())}


def cuti_bersama_nasional(tahun: int) -> set[datetime.date]:
    bersama = holidays.country_holidays("ID", years=tahun, categories=("government",), language="id")
    return set(bersama.keys())


def hari_libur_map(*, mulai: datetime.date, sampai: datetime.date) -> dict[datetime.date, str]:
    """Every holiday between the dates (inclusive): national, cuti bersama and the regency's own
    rows, where a `masuk` row turns a national holiday back into a working day."""
    result: dict[datetime.date, str] = {}
    for tahun in range(mulai.year, sampai.year + 1):
        result.update({d: n for d, n in _libur_nasional(tahun).items() if mulai <= d <= sampai})
    for row in HariLibur.objects.filter(tanggal__range=(mulai, sampai)):
        if row.jenis == HariLibur.Jenis.MASUK:
            result.pop(row.tanggal, None)
        else:
            result[row.tanggal] = row.nama
    return result


def hari_kerja_belum_ditutup(*, mulai: datetime.date, sampai: datetime.date) -> list[datetime.date]:
    """Working days between the dates (inclusive) that no closing has judged yet (no
    PenutupanHari row). A working day here is Monday to Friday (the national five-day week,
    Perpres 21/2023) that is not a holiday or cuti bersama of the regency's calendar; weekend
    days that a six-day or shift schedule works are not counted. Two queries."""
    if sampai < mulai:
        return []
    libur = hari_libur_map(mulai=mulai, sampai=sampai)
    ditutup = set(
        PenutupanHari.objects.filter(tanggal__range=(mulai, sampai)).values_list("tanggal", flat=True)
    )
    days = (mulai + datetime.timedelta(days=i) for i in range((sampai - mulai).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in libur and d not in ditutup]


def hari_libur_nama(*, tanggal: datetime.date) -> str | None:
    return hari_libur_map(mulai=tanggal, sampai=tanggal).get(tanggal)


def cuti_bersama_dates(*, tahun: int) -> set[datetime.date]:
    """Cuti bersama of the year (they count against cuti tahunan, DOMAIN.md)."""
    dates = cuti_bersama_nasional(tahun)
    for row in HariLibur.objects.filter(tanggal__year=tahun):
        if row.jenis == HariLibur.Jenis.CUTI_BERSAMA:
            dates.add(row.tanggal)
        elif row.jenis == HariLibur.Jenis.MASUK:
            dates.discard(row.tanggal)
    return dates


@dataclass(frozen=True)
class JadwalHariIni:
    jadwal: JadwalKerja | None
    jendela: Jendela


def _aware(tanggal: datetime.date, masuk: datetime.time, pulang: datetime.time, zone: ZoneInfo) -> tuple:
    start = datetime.datetime.combine(tanggal, masuk, tzinfo=zone)
    end_day = tanggal if pulang > masuk else tanggal + datetime.timedelta(days=1)
    return start, datetime.datetime.combine(end_day, pulang, tzinfo=zone)


def jadwal_kandidat(*, unit: Unit | None, tanggal: datetime.date) -> list[JadwalKerja]:
    """Schedules that may apply to a unit on a date, best first: a Ramadan season in force beats
    the normal schedule at any level (the season's hours are national, Perpres 21/2023), then
    the most specific unit wins, the regency's default (no unit) last."""
    ancestors = unit_ancestor_ids(unit=unit) if unit is not None else []
    qs = (
        JadwalKerja.objects.filter(aktif=True)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))
        .filter(Q(berlaku_mulai__isnull=True) | Q(berlaku_mulai__lte=tanggal))
        .filter(Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=tanggal))
        .select_related("unit")
        .prefetch_related("hari")
    )
    depth = {unit_id: i for i, unit_id in enumerate(ancestors)}
    return sorted(
        qs,
        key=lambda j: (
            0 if j.musim == JadwalKerja.Musim.RAMADAN else 1,
            -(depth.get(j.unit_id, -1) if j.unit_id else -1),
            j.pk,
        ),
    )


def jadwal_for(
    *,
    pegawai: Pegawai,
    tanggal: datetime.date,
    zone: ZoneInfo | None = None,
    libur: str | None = None,
    cached: bool = False,
    shift_dibaca: dict[datetime.date, ShiftPegawai] | None = None,
) -> JadwalHariIni | None:
    """The employee's working hours on the date, or None on a day off (holiday, weekend, no
    schedule). A shift assignment wins over everything, holidays included (hospitals open).
    `cached`: the check-in path reads each unit's schedule and the calendar from the
    short-lived per-process cache. `shift_dibaca`: the employee's shifts the caller has just
    read for this date (`checkin_konteks`)."""
    zone = zone or tenant_zone()
    # A shift is one employee's row for one date, assigned at any moment: always read fresh.
    shift = (
        shift_dibaca.get(tanggal)
        if shift_dibaca is not None
        else ShiftPegawai.objects.filter(pegawai=pegawai, tanggal=tanggal).first()
    )
    if shift is not None:
        start, end = _aware(tanggal, shift.jam_masuk, shift.jam_pulang, zone)
        return JadwalHariIni(jadwal=None, jendela=Jendela(masuk=start, pulang=end, nama=shift.nama_shift))
    if cached:
        return _cached(
            ("jadwal", pegawai.unit_id, tanggal, zone.key),
            lambda: _jadwal_unit(
                unit=pegawai.unit,
                tanggal=tanggal,
                zone=zone,
                libur=_cached(("libur", tanggal), lambda: hari_libur_nama(tanggal=tanggal)) or "",
            ),
        )
    return _jadwal_unit(unit=pegawai.unit, tanggal=tanggal, zone=zone, libur=libur)


def jadwal_unit_for(
    *, unit: Unit | None, tanggal: datetime.date, zone: ZoneInfo, libur: str | None = None
) -> JadwalHariIni | None:
    """The unit's working hours on the date (no shift considered): for computing many
    employees of one unit at once."""
    return _jadwal_unit(unit=unit, tanggal=tanggal, zone=zone, libur=libur)


def jadwal_from_shift(*, shift: ShiftPegawai, zone: ZoneInfo) -> JadwalHariIni:
    start, end = _aware(shift.tanggal, shift.jam_masuk, shift.jam_pulang, zone)
    return JadwalHariIni(jadwal=None, jendela=Jendela(masuk=start, pulang=end, nama=shift.nama_shift))


def _jadwal_unit(
    *, unit: Unit | None, tanggal: datetime.date, zone: ZoneInfo, libur: str | None = None
) -> JadwalHariIni | None:
    if libur is None:
        libur = hari_libur_nama(tanggal=tanggal)
    if libur:
        return None
    for jadwal in jadwal_kandidat(unit=unit, tanggal=tanggal):
        if jadwal.jenis == JadwalKerja.Jenis.SHIFT:
            continue
        days: Iterable[JadwalHari] = [
            h for h in jadwal.hari.all() if h.hari == tanggal.weekday() and not h.shift
        ]
        day = next(iter(days), None)
        if day is None:
            # This schedule says the weekday is off; a less specific one must not override it.
            return None
        start, end = _aware(tanggal, day.jam_masuk, day.jam_pulang, zone)
        return JadwalHariIni(jadwal=jadwal, jendela=Jendela(masuk=start, pulang=end, nama=jadwal.nama))
    return None


def lokasi_for(*, pegawai: Pegawai, cached: bool = False) -> list[LokasiKantor]:
    """Locations where the employee may check in: the regency-wide ones and those of their unit
    and its ancestors."""

    def load() -> list[LokasiKantor]:
        ancestors = unit_ancestor_ids(unit=pegawai.unit) or [pegawai.unit_id]
        return list(
            LokasiKantor.objects.filter(aktif=True)
            .filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))
            .order_by("pk")
        )

    return _cached(("lokasi", pegawai.unit_id), load) if cached else load()


@dataclass(frozen=True)
class KonteksCheckin:
    """What a check-in needs to know about its employee, read in one statement."""

    pegawai: Pegawai  # id, status, unit and user only; other fields load on access
    replay_id: int | None  # the stored check-in with the same client UUID, if any
    terkini: list[Presensi]  # their check-ins of the last days, oldest first (no selfie, no flags)
    shift: dict[datetime.date, ShiftPegawai]  # their shifts on the dates asked for


_TERKINI_KOLOM = (
    "id",
    "client_uuid",
    "pegawai_id",
    "jenis",
    "tanggal",
    "waktu",
    "status",
    "latitude",
    "longitude",
)
_SHIFT_KOLOM = ("id", "pegawai_id", "tanggal", "nama_shift", "jam_masuk", "jam_pulang")


@functools.cache
def _konteks_sql() -> str:
    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def row_of(alias: str, names: Iterable[str]) -> str:
        return "json_build_array(" + ", ".join(f"{alias}.{connection.ops.quote_name(n)}" for n in names) + ")"

    return f"""
        SELECT p.id, p.status, p.unit_id,
          (SELECT coalesce(json_agg({row_of("r", _TERKINI_KOLOM)} ORDER BY r.waktu), '[]')
             FROM {table(Presensi)} r
            WHERE r.pegawai_id = p.id AND (r.client_uuid = %(uuid)s OR r.tanggal >= %(sejak)s)),
          (SELECT coalesce(json_agg({row_of("s", _SHIFT_KOLOM)}), '[]')
             FROM {table(ShiftPegawai)} s
            WHERE s.pegawai_id = p.id AND s.tanggal = ANY(%(tanggal)s))
          FROM {table(Pegawai)} p
         WHERE p.user_id = %(user)s
    """


def checkin_konteks(
    *, user_id: int, client_uuid: Any, sejak: datetime.date, tanggal: list[datetime.date]
) -> KonteksCheckin | None:
    """The employee of `user_id` with their check-ins since `sejak` (and the one with
    `client_uuid`, however old) and their shifts on `tanggal`; None when the account has no
    employee. The morning surge runs this for every check-in, so it is one hand-written
    statement instead of four ORM queries (building them cost more CPU than running them);
    the rows become model instances whose other fields load on access."""
    with connection.cursor() as cursor:
        cursor.execute(
            _konteks_sql(), {"user": user_id, "uuid": client_uuid, "sejak": sejak, "tanggal": list(tanggal)}
        )
        found = cursor.fetchone()
    if found is None:
        return None
    pegawai_id, status, unit_id, terkini_json, shift_json = found
    pegawai = _partial(Pegawai, {"id": pegawai_id, "status": status, "unit_id": unit_id, "user_id": user_id})
    terkini = [_partial(Presensi, _presensi_values(v)) for v in terkini_json]
    shift = {row.tanggal: row for row in (_partial(ShiftPegawai, _shift_values(v)) for v in shift_json)}
    replay = next((r.pk for r in terkini if r.client_uuid == client_uuid), None)
    return KonteksCheckin(pegawai=pegawai, replay_id=replay, terkini=terkini, shift=shift)


def _partial(model: Any, values: dict[str, Any]) -> Any:
    """A model instance with only these fields loaded; the others load from the database on access."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [values[n] for n in names])


def _presensi_values(v: list[Any]) -> dict[str, Any]:
    pk, client_uuid, pegawai_id, jenis, tanggal, waktu, status, latitude, longitude = v
    return {
        "id": pk,
        "client_uuid": uuid.UUID(client_uuid),
        "pegawai_id": pegawai_id,
        "jenis": jenis,
        "tanggal": datetime.date.fromisoformat(tanggal),
        "waktu": datetime.datetime.fromisoformat(waktu),
        "status": status,
        "latitude": Decimal(str(latitude)),
        "longitude": Decimal(str(longitude)),
    }


def _shift_values(v: list[Any]) -> dict[str, Any]:
    pk, pegawai_id, tanggal, nama, masuk, pulang = v
    return {
        "id": pk,
        "pegawai_id": pegawai_id,
        "tanggal": datetime.date.fromisoformat(tanggal),
        "nama_shift": nama,
        "jam_masuk": datetime.time.fromisoformat(masuk),
        "jam_pulang": datetime.time.fromisoformat(pulang),
    }


def pegawai_for_user(*, user: object) -> Pegawai | None:
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return Pegawai.objects.select_related("unit", "jabatan").filter(user_id=user_id).first()


def presensi_list(*, pegawai: Pegawai, mulai: datetime.date, sampai: datetime.date) -> QuerySet[Presensi]:
    return Presensi.objects.filter(pegawai=pegawai, tanggal__range=(mulai, sampai)).order_by("waktu")


def status_harian_bulan(*, pegawai: Pegawai, tahun: int, bulan: int) -> QuerySet[StatusHarian]:
    return StatusHarian.objects.filter(pegawai=pegawai, tanggal__year=tahun, tanggal__month=bulan).order_by(
        "tanggal"
    )


@dataclass
class RekapBaris:
    pegawai: Pegawai
    jumlah: dict[str, int]
    tl: list[int]
    psw: list[int]


REKAP_KOLOM = ["hadir", "dl", "diklat", "tb", "izin", "sakit", "cuti", "wfh", "tk", "libur"]


def rekap_bulanan(*, tahun: int, bulan: int, unit: Unit | None = None) -> list[RekapBaris]:
    """Per employee: days per status and counts of TL1–TL4 / PSW1–PSW4 in the month, the input
    TPP reads. `unit` includes its sub-units."""
    pegawai_qs = Pegawai.objects.select_related("unit").order_by("unit__path", "nama")
    if unit is not None:
        pegawai_qs = pegawai_qs.filter(unit__path__startswith=unit.path)
    rows = {p.pk: RekapBaris(p, dict.fromkeys(REKAP_KOLOM, 0), [0] * 5, [0] * 5) for p in pegawai_qs}
    for sh in StatusHarian.objects.filter(
        tanggal__year=tahun, tanggal__month=bulan, pegawai_id__in=list(rows)
    ).only("pegawai_id", "status", "tl", "psw"):
        row = rows[sh.pegawai_id]
        row.jumlah[sh.status] = row.jumlah.get(sh.status, 0) + 1
        if sh.status == StatusHarian.Status.HADIR:
            row.tl[sh.tl] += 1
            row.psw[sh.psw] += 1
    return list(rows.values())


def hari_kerja_list(*, pegawai: Pegawai, mulai: datetime.date, sampai: datetime.date) -> list[datetime.date]:
    """The employee's working days in the period (their schedule, minus holidays and cuti
    bersama): what cuti tahunan counts."""
    zone = tenant_zone()
    libur = hari_libur_map(mulai=mulai, sampai=sampai)
    days, day = [], mulai
    while day <= sampai:
        if jadwal_for(pegawai=pegawai, tanggal=day, zone=zone, libur=libur.get(day) or "") is not None:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
