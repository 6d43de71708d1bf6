"""Refreshes docs/screenshots/. Not collected by the test run (so it never rewrites the
committed images); run it by name: `.venv/bin/pytest tests/browser/refresh_screenshots.py`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ROOT, choose_language, new_page, sign_in

pytestmark = [pytest.mark.browser]
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _shoot(page: Any, name: str) -> None:
    """The whole page, cut at 2000 px so long lists do not make huge images."""
    OUT.mkdir(parents=True, exist_ok=True)
    original = dict(page.viewport_size)
    height = min(2000, int(page.evaluate("() => document.documentElement.scrollHeight")))
    page.set_viewport_size({"width": original["width"], "height": max(height,
                                                                        original["height"])})
    page.screenshot(path=str(OUT / f"{name}.png"))
    page.set_viewport_size(original)


def test_screenshots_of_the_main_pages(browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url)
    page.goto("/sign-in")
    choose_language(page, "en")
    _shoot(page, "sign-in")
    sign_in(page, "doctor1@asta.demo")
    for name, path in (("professional-home", "/home"), ("profile", "/profile"),
                       ("shift-board", "/shifts?show_all=true"), ("my-shifts", "/my-shifts"),
                       ("worked-shifts", "/my-shifts/worked"), ("earnings", "/earnings")):
        page.goto(path)
        _shoot(page, name)
    page.context.close()
    for email, shots in (("scheduler.kymenlaakso@asta.demo",
                          (("scheduler-home", "/home"), ("pool", "/pool"), ("units", "/units"),
                           ("post-demand", "/demand"), ("fill-board", "/fill-board"),
                           ("matching-runs", "/matching-runs"), ("on-duty", "/on-duty"))),
                         ("admin.kymenlaakso@asta.demo", (("admin-home", "/home"),
                                                         ("dashboard", "/dashboard")))):
        page = new_page(browser, base_url)
        sign_in(page, email)
        choose_language(page, "en")
        for name, path in shots:
            page.goto(path)
            _shoot(page, name)
        page.context.close()
    page = new_page(browser, base_url)
    sign_in(page, "scheduler.kymenlaakso@asta.demo")
    choose_language(page, "en")
    page.goto("/demand/packaging")
    page.click("form[action='/demand/packaging'] button[type=submit]")
    page.wait_for_selector("#preview svg.chart")
    _shoot(page, "packaging-preview")
    page.context.close()
    page = new_page(browser, base_url, viewport=PHONE)
    sign_in(page, "scheduler.pohjanmaa@asta.demo")
    choose_language(page, "sv")
    page.goto("/pool")
    _shoot(page, "phone-pool-sv")
    page.context.close()
