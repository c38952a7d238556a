"""The source layout of ARCHITECTURE.md: `platform/` is a plain folder, never a package."""

import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_standard_library_platform_module_is_the_one_imported():
    import platform

    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert platform.python_version().startswith("3.")


def test_platform_folder_holds_only_the_eoffice_package():
    assert not (ROOT / "platform" / "__init__.py").exists()
    children = sorted(p.name for p in (ROOT / "platform").iterdir() if p.name != "__pycache__")
    assert children == ["eoffice"]


def test_top_level_layout():
    for name in ["platform", "tenants", "modules", "frontend", "infra", "tests", "bench"]:
        assert (ROOT / name).is_dir(), name
    for name in ["pyproject.toml", "Dockerfile", "Makefile", "manage.py", "README.md"]:
        assert (ROOT / name).is_file(), name
