"""Every page in every language: zero axe-core violations of WCAG 2.1 A and AA."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, choose_language, new_page, sign_in

pytestmark = pytest.mark.browser
LOCALES = ["fi", "sv", "en"]


def _check(page: Any, path: str, found: dict[str, Any]) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, path
    violations = axe_violations(page)
    if violations:
        found[f"{page.get_attribute('html', 'lang')} {path}"] = violations


def _first_link(page: Any, selector: str) -> str:
    href = page.get_attribute(selector, "href")
    assert href, selector
    return str(href)


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_of_a_signed_out_visitor(browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    page.goto("/sign-in")
    choose_language(page, locale)
    found: dict[str, Any] = {}
    _check(page, "/sign-in", found)
    page.fill("#f-email", "nobody@asta.demo")
    page.fill("#f-password", "wrong")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#error-summary")
    found.update({f"{locale} sign-in error": v for v in [axe_violations(page)] if v})
    assert found == {}
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_of_a_professional(browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    sign_in(page, "doctor1@asta.demo")
    choose_language(page, locale)
    found: dict[str, Any] = {}
    # The doctor's walk (test_doctor_walk) checks home, profile, the board, my shifts, the
    # shift page, earnings and the payout account in each language.
    for path in ("/onboarding", "/pool",  # /pool: the 403 page
                 "/me/payouts?refresh=1", "/me/reliability", "/me/calendar", "/me/data",
                 "/shifts?view=week"):
        _check(page, path, found)
    page.goto("/profile")
    page.fill("#f-registration_number", "12AB")
    page.click("form[action='/profile'] button[type=submit]")
    page.wait_for_selector("#error-summary")
    found.update({f"{locale} profile errors": v for v in [axe_violations(page)] if v})
    page.goto("/me/data")
    page.fill("#f-password", "not-the-password")
    page.click("form[action='/me/data/erase'] button[type=submit]")
    page.wait_for_selector("#error-summary")
    found.update({f"{locale} erasure refused": v for v in [axe_violations(page)] if v})
    assert found == {}
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_of_a_scheduler_and_an_admin(browser: Any, base_url: str, locale: str) -> None:
    found: dict[str, Any] = {}
    for email in ("scheduler.kymenlaakso@asta.demo", "admin.kymenlaakso@asta.demo"):
        page = new_page(browser, base_url)
        sign_in(page, email)
        choose_language(page, locale)
        for path in ("/home", "/pool", "/pool?language=sv&min_language_level=fluent", "/units"):
            _check(page, path, found)
        page.goto("/units")
        unit = _first_link(page, "main table a")
        _check(page, unit, found)
        page.goto("/pool")
        _check(page, _first_link(page, "#results table a"), found)
        _check(page, _first_link(page, "main section a[href*='/onboarding/']"), found)
        page.context.close()
    assert found == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_of_the_identity_flows(browser: Any, base_url: str, locale: str) -> None:
    """Links that do not work any more land on a page that says so (410)."""
    page = new_page(browser, base_url)
    page.goto("/sign-in")
    choose_language(page, locale)
    found: dict[str, Any] = {}
    for path in ("/forgot-password", "/sign-up", "/resend-verification",
                 "/reset-password?token=spent", "/verify-email?token=spent",
                 "/invitation?token=spent"):
        _check(page, path, found)
    page.goto("/sign-up")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#error-summary")
    found.update({f"{locale} sign-up errors": v for v in [axe_violations(page)] if v})
    page.context.close()
    admin = new_page(browser, base_url)
    sign_in(admin, "admin.pohjanmaa@asta.demo")
    choose_language(admin, locale)
    for path in ("/invitations", "/audit", "/audit?entity_type=user", "/audit?since=bad"):
        _check(admin, path, found)
    admin.context.close()
    assert found == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_caught_mail_pages_of_the_operator(browser: Any, base_url: str, locale: str) -> None:
    """The test server runs in development without SMTP: it catches the demo's own e-mail."""
    found: dict[str, Any] = {}
    page = new_page(browser, base_url)
    sign_in(page, "operator@asta.demo")
    choose_language(page, locale)
    _check(page, "/dev/mail", found)
    # The server's worker sends the demo's shift notices within seconds of starting.
    for _ in range(60):
        if page.locator("main table a").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    _check(page, _first_link(page, "main table a"), found)
    assert page.locator("main pre.mail-text").count() == 1
    page.context.close()
    assert found == {}
