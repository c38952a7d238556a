"""Per-regency presensi settings: defaults here, overridden by `tenant.config["presensi"]`."""

from dataclasses import dataclass, fields
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Reported GPS accuracy is credited up to this many metres; worse accuracy is flagged.
    "akurasi_maks_m": 100,
    # Check-in opens this long before the scheduled start; check-out closes this long after the end.
    "buka_sebelum_masuk_menit": 120,
    "tutup_setelah_pulang_menit": 360,
    # Off-site reasons accepted as "needs review" instead of refused (DOMAIN.md: DL and WFH).
    "alasan_luar_kantor": ["dl", "wfh"],
    # Flags that send a check-in to review.
    "tanda_perlu_tinjauan": ["perjalanan_mustahil", "akurasi_buruk", "jam_perangkat"],
    # Device clock further than this from the server's is flagged.
    "selisih_jam_maks_menit": 5,
    # Faster than this between two check-ins is impossible travel.
    "kecepatan_maks_kmh": 200,
    # An offline check-in older than this when it arrives is flagged as delayed; older than the
    # second limit it is refused.
    "tertunda_menit": 30,
    "luring_maks_jam": 24,
    "wajib_swafoto": True,
    "swafoto_maks_kb": 1024,
    "retensi_swafoto_hari": 90,
    # Local hour after which the periodic job closes the day.
    "jam_tutup_hari": 22,
}


@dataclass(frozen=True)
class PresensiConfig:
    akurasi_maks_m: int
    buka_sebelum_masuk_menit: int
    tutup_setelah_pulang_menit: int
    alasan_luar_kantor: list[str]
    tanda_perlu_tinjauan: list[str]
    selisih_jam_maks_menit: int
    kecepatan_maks_kmh: int
    tertunda_menit: int
    luring_maks_jam: int
    wajib_swafoto: bool
    swafoto_maks_kb: int
    retensi_swafoto_hari: int
    jam_tutup_hari: int


def presensi_config(tenant: Any) -> PresensiConfig:
    overrides = (getattr(tenant, "config", None) or {}).get("presensi", {}) or {}
    values = {f.name: overrides.get(f.name, DEFAULTS[f.name]) for f in fields(PresensiConfig)}
    return PresensiConfig(**values)
