"""A new doctor's whole walk, from sign-up to the first payout, once in each language
(Finnish on a desktop, Swedish and English on a phone), with axe-core on every page visited.

The unit's side (onboarding, the registration check, approving the hours) is done by its
staff in their own browsers; only what the staff post and what the other doctor does (holding
and cancelling the full shift) goes through the API. Times come from the server's clock: the
worked shift is posted to start half a minute ahead and really starts during the walk, so the
timesheet is for a shift that has begun, as the product requires.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest

from asta.web.emails import LINKS
from asta.web.i18n.catalogue import gettext
from asta.web.i18n.formatting import HELSINKI
from tests.browser.conftest import (
    KAIKU,
    AxeLog,
    choose_language,
    new_page,
    server_now,
    sign_in,
)
from tests.browser.test_identity_journeys import link_sent_to
from tests.browser.test_unit_journey import api_token
from tests.integration.identity.helpers import body
from tests.integration.mail import Inbox

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}}
VIEWPORT: dict[str, dict[str, Any]] = {"fi": {}, "sv": PHONE, "en": PHONE}
PASSWORD = "walking-doctor-password"
SCHEDULER = "scheduler.kymenlaakso@asta.demo"
ADMIN = "admin.kymenlaakso@asta.demo"
# A demo doctor no other browser test uses holds the full shift the walker stands by for.
HOLDER = {"fi": "doctor11@asta.demo", "sv": "doctor12@asta.demo", "en": "doctor13@asta.demo"}
# The rest rule, word for word in each language, as the walker meets it: 2 h after the
# worked shift where the unit requires 11 h.
REST_REFUSAL = {
    "fi": "Vuorojen väliin jäisi vain 2 h lepoa; yksikkö edellyttää 11 h.",
    "sv": "Endast 2 h vila mellan passen; enheten kräver 11 h.",
    "en": "Only 2 h rest between shifts; the unit requires 11 h.",
}
# The pay's last state: sent to the payout account, then paid out to the bank by the Stripe
# stand-in's automatic payout (payout.paid).
PAID_OUT = {"fi": "Maksettu pankkiisi", "sv": "Utbetald till din bank",
            "en": "Paid out to your bank"}
WORKED_MINUTES = 15
LEAD_S = 20  # the worked shift starts this long after it is posted: after the claim


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_new_doctor_walks_from_sign_up_to_the_first_payout(
        browser: Any, base_url: str, inbox: Inbox, locale: str) -> None:
    name = f"Walking Doctor {locale}"
    email = f"walk.{locale}@asta.test"
    page = new_page(browser, base_url, **VIEWPORT[locale])
    staff = new_page(browser, base_url)
    axe, staff_axe = AxeLog(page), AxeLog(staff)

    _sign_up(page, axe, inbox, locale, name, email)
    _fill_profile(page, axe, locale)
    user_id = _onboard(staff, staff_axe, locale, name)
    _check_registration(browser, base_url, locale, user_id)
    page.goto("/profile")
    assert page.locator("main .status-verified").count() == 2  # registration, onboarding

    shifts = _post_shifts(base_url, locale)
    _claim_from_filtered_board(page, axe, locale, shifts)
    _stand_by_take_the_offer_and_cancel_late(page, axe, base_url, inbox, locale, email, shifts)
    _report_and_approve_hours(page, axe, staff, staff_axe, shifts, name)
    _set_up_payouts_and_see_the_pay(page, axe, locale)

    page.goto("/no-such-page")
    axe.check("404 page")
    assert page.locator(f"html[lang='{locale}'] h1").count() == 1
    assert axe.found == {} and staff_axe.found == {}
    page.context.close()
    staff.context.close()


def _sign_up(page: Any, axe: AxeLog, inbox: Inbox, locale: str, name: str, email: str) -> None:
    page.goto("/sign-in")
    choose_language(page, locale)
    page.click("a[href='/sign-up']")
    axe.check("sign-up")
    page.fill("#f-full_name", name)
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[role=status]")
    axe.check("confirmation sent")
    page.goto(link_sent_to(inbox, email))
    axe.check("confirm the address")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[role=status]")
    axe.check("address confirmed")
    page.goto("/sign-in")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/home")
    assert page.get_attribute("html", "lang") == locale
    axe.check("home, new account")


def _fill_profile(page: Any, axe: AxeLog, locale: str) -> None:
    page.goto("/profile")
    axe.check("profile, empty")
    page.select_option("#f-locale", locale)
    page.select_option("#f-profession", "doctor")
    page.fill("#f-registration_number", "123456789")
    # Skills are picked from the list by their names in the page's language.
    page.get_by_label(gettext(locale, "E-prescription"), exact=True).check()
    page.get_by_label(gettext(locale, "General practice"), exact=True).check()
    page.select_option("#f-languages-0-code", "fi")
    page.select_option("#f-languages-0-level", "native")
    # Available from the worked shift's day into the next (whatever the clock): a night time
    # (its end before its start runs past midnight) and the next day's own time.
    weekday = (server_now() + timedelta(seconds=LEAD_S)).astimezone(HELSINKI).isoweekday()
    for row, (day, starts, ends) in enumerate(((weekday, "00:01", "00:00"),
                                               (weekday % 7 + 1, "00:00", "23:59"))):
        page.select_option(f"#f-weekly_availability-{row}-weekday", str(day))
        page.fill(f"#f-weekly_availability-{row}-starts", starts)
        page.fill(f"#f-weekly_availability-{row}-ends", ends)
    page.click("form[action='/profile'] button[type=submit]")
    page.wait_for_url("**/profile*")
    assert page.locator(".notice.success").count() == 1, page.inner_text("main")
    axe.check("profile saved")
    assert page.locator("#f-competences-e_prescription").is_checked()


def _onboard(staff: Any, axe: AxeLog, locale: str, name: str) -> str:
    """The unit's scheduler finds the new doctor in the pool and records the onboarding."""
    sign_in(staff, SCHEDULER)
    choose_language(staff, locale)
    staff.goto("/pool")
    staff.fill("#f-name", name)
    staff.locator("form[action='/pool'] button[type=submit]").first.click()
    staff.wait_for_url("**name=*")
    axe.check("pool search")
    staff.locator("main a[href^='/pool/']").filter(has_text=name).first.click()
    staff.wait_for_url(re.compile(r"/pool/[0-9a-f-]{36}$"))
    axe.check("professional")
    user_id = staff.url.rsplit("/", 1)[1]
    staff.locator("main a[href*='/onboarding/']").filter(has_text=KAIKU[locale]).click()
    staff.wait_for_url("**/onboarding/*")
    checklist = staff.locator(f"form[action$='/onboarding/{user_id}']")
    for box in checklist.locator("input[name=item]").all():
        box.check()
    checklist.locator("button[type=submit]").click()
    staff.wait_for_url("**saved=true")
    axe.check("onboarding recorded")
    assert staff.locator("main .status-verified").count() == 1  # complete
    return user_id


def _check_registration(browser: Any, base_url: str, locale: str, user_id: str) -> None:
    """The area's admin records what Valvira's register says, on the doctor's pool page."""
    admin = new_page(browser, base_url)
    axe = AxeLog(admin)
    sign_in(admin, ADMIN)
    choose_language(admin, locale)
    admin.goto(f"/pool/{user_id}")
    axe.check("professional, registration to check")
    admin.select_option("#f-status", "verified")
    admin.click(f"form[action='/pool/{user_id}/registration'] button[type=submit]")
    admin.wait_for_url("**checked=verified")
    axe.check("registration checked")
    assert admin.locator("#result-message").count() == 1
    assert axe.found == {}
    admin.context.close()


def _post_shifts(base_url: str, locale: str) -> dict[str, Any]:
    """The unit's new shifts, by the server's clock: one about to start (to be worked), one
    2 hours after it (too little rest) and a full one tomorrow, held by the other doctor."""
    staff = api_token(base_url, SCHEDULER)
    areas = httpx.get(f"{base_url}/api/organisations", headers=staff, timeout=10).json()
    unit = next(u for area in areas for u in httpx.get(
        f"{base_url}/api/organisations/{area['id']}/units", headers=staff, timeout=10).json()
        if u["name"] == KAIKU["en"])
    now = server_now()
    worked = now.replace(microsecond=0) + timedelta(seconds=LEAD_S)
    worked_end = worked + timedelta(minutes=WORKED_MINUTES)
    too_soon = worked_end + timedelta(hours=2)
    tomorrow = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=25)
    spans = {"worked": (worked, worked_end), "too_soon": (too_soon, too_soon + timedelta(hours=2)),
             "full": (tomorrow, tomorrow + timedelta(hours=4))}
    ids: dict[str, Any] = {"unit_id": unit["id"], "worked_at": worked, "too_soon_at": too_soon}
    for key, (start, end) in spans.items():
        posted = httpx.post(f"{base_url}/api/units/{unit['id']}/shifts", headers=staff, json={
            "shifts": [{"profession": "doctor", "is_remote": True, "positions": 1,
                        # The holder is not onboarded at the unit, so the full one asks none.
                        "onboarding_required": key != "full", "starts_at": start.isoformat(),
                        "ends_at": end.isoformat()}], "publish": True}, timeout=10)
        assert posted.status_code == 201, posted.text
        ids[key] = posted.json()[0]["id"]
    held = httpx.post(f"{base_url}/api/shifts/{ids['full']}/claim",
                      headers=api_token(base_url, HOLDER[locale]), timeout=10)
    assert held.status_code == 201 and held.json()["status"] == "confirmed", held.text
    ids["holder_assignment"] = held.json()["id"]
    return ids


def _claim_from_filtered_board(page: Any, axe: AxeLog, locale: str,
                               shifts: dict[str, Any]) -> None:
    page.goto("/shifts")
    page.fill("#f-from", shifts["worked_at"].astimezone(HELSINKI).date().isoformat())
    page.fill("#f-to", shifts["too_soon_at"].astimezone(HELSINKI).date().isoformat())
    page.select_option("#f-unit", label=KAIKU[locale])
    page.check("#f-fits")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**fits=true*")  # the filters are kept in the URL
    axe.check("filtered shift board")
    worked = shifts["worked"]
    # The shift 2 hours after it is offered too, until the walker holds the first one.
    assert page.locator(f"#claim-{shifts['too_soon']}").count() == 1
    page.click(f"#claim-{worked}")
    page.wait_for_url("**/my-shifts?done=claimed")
    axe.check("my shifts, claimed")
    assert page.evaluate("document.activeElement.id") == "result-message"
    assert page.locator(f"main a[href='/shifts/{worked}']").count() >= 1

    # Now the next shift would leave too little rest: no button, and the exact rule.
    page.go_back()
    page.reload()
    page.check("#f-show_all")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**show_all=true*")
    axe.check("filtered board with refusals")
    refused = page.locator("article.shift").filter(
        has=page.locator(f"a[href='/shifts/{shifts['too_soon']}']"))
    assert refused.locator("form").count() == 0
    assert refused.locator("ul.refusals li").all_inner_texts() == [REST_REFUSAL[locale]]
    page.goto(f"/shifts/{shifts['too_soon']}")
    axe.check("shift page, refused")
    assert page.locator("ul.refusals li").all_inner_texts() == [REST_REFUSAL[locale]]
    page.goto(f"/shifts/{worked}")
    assert page.locator("main table").count() == 1  # the pay breakdown


def _stand_by_take_the_offer_and_cancel_late(page: Any, axe: AxeLog, base_url: str,
                                             inbox: Inbox, locale: str, email: str,
                                             shifts: dict[str, Any]) -> None:
    full = shifts["full"]
    page.goto(f"/shifts/{full}")
    axe.check("full shift")
    page.click(f"#standby-{full}")
    page.wait_for_url("**/my-shifts?done=waitlisted")
    assert page.evaluate("document.activeElement.id") == "result-message"
    # The other doctor cancels: the freed position is offered to the first in line by e-mail.
    seen = len(inbox.messages)
    cancelled = httpx.post(f"{base_url}/api/assignments/{shifts['holder_assignment']}/cancel",
                           headers=api_token(base_url, HOLDER[locale]),
                           json={"reason": "Ill"}, timeout=10)
    assert cancelled.status_code == 200, cancelled.text
    page.goto(_offer_link(inbox, email, locale, full, seen))
    axe.check("shift page with the offer")
    page.click("form[action$='/accept'] button")
    page.wait_for_url("**/my-shifts?done=offer_taken")
    axe.check("offer taken, late cancellation warned")
    taken = page.locator("article.card").filter(has=page.locator(f"a[href='/shifts/{full}']"))
    # Tomorrow is inside the unit's 48 hours: cancelling now would count as late.
    assert taken.locator(".notice.warning").count() == 1
    taken.locator("input[name=reason]").fill("Ill")
    taken.locator("button[type=submit]").click()
    page.wait_for_url("**/my-shifts?done=cancelled")
    assert taken.locator("form").count() == 0  # nothing left to cancel


def _report_and_approve_hours(page: Any, axe: AxeLog, staff: Any, staff_axe: AxeLog,
                              shifts: dict[str, Any], name: str) -> None:
    """The walker reports the worked shift's hours once it has begun; the scheduler approves."""
    while server_now() < shifts["worked_at"]:
        time.sleep(0.2)  # only when the walk so far took less than LEAD_S
    page.goto("/my-shifts/worked")
    report = page.locator("main a[href$='/timesheet']")
    for _ in range(20):  # the server's clock may lag ours by a second or two
        if report.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    axe.check("worked shifts")
    assert report.count() == 1, page.inner_text("main")
    page.click("main a[href$='/timesheet']")
    page.wait_for_url("**/timesheet")
    axe.check("timesheet form")
    page.fill("#f-contacts_handled", "6")
    page.fill("#f-resolved_remotely", "5")
    page.fill("#f-referred_to_health_station", "1")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/my-shifts/worked?sent=true")
    assert page.locator("main a[href$='/timesheet']").count() == 0

    staff.goto("/timesheets")
    staff_axe.check("timesheets to approve")
    sheet = staff.locator("main section.card").filter(has_text=name)
    sheet.locator("button.primary").click()
    staff.wait_for_url("**approved=1")
    assert staff.locator("main section.card").filter(has_text=name).count() == 0


def _set_up_payouts_and_see_the_pay(page: Any, axe: AxeLog, locale: str) -> None:
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
    # The approved pay is sent once the account is ready; Stripe then pays it out to the bank.
    page.goto("/earnings")
    paid = page.locator(f"main td:text-is('{PAID_OUT[locale]}')")
    for _ in range(60):
        if paid.count() >= 1:
            break
        page.wait_for_timeout(1_000)
        page.reload()
    assert paid.count() == 1
    assert page.locator("main .notice.warning").count() == 0
    bank = page.locator("section[aria-labelledby=payouts-heading] tbody tr")
    assert bank.count() == 1 and "–" not in bank.locator("th").inner_text()  # arrival date
    axe.check("earnings, paid out to the bank")


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
