from modules.presensi.tests.conftest import kantor  # noqa: F401 - the shared office fixture
