"""The regency's presensi section: defaults, overrides, and bad values that never break check-in."""

from types import SimpleNamespace

from modules.presensi.config import DEFAULTS, presensi_config, presensi_config_errors


def test_defaults_apply_without_a_section():
    cfg = presensi_config(SimpleNamespace(config={}))
    assert (cfg.akurasi_maks_m, cfg.alasan_luar_kantor, cfg.jam_tutup_hari) == (100, ["dl", "wfh"], 22)


def test_valid_overrides_are_used_and_bad_ones_fall_back_to_defaults():
    section = {"akurasi_maks_m": 50, "kecepatan_maks_kmh": "cepat", "wajib_swafoto": 1, "jam_tutup_hari": 30}
    cfg = presensi_config(SimpleNamespace(config={"presensi": section}))
    assert (cfg.akurasi_maks_m, cfg.kecepatan_maks_kmh, cfg.wajib_swafoto, cfg.jam_tutup_hari) == (
        50,
        DEFAULTS["kecepatan_maks_kmh"],
        True,
        22,
    )
    assert presensi_config_errors({**section, "lain": 1}) == {
        "kecepatan_maks_kmh": "jenis nilai salah",
        "wajib_swafoto": "jenis nilai salah",
        "jam_tutup_hari": "harus 0–23",
        "lain": "tidak dikenal",
    }


def test_section_that_is_not_an_object_is_ignored():
    assert presensi_config(SimpleNamespace(config={"presensi": [1, 2]})).akurasi_maks_m == 100
    assert presensi_config_errors([1, 2]) == {"presensi": "harus berupa objek"}
