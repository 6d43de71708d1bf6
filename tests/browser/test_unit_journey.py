"""An area admin runs a new unit from the pages, in Finnish, Swedish and English: creates it
with its rules (after an error), posts drafts, edits one, publishes the rest, approves a
doctor's request, offers a shift to a named doctor and invites a second scheduler, who accepts
from the e-mailed link, corrects a timesheet with a reason (after trying without one) and
approves others at once. axe checks every page visited."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from asta.core.clock import today
from tests.browser.conftest import DEMO_PASSWORD, AxeLog, choose_language, new_page, sign_in
from tests.browser.test_identity_journeys import NEW_PASSWORD, link_sent_to, signs_in
from tests.integration.identity.helpers import body
from tests.integration.mail import Inbox

pytestmark = pytest.mark.browser
LOCALES = ["fi", "sv", "en"]
# Each language's unit works its own weekday, well past the demo's shifts.
DAYS_AHEAD = {"fi": 40, "sv": 41, "en": 42}
ASKER = {"fi": "doctor3@asta.demo", "sv": "doctor4@asta.demo", "en": "doctor5@asta.demo"}
OFFERED = {"fi": "doctor6@asta.demo", "sv": "doctor8@asta.demo", "en": "doctor9@asta.demo"}
# Each language's reason, so each run finds its own e-mail to the professional.
REASON = {"fi": "Tauko kesti pidempään", "sv": "Pausen var längre", "en": "The break ran longer"}


def weekday(days_ahead: int) -> date:
    day = today() + timedelta(days=days_ahead)
    while day.isoweekday() > 5:  # the demand form's default weekdays are Monday to Friday
        day += timedelta(days=7)
    return day


def api_token(base_url: str, email: str) -> dict[str, str]:
    answer = httpx.post(f"{base_url}/api/auth/token",
                        json={"email": email, "password": DEMO_PASSWORD}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.mark.parametrize("locale", LOCALES)
def test_an_admin_creates_a_unit_and_fills_its_shifts(browser: Any, base_url: str,
                                                      inbox: Inbox, locale: str) -> None:
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    sign_in(page, "admin.kymenlaakso@asta.demo")
    choose_language(page, locale)
    name = f"Yövastaanotto {locale}"

    # A unit with its rules: first a rest time the Working Hours Act does not allow.
    page.goto("/units")
    page.locator("main a[href$='/units/new']").first.click()
    page.wait_for_url("**/units/new")
    page.fill("#f-name", name)
    page.select_option("#f-claim_mode", "request")
    page.select_option("#f-default_visibility", "national")
    page.fill("#f-min_rest_hours", "9")
    page.fill("#f-rate_card-base_hourly_cents-doctor", "95,50")
    page.click("form button.primary")
    page.wait_for_selector("#error-summary")
    assert page.locator("#f-min_rest_hours-error").count() == 1
    axe.check("unit form with an error")
    page.fill("#f-min_rest_hours", "12")
    page.click("form button.primary")
    page.wait_for_url("**saved=created")
    axe.check("new unit")
    assert name in page.locator("h1").inner_text()
    unit_page = page.url.split("?")[0]
    page.goto(unit_page + "/edit")
    axe.check("unit edit form")
    page.goto(unit_page + "?find=a#mark-find-h")  # candidates for a favourite or a block
    assert page.locator("input[name=professional_id]").count() >= 1
    axe.check("unit page with candidates to mark")

    # Drafts from the demand form: two blocks on one day become two drafts.
    day = weekday(DAYS_AHEAD[locale])
    page.goto("/demand")
    page.select_option("#pattern-unit_id", label=name)  # the pattern form's own ids
    page.fill("#pattern-first_date", day.isoformat())
    page.fill("#pattern-last_date", day.isoformat())
    page.uncheck("#pattern-publish")
    page.click("form[action='/demand/pattern'] button.primary")
    page.wait_for_url("**/fill-board?*posted=2*")
    axe.check("fill board with drafts")
    drafts = page.locator("input[name=shift_ids]")
    assert drafts.count() == 2

    # Edit the first draft: one professional instead of three.
    page.locator("main table tbody th a").first.click()
    page.wait_for_url("**/fill-board/shifts/*")
    first = page.url
    page.click("main a[href$='/edit']")
    page.wait_for_url("**/edit")
    page.fill("#f-positions", "0")
    page.click("form button.primary")
    page.wait_for_selector("#error-summary")
    axe.check("draft form with an error")
    page.fill("#f-positions", "1")
    page.click("form button.primary")
    page.wait_for_url("**done=edit")
    axe.check("edited draft")

    # Publish both from the fill board.
    page.click("main p a[href^='/fill-board?']")
    page.wait_for_url("**/fill-board?*")
    for box in page.locator("input[name=shift_ids]").all():
        box.check()
    page.click("form[action='/fill-board/publish'] button.primary")
    page.wait_for_url("**published=2*")
    axe.check("published")

    # A doctor requests the first shift (a request-and-approve unit); the admin approves.
    shift_id = first.rstrip("/").split("/")[-1]
    asked = httpx.post(f"{base_url}/api/shifts/{shift_id}/claim",
                       headers=api_token(base_url, ASKER[locale]), timeout=10)
    assert asked.status_code == 201 and asked.json()["status"] == "requested", asked.text
    page.goto(first)
    page.click("form[action$='/approve'] button")
    page.wait_for_url("**done=approve")
    axe.check("request approved")

    # The second shift is offered to a named doctor.
    offered = httpx.get(f"{base_url}/api/me", headers=api_token(base_url, OFFERED[locale]),
                        timeout=10).json()["full_name"]
    page.click("main p a[href^='/fill-board?']")  # the unit's week
    page.wait_for_url("**/fill-board?*")
    page.locator("main table tbody th a").nth(1).click()
    page.wait_for_url("**/fill-board/shifts/*")
    page.fill("#offer-find", offered)
    page.click("form[role=search] button")
    page.wait_for_selector("ul.candidates")
    axe.check("offer candidates")
    page.locator("ul.candidates button").first.click()
    page.wait_for_url("**done=offer")
    axe.check("offered")

    # A second scheduler: invited by e-mail, accepts in a browser of their own, signs in.
    invitee = f"scheduler2.{locale}@asta.test"
    page.goto("/invitations")
    page.fill("#f-email", invitee)
    page.select_option("#f-role", "scheduler")
    page.select_option("#f-locale", locale)
    page.click("form[action='/invitations'] button[type=submit]")
    page.wait_for_selector(f"th:has-text('{invitee}')")
    axe.check("invitation sent")
    page.goto("/audit?entity_type=invitation")  # the page is axe-checked by test_accessibility
    assert page.locator("main table tbody tr").count() >= 1
    page.context.close()
    second = new_page(browser, base_url)
    axe.page = second
    second.goto(link_sent_to(inbox, invitee))
    axe.check("accept the invitation")
    second.fill("#f-full_name", f"Scheduler Two {locale}")
    second.fill("#f-password", NEW_PASSWORD)
    second.click("form.card button[type=submit]")
    second.wait_for_selector("[role=status]")
    axe.check("welcome")
    signs_in(second, invitee, NEW_PASSWORD)
    choose_language(second, locale)

    # They correct the oldest waiting timesheet: first without a reason, which is refused.
    second.goto("/timesheets")
    axe.check("timesheets")
    card = second.locator("main section.card").first
    key = str(card.get_attribute("aria-labelledby")).removeprefix("ts-")
    minutes = second.locator(f"#break_minutes-{key}")
    minutes.fill(str(int(minutes.input_value()) + 30))
    card.locator("form button.primary").click()
    second.wait_for_selector(f"#correction_note-{key}-error")
    axe.check("correction without a reason")
    second.fill(f"#correction_note-{key}", REASON[locale])
    second.locator(f"section[aria-labelledby='ts-{key}'] form button.primary").click()
    second.wait_for_url("**approved=1")
    axe.check("corrected timesheet approved")
    # The professional hears of the correction and its reason by e-mail.
    assert _mailed(inbox, REASON[locale])["To"].startswith("doctor")
    # Two more as reported, at once (the rest are left to the other languages' runs).
    boxes = second.locator("input[name=assignment_ids]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    second.click("#bulk-approve button")
    second.wait_for_url("**approved=2")
    axe.check("timesheets approved at once")
    assert axe.found == {}
    second.context.close()


def _mailed(inbox: Inbox, text: str) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in inbox.messages:
            if text in body(message):
                return message
        time.sleep(0.5)
    raise AssertionError(f"no e-mail says {text!r}")
