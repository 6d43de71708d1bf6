"""The e-mailed identity flows in a real browser (every page of them is checked in all three
languages by test_accessibility), with axe-core on every page visited; the links come from
the e-mails Asta really sent. A new doctor signs up and confirms the address in
test_doctor_walk; an invited scheduler accepts in each language in test_unit_journey."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.browser.conftest import AxeLog, choose_language, new_page
from tests.integration.identity.helpers import body
from tests.integration.mail import Inbox

pytestmark = pytest.mark.browser
NEW_PASSWORD = "browser-chosen-password"
LINK = re.compile(r"https?://[^/\s]+(/[\w-]+\?token=[\w-]+)")
RESET_ACCOUNT = "professional120@asta.demo"  # no other browser test signs in as them


def link_sent_to(inbox: Inbox, address: str, seconds: float = 120) -> str:
    """The path and token of the newest link e-mailed to `address`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # Demo e-mails (shift offers, expiry warnings) go to the same people: take the link.
        links = [found.group(1) for m in inbox.messages if m["To"] == address
                 if (found := LINK.search(body(m)))]
        if links:
            return links[-1]
        time.sleep(0.5)
    raise AssertionError(f"no e-mail to {address}")


def signs_in(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/home")


def test_a_forgotten_password_is_reset_by_e_mail(browser: Any, base_url: str,
                                                  inbox: Inbox) -> None:
    locale = "fi"
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    page.goto("/sign-in")
    choose_language(page, locale)
    page.click("a[href='/forgot-password']")
    axe.check("forgot password")
    page.fill("#f-email", RESET_ACCOUNT)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[role=status]")
    axe.check("reset link sent")
    page.goto(link_sent_to(inbox, RESET_ACCOUNT))
    axe.check("choose a new password")
    page.fill("#f-password", NEW_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[role=status]")
    axe.check("password changed")
    signs_in(page, RESET_ACCOUNT, NEW_PASSWORD)
    assert axe.found == {}
    page.context.close()
