"""The scheduler's pages, in-process: post demand, preview packaging, publish, match, accept."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import date, timedelta

import httpx
from babel.dates import format_date
from sqlalchemy import select

from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.marketplace.models import Shift
from tests import factories
from tests.clock import FUTURE_MONDAY, HELSINKI, TEST_CLOCK
from tests.integration.scheduling.test_matching_runs import onboarded_doctor
from tests.integration.web.helpers import post_form, sign_in

FIRST = FUTURE_MONDAY.isoformat()
PREVIEW = {"day": FIRST, "source": "required", "first_hour": "08:00",
           "interval_minutes": "60", "required": "2, 2, 2, 2", "contacts": "",
           "average_handling_minutes": "15", "service_level_pct": "80", "target_answer_s": "600",
           "start_hours": "8, 10", "lengths_h": "4", "profession": "doctor",
           "visibility": "national", "description": "Remote reception", "sv_level": ""}


def _hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


async def test_a_scheduler_previews_publishes_matches_and_accepts(
        client: httpx.AsyncClient, worker: WorkerProcess) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    for i in range(3):
        await onboarded_doctor(unit, full_name=f"Doctor {i}")
    await sign_in(client, await factories.scheduler(org))
    shown = await post_form(client, "/demand/packaging", "/demand/packaging",
                            {**PREVIEW, "unit_id": str(unit.id)})
    assert shown.status_code == 200, shown.text
    assert "<svg" in shown.text and "Näytä luvut taulukkona" in shown.text
    assert "Jokainen aikaväli on katettu" in shown.text
    form = [("unit_id", str(unit.id)), ("profession", "doctor"), ("visibility", "national"),
            ("description", "Remote reception"), ("sv_level", "")]
    for name in ("shift_starts", "shift_ends", "shift_counts"):
        form += [(name, v) for v in _hidden(shown.text, name)]
    published = await post_form(client, "/demand/packaging", "/demand/packaging/publish", form)
    assert published.status_code == 303, published.text
    start_page = await client.get(published.headers["location"])
    assert "1 vuoro julkaistu" in start_page.text
    started = await post_form(client, "/matching-runs", "/matching-runs", {
        "units": str(unit.id), "first": FIRST, "last": FIRST, "time_limit": "5"})
    assert started.status_code == 303, started.text
    run_url = started.headers["location"]
    deadline = time.monotonic() + 90
    while True:
        partial = await client.get(run_url, headers={"HX-Request": "true"})
        assert partial.status_code == 200 and "<html" not in partial.text
        if "hx-trigger" not in partial.text or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.3)
    assert "Ehdotukset" in partial.text and "täyttää vaatimukset" in partial.text
    assert "Todistetusti paras mahdollinen vuorolista" in partial.text
    accepted = await post_form(client, run_url, f"{run_url}/accept", {"which": "all"})
    assert accepted.status_code == 303, accepted.text
    done = await client.get(accepted.headers["location"])
    assert "Hyväksytyt ehdotukset on varattu" in done.text
    accepted_count = done.text.count('<td role="cell" data-label="Tila">Hyväksytty</td>')
    board = await client.get("/fill-board", params={"unit_id": str(unit.id),
                                                     "week": FIRST})
    assert accepted_count >= 1
    assert f"<dt>Täytetty</dt><dd>{accepted_count}</dd>" in board.text


async def test_demand_forms_keep_input_and_show_errors_next_to_fields(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    refused = await post_form(client, "/demand", "/demand/shift", {
        "unit_id": str(unit.id), "profession": "doctor", "visibility": "area", "sv_level": "",
        "description": "Kept as typed", "day": FIRST, "start": "25:00", "end": "16:00",
        "positions": "2", "publish": "on"})
    assert refused.status_code == 422
    assert 'id="f-start-error"' in refused.text and "Kept as typed" in refused.text
    pattern = await post_form(client, "/demand", "/demand/pattern", [
        ("unit_id", str(unit.id)), ("profession", "doctor"), ("visibility", "area"),
        ("sv_level", ""), ("description", ""), ("first_date", FIRST),
        ("last_date", (FUTURE_MONDAY + timedelta(days=27)).isoformat()),
        ("weekdays", "1"), ("weekdays", "2"), ("weekdays", "3"),
        ("weekdays", "4"), ("weekdays", "5"), ("blocks.0.start", "8"), ("blocks.0.end", "16"),
        ("blocks.0.headcount", "3"), ("blocks.1.start", "16:00"), ("blocks.1.end", "20:00"),
        ("blocks.1.headcount", "2"), ("blocks.2.start", ""), ("blocks.2.end", ""),
        ("blocks.2.headcount", ""), ("publish", "on")])
    assert pattern.status_code == 303, pattern.text
    assert "posted=40" in pattern.headers["location"]
    forecast = await post_form(client, "/demand/packaging", "/demand/packaging", {
        **PREVIEW, "unit_id": str(unit.id), "source": "forecast", "contacts": "12, 18, x"})
    assert forecast.status_code == 422
    assert 'id="f-contacts-error"' in forecast.text and "12, 18, x" in forecast.text


async def test_the_dashboard_draws_charts_with_tables_and_csv_links(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.unit(org)
    await sign_in(client, await factories.area_admin(org))
    today = TEST_CLOCK.astimezone(HELSINKI).date()
    first, last = date(today.year, 1, 1).isoformat(), date(today.year, 12, 31).isoformat()
    page = await client.get("/dashboard", params={"first": first, "last": last})
    assert page.status_code == 200, page.text
    assert page.text.count("<svg") == 7
    assert f"/api/metrics/timeseries.csv?from={first}" in page.text
    csv = await client.get("/api/metrics/summary.csv", params={"from": first, "to": last})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    bad = await client.get("/dashboard", params={"first": "soon"})
    assert bad.status_code == 422 and 'id="f-first-error"' in bad.text
    reversed_period = await client.get("/dashboard", params={"first": "2026-12-01",
                                                             "last": "2026-11-01"})
    assert reversed_period.status_code == 422
    assert "Päättymispäivä (Päättyen) ei voi olla ennen alkupäivää (Alkaen)" \
        in reversed_period.text
    # The test clock's month is the running one, labelled partial; the next is not.
    running = format_date(today, "LLL yyyy", locale="fi")
    following = format_date(today.replace(day=28) + timedelta(days=4), "LLL yyyy", locale="fi")
    assert f"{running} (kesken)" in page.text and f"{following} (kesken)" not in page.text


async def test_a_shift_posted_without_choosing_who_sees_it_follows_the_units_default(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, default_visibility="unit")
    await sign_in(client, await factories.scheduler(org))
    form = await client.get("/demand", params={"unit_id": str(unit.id)})
    visibility = form.text.split('name="visibility"')[1].split("</select>")[0]
    assert "selected" not in visibility  # so the first option, the unit's default, is chosen
    assert re.search(r'<option value="">[^<]+</option>\s*<option value="unit">', visibility)
    posted = await post_form(client, "/demand", "/demand/shift", {
        "unit_id": str(unit.id), "profession": "doctor", "visibility": "", "sv_level": "",
        "description": "", "day": FIRST, "start": "08:00", "end": "16:00",
        "positions": "1", "publish": "on"})
    assert posted.status_code == 303, posted.text
    async with unit_of_work() as session:
        shifts = (await session.execute(select(Shift).where(Shift.unit_id == unit.id))).scalars()
        assert [shift.visibility for shift in shifts] == ["unit"]


async def test_shifts_may_run_past_the_demand_only_when_the_scheduler_allows_it(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    longer = {**PREVIEW, "unit_id": str(unit.id), "lengths_h": "6"}  # demand ends at 12:00
    refused = await post_form(client, "/demand/packaging", "/demand/packaging", longer)
    assert refused.status_code == 422
    assert "salli lyhyemmät vuorot, aikaisemmat alkamisajat tai vuorot, jotka jatkuvat" in (
        refused.text)
    allowed = await post_form(client, "/demand/packaging", "/demand/packaging",
                              {**longer, "extend_past_end": "on"})
    assert allowed.status_code == 200, allowed.text
    assert 'name="extend_past_end" checked' in allowed.text
    assert _hidden(allowed.text, "shift_ends")  # shifts packaged, ending past 12:00
