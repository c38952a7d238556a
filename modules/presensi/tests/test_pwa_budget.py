"""The check-in page stays small for low-end phones on mobile data: under 100 KiB of JavaScript,
and none of the site bundle (htmx, Alpine) on it. `make test` builds the frontend first."""

from pathlib import Path

from django.conf import settings

DIST = Path(settings.BASE_DIR) / "frontend" / "dist"
TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "presensi" / "app.html"


def test_pwa_javascript_is_under_100_kib():
    sizes = {name: (DIST / name).stat().st_size for name in ("presensi.js", "presensi-sw.js")}
    assert sum(sizes.values()) < 100 * 1024, sizes


def test_pwa_page_loads_only_its_own_script():
    html = TEMPLATE.read_text()
    assert "{% static 'presensi.js' %}" in html
    assert "eoffice.js" not in html and "htmx" not in html and "alpine" not in html.lower()
