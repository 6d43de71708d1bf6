"""Signing in with the keyboard alone, and the pages on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DEMO_PASSWORD, new_page

pytestmark = pytest.mark.browser


def _focused_id(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_sign_in_works_with_the_keyboard_only(browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url)
    page.goto("/sign-in")
    for _ in range(15):
        page.keyboard.press("Tab")
        if _focused_id(page) == "f-email":
            break
    assert _focused_id(page) == "f-email"
    page.keyboard.type("doctor2@asta.demo")
    page.keyboard.press("Tab")
    assert _focused_id(page) == "f-password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/home")
    assert page.locator("h1").count() == 1
    page.context.close()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(
        browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url)
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert _focused_id(page) == "main"
    page.context.close()


def test_a_phone_sized_screen_needs_no_sideways_scrolling(browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url, viewport={"width": 360, "height": 740})
    page.goto("/sign-in")
    page.fill("#f-email", "scheduler.kymenlaakso@asta.demo")
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/home")
    for path in ("/home", "/pool", "/units"):
        page.goto(path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
    page.context.close()
