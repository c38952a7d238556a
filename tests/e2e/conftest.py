"""Browser tests: a live server in this process, Debian's Chromium driven by Playwright.

The server thread has its own database connection, so it sees only committed data: the demo
regencies created once per run, or what the browser itself makes through the server (which
stays for later tests: use unique names). Data a test creates directly is invisible to the server.
"""

import datetime
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

# Playwright's sync API keeps an event loop running in the test's thread, which makes Django
# refuse database calls from that thread; the calls are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server_port(django_db_setup, django_db_blocker) -> Iterator[int]:
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield thread.port
    thread.terminate()


@pytest.fixture
def live_url(live_server_port, django_db_blocker):
    """`live_url("kendari")` → http://kendari.localhost:<port>; `live_url()` → the root host."""

    def url(subdomain: str = "") -> str:
        host = f"{subdomain}.localhost" if subdomain else "localhost"
        return f"http://{host}:{live_server_port}"

    # The server thread queries the test database while this test runs.
    with django_db_blocker.unblock():
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under var/screenshots/ (git-ignored) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, url: str, login: str, password: str | None = None) -> None:
    """Sign in through the login form as a person would (demo password unless given)."""
    from tenants.demo import DEMO_PASSWORD

    page.goto(url + "/accounts/login/")
    page.wait_for_load_state("networkidle")  # the page's scripts are set up before typing
    page.get_by_label("NIP atau e-mail").fill(login)
    page.get_by_label("Kata sandi").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    # Signing in hashes the password (deliberately slow): give a busy machine time.
    try:
        page.wait_for_url(url + "/", timeout=30_000)
    except Exception as exc:
        alerts = page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"{login} not signed in: at {page.url}, alerts {alerts}") from exc


@pytest.fixture
def new_page(browser, live_url):
    """`new_page()` → a page in a browser context of its own (a second person at another desk)."""
    contexts = []

    def make():
        context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@dataclass
class Orang:
    pegawai: Any
    user: Any

    @property
    def login(self) -> str:
        return self.pegawai.nip


@dataclass
class UnitUji:
    """A unit of its own with a head (the staff member's superior) and one staff member, all
    committed so the live server sees them; names and NIPs are unique per test."""

    unit: Any
    kepala: Orang
    staf: Orang


def _nip_baru(gender: str) -> str:
    from modules.kepegawaian.models import Pegawai

    while True:
        lahir = datetime.date(1975, 1, 1) + datetime.timedelta(days=secrets.randbelow(5000))
        nip = f"{lahir:%Y%m%d}{lahir.year + 25}03{gender}{secrets.randbelow(999) + 1:03d}"
        if not Pegawai.objects.filter(nip=nip).exists():
            return nip


def unit_uji(schema: str, label: str, **staf_fields: Any) -> UnitUji:
    """Create (and commit) a unit with a head and a staff member in the tenant's schema."""
    from django_tenants.utils import schema_context

    from eoffice.accounts.models import User
    from modules.kepegawaian.tests.factories import JabatanFactory, PegawaiFactory, UnitFactory
    from tenants.demo import DEMO_PASSWORD

    suffix = secrets.token_hex(3)
    with schema_context(schema):
        unit = UnitFactory(nama=f"{label} {suffix}")
        people = []
        for kepala, gender, nama in ((True, "1", "Kepala"), (False, "2", "Staf")):
            nip = _nip_baru(gender)
            extra = staf_fields if not kepala else {}
            pegawai = PegawaiFactory(
                unit=unit,
                nip=nip,
                nama=f"{nama} {label} {suffix}",
                jenis_kelamin="L" if gender == "1" else "P",
                tanggal_lahir=datetime.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])),
                jabatan=JabatanFactory(
                    unit=unit, is_kepala_unit=kepala, nama=f"{'Kepala' if kepala else 'Analis'} {suffix}"
                ),
                **extra,
            )
            user = User.objects.create_user(
                username=nip, email=f"{nip}@uji.go.id", nama=pegawai.nama, password=DEMO_PASSWORD
            )
            pegawai.user = user
            pegawai.save(update_fields=["user"])
            people.append(Orang(pegawai=pegawai, user=user))
    return UnitUji(unit=unit, kepala=people[0], staf=people[1])


def fetch_in_browser(page, url: str) -> dict:
    """Fetch from the browser, relative to the page (the test process cannot resolve *.localhost):
    status, content type and the first bytes."""
    return page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return {status: r.status, type: r.headers.get('content-type'),
                    head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length};
        }""",
        url,
    )
