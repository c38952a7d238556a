from modules.presensi.tests.conftest import _fresh_presensi_cache, kantor  # noqa: F401 - shared fixtures
