"""The staff's main journeys, each in Finnish, Swedish and English, with axe-core run on every
page visited (zero WCAG 2.1 A/AA violations allowed). The doctor's whole walk is in
test_doctor_walk.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from asta.core.clock import today
from tests.browser.conftest import KAIKU, AxeLog, choose_language, new_page, sign_in

pytestmark = pytest.mark.browser
LOCALES = ["fi", "sv", "en"]
# Each language plans its own day, past the demo's two weeks of shifts, so runs do not meet.
PLAN_DAY = {"fi": 20, "sv": 21, "en": 22}
PHONE = {"width": 360, "height": 740}
SIDEWAYS = "selector => { const e = document.querySelector(selector); return e.scrollWidth - e.clientWidth; }"


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
    # On a phone each proposal is a card: the table needs no sideways scrolling, and axe passes.
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    assert page.evaluate(SIDEWAYS, ".table-wrap") <= 0
    assert page.locator("table.stack td[data-label]").first.evaluate(
        "td => getComputedStyle(td, '::before').content") != "none"
    axe.check("matching run, finished, on a phone")
    page.set_viewport_size(desktop)
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
