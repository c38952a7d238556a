"""Pure attendance rules: distances, bands and the judgement of one day. No database here, so
the rules are tested as tables (DOMAIN.md "Presensi")."""

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

EARTH_RADIUS_M = 6_371_008.8

# DOMAIN.md: TL1–TL4 / PSW1–PSW4 by 30-minute bands: 1–30, 31–60, 61–90, ≥91 minutes (or missing).
BAND_MINUTES = 30


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def inside_geofence(*, distance: float, radius_m: int, accuracy_m: float, accuracy_cap_m: int) -> bool:
    """Inside when the reported circle of uncertainty touches the fence, the accuracy credited only
    up to the tenant's cap (a phone saying ±2 km proves nothing)."""
    return distance - min(accuracy_m, accuracy_cap_m) <= radius_m


def band(minutes: int) -> int:
    """0 on time; 1: 1–30, 2: 31–60, 3: 61–90, 4: ≥91 minutes."""
    if minutes <= 0:
        return 0
    return min(4, (minutes - 1) // BAND_MINUTES + 1)


def whole_minutes(delta: datetime.timedelta) -> int:
    """Minutes late or early, counting only whole minutes (07:30:59 is on time for 07:30)."""
    return max(0, int(delta.total_seconds() // 60))


@dataclass(frozen=True)
class Jendela:
    """The scheduled working hours of one employee on one date, as aware datetimes."""

    masuk: datetime.datetime
    pulang: datetime.datetime
    nama: str = ""


@dataclass(frozen=True)
class Pengecualian:
    """An excuse for the day: approved leave or an approved correction turning the day into
    DL/WFH/izin/sakit/diklat. `status` uses StatusHarian.Status values."""

    status: str
    dokumen: str = ""
    jenis_cuti: str = ""
    keterangan: str = ""
    # Leave counted in working days (cuti tahunan, sakit, alasan penting) leaves weekends and
    # holidays inside its period as libur.
    hari_kerja_saja: bool = False


@dataclass
class Putusan:
    status: str
    jenis_cuti: str = ""
    terlambat_menit: int = 0
    pulang_cepat_menit: int = 0
    tl: int = 0
    psw: int = 0
    dokumen: str = ""
    keterangan: str = ""
    waktu_masuk: datetime.datetime | None = None
    waktu_pulang: datetime.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def judge_day(
    *,
    jendela: Jendela | None,
    libur: str | None,
    masuk: datetime.datetime | None,
    pulang: datetime.datetime | None,
    pengecualian: Pengecualian | None = None,
    alasan_luar: str = "",
) -> Putusan:
    """The status of one employee's day.

    Order: approved leave or correction first (the day is excused with its document); then a
    holiday or a day without a schedule is libur; then the check-ins: none at all is TK; a
    missing check-in counts as band 4 (DOMAIN.md: "≥91 or missing"). A day checked in as DL or
    WFH (accepted off-site) is DL/WFH without lateness bands.
    """
    if pengecualian is not None and pengecualian.hari_kerja_saja and (jendela is None or libur):
        pengecualian = None
    if pengecualian is not None and pengecualian.status != "hadir":
        return Putusan(
            status=pengecualian.status,
            jenis_cuti=pengecualian.jenis_cuti,
            dokumen=pengecualian.dokumen,
            keterangan=pengecualian.keterangan,
            waktu_masuk=masuk,
            waktu_pulang=pulang,
        )
    if jendela is None or libur:
        return Putusan(status="libur", keterangan=libur or "", waktu_masuk=masuk, waktu_pulang=pulang)
    if masuk is None and pulang is None:
        return Putusan(status="tk")
    if alasan_luar in ("dl", "wfh"):
        return Putusan(status=alasan_luar, waktu_masuk=masuk, waktu_pulang=pulang)
    hasil = Putusan(status="hadir", waktu_masuk=masuk, waktu_pulang=pulang)
    if pengecualian is not None:
        hasil.dokumen, hasil.keterangan = pengecualian.dokumen, pengecualian.keterangan
    if masuk is None:
        hasil.tl = 4
    else:
        hasil.terlambat_menit = whole_minutes(masuk - jendela.masuk)
        hasil.tl = band(hasil.terlambat_menit)
    if pulang is None:
        hasil.psw = 4
    else:
        hasil.pulang_cepat_menit = whole_minutes(jendela.pulang - pulang)
        hasil.psw = band(hasil.pulang_cepat_menit)
    return hasil
