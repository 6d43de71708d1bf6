"""A real Asta server with the demo data, driven by Debian's Chromium through Playwright.

Needs scripts/install-browser.sh (chromium, playwright, the vendored axe-core). Tests are
marked `browser`; when Chromium, Playwright or axe-core is missing they fail and say how to
install them (a skip would let a broken setup pass unnoticed).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from time_machine import escape_hatch

from asta.demo import DEMO_TOTP_SECRET
from benchmarks.serving import wait_until_serving
from tests.clock import at_test_clock
from tests.integration.mail import Inbox
from tests.totp import CLOCK_SLACK_S, next_code, step_back

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ASTA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DEMO_PASSWORD = "demo-password"
ASTA = str(Path(sys.executable).with_name("asta"))



def _require_browser() -> Any:
    missing = [what for what, there in (("Chromium at " + CHROMIUM, Path(CHROMIUM).exists()),
                                        ("axe-core at " + str(AXE), AXE.exists()),
                                        )
               if not there]
    try:
        import playwright.sync_api as sync_api
    except ImportError:
        missing.append("the playwright package")
        sync_api = None
    if missing:
        pytest.fail(f"Missing {', '.join(missing)}: run scripts/install-browser.sh "
                    "(or set ASTA_CHROMIUM to the browser's path)", pytrace=False)
    return sync_api


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# The demo's own unit name as the demo server shows it in each language (ASTA_DEMO_TEXTS).
KAIKU = {"fi": "Kaiku24 etävastaanotto", "sv": "Kaiku24 distansmottagning",
         "en": "Kaiku24 remote reception"}

@pytest.fixture(scope="session")
def server_data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root, PostgreSQL runs as `postgres`, which must enter the dir.
    data_dir = Path(tempfile.mkdtemp(prefix="asta-browser-"))
    data_dir.chmod(0o755)
    yield data_dir
    if os.environ.get("ASTA_KEEP_BROWSER_DATA") != "1":
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def inbox(server_data_dir: Path) -> Inbox:
    """What the test server's development mail catcher caught (the demo's e-mails, password
    resets, sign-ups and invitations): the server runs without SMTP, as `asta demo` does."""
    return Inbox(0, server_data_dir / "mail")


@pytest.fixture(scope="session")
def base_url(server_data_dir: Path) -> Iterator[str]:
    _require_browser()
    data_dir = server_data_dir
    env = {**os.environ, "ASTA_DATA_DIR": str(data_dir), "ASTA_FAST_PASSWORD_HASHING": "1",
           "ASTA_SECRET_KEY": "asta-browser-test-secret-0123456789abcdef",
           "ASTA_DEMO_TEXTS": "1"}  # as `asta demo` serves: its names in each language
    env.pop("ASTA_PUBLIC_BASE_URL", None)  # links point at this server
    env.pop("ASTA_DATABASE_URL", None)
    for name in ("ASTA_SMTP_HOST", "ASTA_SMTP_PORT"):  # the server catches its own e-mail
        env.pop(name, None)
    subprocess.run([ASTA, "demo", "--seed-only"], env=at_test_clock(env), check=True, timeout=600,
                   cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    server_env = at_test_clock(env)
    _server_clock["offset_s"] = float(server_env["ASTA_TEST_CLOCK_OFFSET_S"])
    server = subprocess.Popen([ASTA, "serve", "--port", str(port)], env=server_env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{url}/sign-in", data_dir / "server.log", timeout_s=120)
        yield url
    finally:
        server.send_signal(signal.SIGINT)  # lets it stop its embedded PostgreSQL
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with _require_browser().sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_page(browser: Any, base_url: str, **options: Any) -> Any:
    # Axe is injected as an inline script, which the pages' CSP (rightly) forbids.
    context = browser.new_context(base_url=base_url, bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


_server_clock: dict[str, float] = {}


def server_now() -> datetime:
    """The server's clock: it keeps ticking from its start, while each test's own clock starts
    again at TEST_CLOCK, and TOTP codes must match the server's time step."""
    return datetime.fromtimestamp(escape_hatch.time.time() + _server_clock["offset_s"], UTC)


# The session cookies of accounts that signed in with a code: a code's time step is good
# once per account, so a third sign-in of one admin within 30 s waits for the clock; the
# tests that sign such an account in again reuse its session (the code step itself is
# walked on the first sign-in and in test_second_factor.py).
_code_sessions: dict[str, list[Any]] = {}


def sign_in(page: Any, email: str) -> None:
    """Both steps: demo admins and the operator then enter a code from the demo key."""
    if email in _code_sessions:
        page.context.add_cookies(_code_sessions[email])
        page.goto("/home")
        if "/home" in page.url:
            return
        page.context.clear_cookies()  # signed out since: sign in again
    page.goto("/sign-in")
    page.fill("#f-email", email)
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(lambda url: "/home" in url or "/sign-in/code" in url)
    used_code = False
    for _attempt in range(3):
        if "/sign-in/code" not in page.url:
            break
        used_code = True
        page.fill("#f-code", next_code(email, DEMO_TOTP_SECRET, server_now))
        with page.expect_navigation():
            page.click("form.card button[type=submit]")
        if "/sign-in/code" in page.url:
            # Refused: a code one step ahead reached a server whose clock lags ours by more
            # than the slack (its start was slow on a loaded machine). Type it again later,
            # as a person would.
            step_back(email)
            time.sleep(CLOCK_SLACK_S + 2)
    page.wait_for_url("**/home")
    if used_code:
        _code_sessions[email] = page.context.cookies()


def choose_language(page: Any, locale: str) -> None:
    page.click(f".language button[value={locale}]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == locale


class AxeLog:
    """Runs axe on each page a journey visits and keeps what it finds, by page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.found: dict[str, Any] = {}
        self.checked: list[str] = []

    def check(self, label: str = "") -> None:
        name = f"{self.page.get_attribute('html', 'lang')} {label or self.page.url}"
        self.checked.append(name)
        violations = axe_violations(self.page)
        if violations:
            self.found[name] = violations


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    # resultTypes: every violating node is still reported, but passes are not listed node by
    # node, which saves axe a fifth of its time on a long page (/pool: 0.73 s, not 0.86 s).
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
              resultTypes: ['violations']})""")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

