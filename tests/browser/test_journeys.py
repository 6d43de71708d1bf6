"""The three main journeys, each in Finnish, Swedish and English, with axe-core run on every
page visited (zero WCAG 2.1 A/AA violations allowed)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from asta.core.clock import today
from asta.web.emails import LINKS
from asta.web.i18n.catalogue import gettext
from asta.web.i18n.formatting import HELSINKI
from tests.browser.conftest import KAIKU, AxeLog, choose_language, new_page, sign_in
from tests.browser.test_unit_journey import api_token
from tests.integration.identity.helpers import body
from tests.integration.mail import Inbox

pytestmark = pytest.mark.browser
LOCALES = ["fi", "sv", "en"]
# Each language plans its own day, past the demo's two weeks of shifts, so runs do not meet.
PLAN_DAY = {"fi": 20, "sv": 21, "en": 22}
# The demo's unit in each language (asta.web.demo_texts).


@pytest.mark.parametrize("locale", LOCALES)
def test_a_doctor_claims_an_eligible_shift_and_sees_it_in_my_shifts(
        browser: Any, base_url: str, locale: str) -> None:
    # English runs at phone size: the doctor's journey must work on a phone.
    phone = {"viewport": {"width": 390, "height": 844}} if locale == "en" else {}
    page = new_page(browser, base_url, **phone)
    axe = AxeLog(page)
    sign_in(page, "doctor1@asta.demo")
    choose_language(page, locale)
    axe.check("home")
    page.goto("/shifts")
    page.fill("#f-from", today().isoformat())
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**from=*")  # the filter is kept in the URL
    axe.check("filtered shift board")
    claimed = ""
    for attempt in range(6):  # a claim may race another language's run
        page.goto("/shifts")
        shift = page.locator("article.shift:has(form[action$='/claim'])").nth(attempt)
        claimed = str(shift.locator("h3").inner_text())
        shift.locator("form[action$='/claim'] button").click()
        page.wait_for_load_state()
        if "/my-shifts" in page.url:
            break
        assert page.locator("#error-summary").count() == 1  # a refusal names its rule
    assert "/my-shifts" in page.url
    axe.check("my shifts")
    assert page.locator(".notice.success").count() == 1
    assert page.evaluate("document.activeElement.id") == "result-message"
    assert claimed in page.locator("main").inner_text()
    # The shifts this doctor cannot take say the exact rule (e.g. the profession).
    page.goto("/shifts?show_all=true")
    axe.check("shift board with refusals")
    assert page.locator("ul.refusals li").count() >= 1
    page.locator("main h2 a, main h3 a").filter(has_text=claimed).first.click()
    page.wait_for_url("**/shifts/*")
    axe.check("shift page")
    assert page.locator("main table").count() == 1  # the pay breakdown
    page.goto("/no-such-page")
    axe.check("404 page")
    assert page.locator(f"html[lang='{locale}'] h1").count() == 1
    assert axe.found == {}
    page.context.close()


# A doctor of the demo's history per language: approved pay waits for a payout account.
PAYEE = {"fi": "doctor2@asta.demo", "sv": "doctor3@asta.demo", "en": "doctor4@asta.demo"}
PAID = {"fi": "Maksettu tilillesi", "sv": "Betald till ditt konto", "en": "Paid to your account"}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_doctor_sets_up_payouts_and_sees_the_pay_paid(
        browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url, viewport={"width": 390, "height": 844})
    axe = AxeLog(page)
    sign_in(page, PAYEE[locale])
    choose_language(page, locale)
    page.goto("/earnings")
    page.click("main .notice a[href='/me/payouts']")
    page.wait_for_url("**/me/payouts")
    axe.check("payout account, none yet")
    # To Stripe's hosted onboarding (the stand-in) and back to the return page.
    page.click("form[action='/me/payouts/setup'] button")
    page.wait_for_url("**/me/payouts?done=1")
    # Ready once Stripe's account.updated has arrived; the page asks again by itself.
    page.wait_for_selector("#result-message", timeout=30_000)
    axe.check("payout account ready")
    assert page.locator("form[action='/me/payouts/setup']").count() == 0
    # The waiting pay is sent by the payout jobs (queued each minute, sent every 10 s).
    page.goto("/earnings")
    paid = page.locator(f"main td:text-is('{PAID[locale]}')")
    for _ in range(60):
        if paid.count() >= 1:
            break
        page.wait_for_timeout(2_000)
        page.reload()
    assert paid.count() >= 1
    assert page.locator("main .notice.warning").count() == 0
    axe.check("earnings, paid")
    assert axe.found == {}
    page.context.close()


# Demo doctors no other browser test uses: one holds the shift, the other stands by for it.
HOLDER = {"fi": "doctor11@asta.demo", "sv": "doctor12@asta.demo", "en": "doctor13@asta.demo"}
STANDBY = {"fi": "doctor14@asta.demo", "sv": "doctor15@asta.demo", "en": "doctor16@asta.demo"}


def _full_shift_tomorrow(base_url: str, locale: str) -> tuple[str, str]:
    """A one-position shift of Kaiku24 starting tomorrow (inside its 48-hour notice period),
    taken by HOLDER: (shift id, the holder's assignment id)."""
    staff = api_token(base_url, "scheduler.kymenlaakso@asta.demo")
    areas = httpx.get(f"{base_url}/api/organisations", headers=staff, timeout=10).json()
    unit = next(u for area in areas for u in httpx.get(
        f"{base_url}/api/organisations/{area['id']}/units", headers=staff, timeout=10).json()
        if u["name"] == KAIKU["en"])
    hour = {"fi": 10, "sv": 11, "en": 12}[locale]  # one shift per language
    start = datetime.combine(today() + timedelta(days=1), datetime.min.time(), HELSINKI)
    start += timedelta(hours=hour)
    shift = {"profession": "doctor", "is_remote": True, "positions": 1,
             "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat()}
    posted = httpx.post(f"{base_url}/api/units/{unit['id']}/shifts", headers=staff,
                        json={"shifts": [shift], "publish": True}, timeout=10)
    assert posted.status_code == 201, posted.text
    shift_id = posted.json()[0]["id"]
    claimed = httpx.post(f"{base_url}/api/shifts/{shift_id}/claim",
                         headers=api_token(base_url, HOLDER[locale]), timeout=10)
    assert claimed.status_code == 201 and claimed.json()["status"] == "confirmed", claimed.text
    return shift_id, claimed.json()["id"]


def _offer_link(inbox: Inbox, address: str, locale: str, shift_id: str, seen: int) -> str:
    """The path in the standby offer e-mailed to `address` after the first `seen` e-mails."""
    answer = gettext(locale, LINKS["standby_offer"]).split("{link}")[0]
    link = re.compile(r"https?://[^/\s]+(/shifts/" + shift_id + ")")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in inbox.messages[seen:]:
            text = body(message)
            if message["To"] == address and answer in text and (found := link.search(text)):
                return found.group(1)
        time.sleep(0.5)
    raise AssertionError(f"no standby offer e-mailed to {address}")


@pytest.mark.parametrize("locale", LOCALES)
def test_a_doctor_takes_a_standby_offer_from_its_e_mail_and_cancels_late(
        browser: Any, base_url: str, inbox: Inbox, locale: str) -> None:
    shift_id, holder_assignment = _full_shift_tomorrow(base_url, locale)
    page = new_page(browser, base_url, viewport={"width": 390, "height": 844})
    axe = AxeLog(page)
    sign_in(page, STANDBY[locale])
    choose_language(page, locale)  # the e-mails follow the language chosen
    page.goto(f"/shifts/{shift_id}")
    axe.check("full shift")
    page.click(f"#standby-{shift_id}")
    page.wait_for_url("**/my-shifts?done=waitlisted")
    axe.check("standing by")
    assert page.evaluate("document.activeElement.id") == "result-message"

    # The holder cancels: the freed position is offered to the first in line, by e-mail.
    seen = len(inbox.messages)
    cancelled = httpx.post(f"{base_url}/api/assignments/{holder_assignment}/cancel",
                           headers=api_token(base_url, HOLDER[locale]),
                           json={"reason": "Ill"}, timeout=10)
    assert cancelled.status_code == 200, cancelled.text
    page.goto(_offer_link(inbox, STANDBY[locale], locale, shift_id, seen))
    axe.check("shift page with the offer")
    page.click("form[action$='/accept'] button")
    page.wait_for_url("**/my-shifts?done=offer_taken")
    axe.check("offer taken, late cancellation warned")
    taken = page.locator("article.card").filter(
        has=page.locator(f"a[href='/shifts/{shift_id}']"))
    # Tomorrow is inside the unit's 48 hours: cancelling now would count as late.
    assert taken.locator(".notice.warning").count() == 1
    taken.locator("input[name=reason]").fill("Ill")
    taken.locator("button[type=submit]").click()
    page.wait_for_url("**/my-shifts?done=cancelled")
    axe.check("cancelled")
    assert taken.locator("form").count() == 0  # nothing left to cancel
    assert axe.found == {}
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_scheduler_packages_publishes_matches_and_accepts(
        browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    sign_in(page, "scheduler.kymenlaakso@asta.demo")
    choose_language(page, locale)
    page.goto("/demand")
    axe.check("post demand")
    page.goto("/demand/packaging")
    axe.check("packaging form")
    day = today() + timedelta(days=PLAN_DAY[locale])
    page.select_option("#f-unit_id", label=KAIKU[locale])
    page.fill("#f-day", day.isoformat())
    page.fill("#f-first_hour", "10:00")
    page.check("#f-source-required")
    page.fill("#f-required", "2, 2, 2, 2")
    page.fill("#f-start_hours", "10")
    page.fill("#f-lengths_h", "4")
    page.click("form[action='/demand/packaging'] button[type=submit]")
    page.wait_for_selector("#preview svg.chart")
    axe.check("packaging preview")
    page.click("form[action='/demand/packaging/publish'] button")
    page.wait_for_url("**/matching-runs?*")
    axe.check("start matching")
    page.select_option("#f-time_limit", "5")
    page.click("form[action='/matching-runs'] button[type=submit]")
    page.wait_for_url("**/matching-runs/*")
    # htmx swaps the finished result in; no reload is needed.
    page.wait_for_selector("#run:not([hx-trigger])", timeout=90_000)
    assert page.locator("button[name=which][value=all]").count() == 1, page.inner_text("#run")
    axe.check("matching run, finished")
    page.click("button[name=which][value=all]")
    page.wait_for_url("**accepted=true")
    axe.check("matching run, accepted")
    accepted = {"fi": "Hyväksytty", "sv": "Godkänd", "en": "Accepted"}[locale]
    assert page.locator(f"td:has-text('{accepted}')").count() >= 1
    page.goto(f"/fill-board?week={day.isoformat()}")
    axe.check("fill board")
    assert page.locator(".state-filled").count() >= 1
    page.goto("/on-duty")
    axe.check("on duty")
    assert axe.found == {}
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_an_admin_sees_the_dashboard_charts(browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    sign_in(page, "admin.kymenlaakso@asta.demo")
    choose_language(page, locale)
    page.click("nav.menu a[href='/dashboard']")
    page.wait_for_selector("svg.chart")
    axe.check("dashboard")
    assert page.locator("figure.chart-figure svg.chart").count() == 7
    page.locator("figure.chart-figure summary").first.click()
    assert page.locator("figure.chart-figure table").first.is_visible()
    page.select_option("#f-unit_id", label=KAIKU[locale])
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**unit_id=*")
    axe.check("dashboard for a unit")
    href = page.get_attribute("a[href^='/api/metrics/timeseries.csv']", "href")
    csv = page.request.get(str(href))
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert axe.found == {}
    page.context.close()
