"""Browser tests of the staff console: a real uvicorn server on a free loopback port, driven by Playwright
with Debian's Chromium (/usr/bin/chromium; never a downloaded browser).

Without Chromium (or Playwright) the tests skip and say why; under CI=true they fail instead. The fixtures
are named staff_* so they never shadow the widget tests' own fixtures in this folder.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from bot import db, staff
from tests.support.servers import free_port, unavailable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
PASSWORD = "a long staff password"
DPO, AGENT = "Dana Officer", "Alex Agent"


class ConsoleServer:
    def __init__(self, store: str, url: str):
        self.store, self.url = store, url


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    """The console app under uvicorn in a thread, on its own store with a DPO and an agent."""
    import uvicorn

    from bot.console.app import create_app

    store = f"sqlite:///{tmp_path_factory.mktemp('console') / 'privacy_desk.db'}"
    previous = os.environ.get("PRIVACY_DESK_DATABASE_URL")
    os.environ["PRIVACY_DESK_DATABASE_URL"] = store  # bot/ code that reads the setting uses the same store
    db.upgrade(store)
    with db.session_scope(store) as session:
        staff.add_staff(session, DPO, "dpo", PASSWORD)
        staff.add_staff(session, AGENT, "agent", PASSWORD)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, extra_routes=[], secret="browser-test-" + "s" * 40),
                                           host="127.0.0.1", port=port, log_level="warning",
                                           ws="none"))  # Rasa pins a websockets uvicorn cannot use
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the console did not start under uvicorn within 15 seconds")
        time.sleep(0.05)
    yield ConsoleServer(store, f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)
    if previous is None:
        os.environ.pop("PRIVACY_DESK_DATABASE_URL", None)
    else:
        os.environ["PRIVACY_DESK_DATABASE_URL"] = previous


@pytest.fixture(scope="module")
def staff_browser():
    """The Chromium of one test module; the widget tests use it too, through their `chromium` fixture.

    Per module, not per session: Playwright's sync API runs an event loop in the main thread while it is
    open, and tests after the browser tests call asyncio.run(), which refuses to run inside one."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium is not installed at {CHROMIUM} (Debian package 'chromium'; `make test` installs "
                    "it when run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Playwright Python package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def staff_page(staff_browser):
    context = staff_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def staff_phone(staff_browser):
    context = staff_browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, server: ConsoleServer, name: str = DPO) -> None:
    page.goto(f"{server.url}/console/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/queue")
