"""Per-regency presensi settings: defaults here, overridden by `tenant.config["presensi"]`."""

from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

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


def presensi_config_errors(section: Any) -> dict[str, str]:
    """What is wrong in a regency's `presensi` section (the configuration page shows it)."""
    if not isinstance(section, dict):
        return {"presensi": _("harus berupa objek")}
    errors: dict[str, str] = {}
    for name, value in section.items():
        if name not in DEFAULTS:
            errors[name] = _("tidak dikenal")
            continue
        default = DEFAULTS[name]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            errors[name] = _("jenis nilai salah")
    if (
        "jam_tutup_hari" in section
        and not errors.get("jam_tutup_hari")
        and not 0 <= section["jam_tutup_hari"] <= 23
    ):
        errors["jam_tutup_hari"] = _("harus 0–23")
    return errors


def presensi_config(tenant: Any) -> PresensiConfig:
    """The regency's settings over the defaults. A value of the wrong type is ignored (the
    default applies), so a bad edit can never stop the morning's check-ins."""
    overrides = (getattr(tenant, "config", None) or {}).get("presensi", {}) or {}
    if not isinstance(overrides, dict):
        overrides = {}
    bad = presensi_config_errors(overrides)
    values = {
        f.name: overrides[f.name] if f.name in overrides and f.name not in bad else DEFAULTS[f.name]
        for f in fields(PresensiConfig)
    }
    return PresensiConfig(**values)
