"""From the demo unit's contact history to published shifts, in Finnish, Swedish and English,
with axe-core on every page visited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from asta.core.clock import today
from asta.scheduling.demo_forecast import demo_history, demo_run_day
from tests.browser.conftest import KAIKU, AxeLog, choose_language, new_page, sign_in

pytestmark = pytest.mark.browser
DEMO = Path(__file__).resolve().parents[2] / "asta" / "demo_data" / \
    "kaiku24_contact_history.csv"
# Each language forecasts its own day, clear of the other journeys' days.
FORECAST_DAY = {"fi": 30, "sv": 31, "en": 32}
# The demo's stored forecast of a day the imported file records (asta.scheduling.demo_forecast).
DEMO_RUN_DAY = demo_run_day(demo_history())


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_scheduler_forecasts_from_history_and_publishes(
        browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    sign_in(page, "scheduler.kymenlaakso@asta.demo")
    choose_language(page, locale)
    page.goto("/demand/forecast")
    page.select_option("#f-unit_id", label=KAIKU[locale])
    page.click("form[action='/demand/forecast'][method=get] button")
    axe.check("forecast page")
    page.set_input_files("#f-file", str(DEMO))
    page.click("form[action='/demand/forecast/history'] button")
    page.wait_for_selector(".notice.success")
    axe.check("history imported")
    assert page.locator("#too-short").count() == 0
    day = today() + timedelta(days=FORECAST_DAY[locale])
    page.fill("#f-day", day.isoformat())
    page.select_option("#f-quantile", "0.9")
    page.click("form[action='/demand/forecast'][method=post] button")
    page.wait_for_selector("#forecast-run svg.chart")
    axe.check("forecast with backtest")
    assert page.locator("#backtest dd").count() == 4
    assert page.locator("#queue-model").inner_text().startswith("Erlang A")  # hang-ups recorded
    runs = page.get_attribute("#earlier-forecasts", "href")
    run_id = page.input_value("#forecast-run input[name=forecast_run]")
    page.click("#forecast-run form[action='/demand/packaging'] button[type=submit]")
    page.wait_for_selector("#preview svg.chart")
    axe.check("packaging preview of the forecast")
    assert page.locator("#preview svg.chart polygon.chart-band").count() == 1
    page.click("form[action='/demand/packaging/publish'] button")
    page.wait_for_url("**/matching-runs?*")
    assert "published=" in page.url
    page.goto(str(runs))
    axe.check("earlier forecasts")
    page.click(f"#forecast-runs a:has(time[datetime='{DEMO_RUN_DAY}'])")
    page.wait_for_selector("#outcome-facts")
    axe.check("a forecast beside what came")
    assert page.locator("#outcome-facts dd").count() == 5  # error, band, target, both totals
    assert page.locator("#outcome svg.chart polygon.chart-band").count() == 1
    page.go_back()
    page.click(f"#forecast-runs a[href='/demand/forecast/runs/{run_id}']")
    page.wait_for_selector("#outcome svg.chart")
    assert page.locator("#no-outcome").count() == 1  # its day has not come yet
    assert axe.found == {}
    page.context.close()
