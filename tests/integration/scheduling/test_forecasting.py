"""Contact history imports and forecasts staffed from them, through the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa

from asta.core.clock import today
from asta.core.db import unit_of_work
from asta.scheduling import erlang
from asta.scheduling.models import ContactHistory, ForecastRun
from tests import factories

HELSINKI = ZoneInfo("Europe/Helsinki")
DEMO = Path(__file__).resolve().parents[3] / "asta" / "demo_data" / \
    "kaiku24_contact_history.csv"


async def _stored(unit_id: object) -> list[tuple[datetime, int]]:
    async with unit_of_work() as session:
        rows = await session.execute(sa.select(ContactHistory.starts_at, ContactHistory.contacts)
                                     .where(ContactHistory.unit_id == unit_id)
                                     .order_by(ContactHistory.starts_at))
        return [(a, b) for a, b in rows.all()]


async def test_import_is_all_or_nothing_and_names_line_and_column(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    bad = ("interval_start,contacts,handled,average_handling_time_s\n"
           "2026-11-02T08:00+02:00,12,11,300\n"
           "2026-11-02T08:15+02:00,x,,\n"
           "2026-11-02T08:30+02:00,9,10,300\n"
           "yesterday,3,,\n")
    response = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                 json={"csv": bad})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == "csv"
    assert [(p["line"], p["column"]) for p in body["problems"]] == [
        (3, "contacts"), (4, "handled"), (5, "interval_start")]
    assert await _stored(unit.id) == []


async def test_reimporting_the_same_file_changes_nothing(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    text = ("interval_start,contacts,abandoned\n"
            "2026-11-02T08:00:00+02:00,12,1\n2026-11-02T08:15:00+02:00,9,\n"
            "2026-11-02T09:00:00+02:00,4,0\n")
    first = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                              json={"csv": text})
    assert first.status_code == 200, first.text
    assert (first.json()["added"], first.json()["interval_minutes"]) == (3, 15)
    stored = await _stored(unit.id)
    again = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                              json={"csv": text})
    assert (again.json()["added"], again.json()["changed"], again.json()["unchanged"]) == (0, 0, 3)
    assert await _stored(unit.id) == stored
    corrected = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                  json={"csv": text.replace(",9,", ",10,")})
    assert (corrected.json()["added"], corrected.json()["changed"]) == (0, 1)
    assert [c for _, c in await _stored(unit.id)] == [12, 10, 4]
    other_length = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                     json={"csv": "interval_start,contacts\n"
                                           "2026-11-03T08:00+02:00,1\n2026-11-03T09:00+02:00,1\n"})
    assert other_length.status_code == 422
    assert "15-minute" in other_length.json()["detail"]


async def test_demo_history_forecast_is_staffed_stored_and_backtested(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    imported = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                 json={"csv": DEMO.read_text()})
    assert imported.status_code == 200, imported.text
    assert imported.json()["rows"] == 12 * 7 * 28
    summary = await client.get(f"/api/units/{unit.id}/contact-history", headers=headers)
    assert summary.json()["enough_for_forecast"] is True
    response = await client.post(f"/api/units/{unit.id}/forecasts", headers=headers, json={
        "day": "2026-11-30", "interval_minutes": 30, "quantile": 0.9,
        "service_level": 0.8, "target_answer_s": 60})
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["average_handling_time_s"] == pytest.approx(360, abs=5)  # the history's own
    intervals = run["intervals"]
    assert len(intervals) == 48
    night = intervals[0]
    assert (night["forecast"], night["required"]) == (0, 0)  # closed at night
    peak = max(intervals, key=lambda i: i["forecast"])
    starts = datetime.fromisoformat(peak["starts_at"]).astimezone(HELSINKI)
    assert time(8) <= starts.time() <= time(10)
    assert peak["low"] < peak["forecast"] < peak["staffed_for"] <= peak["high"] + 1e-9
    assert peak["required"] > 0
    # The demo history records hang-ups: Erlang A, with the patience they imply, asks for
    # fewer people than Erlang C would for the same contacts.
    assert 30 < run["patience_s"] < 3600
    erlang_c = erlang.required_agents(peak["staffed_for"], 1800, run["average_handling_time_s"],
                                      0.8, 60).agents
    assert peak["required"] < erlang_c
    # Monday after a 15 % level shift: about 1.3 x 1.15 x the Tuesday profile's 38.
    assert 45 < peak["forecast"] < 65
    backtest = run["backtest"]
    assert backtest["weeks"] >= 4
    assert backtest["mae_relative"] < 1  # better than "same weekday last week"
    assert 0.6 < backtest["band_coverage"] <= 1
    stored = await client.get(f"/api/forecast-runs/{run['id']}", headers=headers)
    assert stored.json() == run
    async with unit_of_work() as session:
        row = await session.get(ForecastRun, run["id"])
        assert row is not None and row.model == "asta-profile-v2"
        assert row.history_last.astimezone(HELSINKI).date().isoformat() == "2026-11-29"


async def test_short_history_says_so(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    await factories.contact_history(unit, days=10)
    day = today() + timedelta(days=1)
    response = await client.post(f"/api/units/{unit.id}/forecasts", headers=headers,
                                 json={"day": day.isoformat(), "interval_minutes": 60})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "history_too_short"


async def _history(unit_id: object) -> dict[datetime, tuple[int, str]]:
    async with unit_of_work() as session:
        rows = await session.execute(sa.select(ContactHistory.starts_at, ContactHistory.contacts,
                                               ContactHistory.source)
                                     .where(ContactHistory.unit_id == unit_id))
        return {a: (b, c) for a, b, c in rows.all()}


async def test_contacts_handled_on_worked_shifts_feed_the_history_and_a_file_wins(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    morning = datetime.combine(today() - timedelta(days=2), time(8), tzinfo=HELSINKI)
    first = await factories.worked_shift(unit, await factories.professional(), morning, 2,
                                         approved=False, contacts=12)
    approved = await client.post(f"/api/assignments/{first.assignment_id}/timesheet/approve",
                                 headers=headers, json={})
    assert approved.status_code == 200, approved.text
    half = timedelta(minutes=30)
    assert await _history(unit.id) == {morning + n * half: (3, "shifts") for n in range(4)}
    # The telephony export counts every contact, not only those handled: it wins.
    text = (f"interval_start,contacts\n{(morning + half).isoformat()},9\n"
            f"{(morning + 2 * half).isoformat()},4\n")
    imported = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                 json={"csv": text})
    assert imported.status_code == 200, imported.text
    assert imported.json()["added"] == 2
    # A second professional's hour from 08:00 is added to the shifts' rows, not to the file's.
    second = await factories.worked_shift(unit, await factories.professional(), morning, 1,
                                          approved=False, contacts=4)
    await client.post(f"/api/assignments/{second.assignment_id}/timesheet/approve",
                      headers=headers, json={})
    assert await _history(unit.id) == {
        morning: (5, "shifts"), morning + half: (9, "import"),
        morning + 2 * half: (4, "import"), morning + 3 * half: (3, "shifts")}
    summary = await client.get(f"/api/units/{unit.id}/contact-history", headers=headers)
    assert (summary.json()["intervals"], summary.json()["from_shifts"]) == (4, 2)


async def test_a_stored_run_is_compared_with_the_contacts_that_came(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                      json={"csv": DEMO.read_text()})
    # A day the demo history covers: forecast only from the weeks before it.
    made = await client.post(f"/api/units/{unit.id}/forecasts", headers=headers, json={
        "day": "2026-11-24", "interval_minutes": 30})
    assert made.status_code == 201, made.text
    runs = await client.get(f"/api/units/{unit.id}/forecast-runs", headers=headers)
    assert [r["id"] for r in runs.json()] == [made.json()["id"]]
    response = await client.get(f"/api/forecast-runs/{made.json()['id']}/comparison",
                                headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    came = sum(int(line.split(",")[1]) for line in DEMO.read_text().splitlines()[1:]
               if line.startswith("2026-11-24"))
    assert body["actual_total"] == came > 0
    assert sum(i["actual"] for i in body["intervals"]) == came
    assert 20 <= body["intervals_compared"] <= 48
    assert 0 < body["mae"] < 0.5 * came / body["intervals_compared"]
    assert 0.5 <= body["band_coverage"] <= 1 and 0.5 <= body["target_met"] <= 1


async def test_worked_shifts_follow_a_file_in_shorter_intervals(
        client: httpx.AsyncClient) -> None:
    # One unit's history has one interval length: the file's, once there is a file.
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    morning = datetime.combine(today() - timedelta(days=2), time(8), tzinfo=HELSINKI)
    sheet = await factories.worked_shift(unit, await factories.professional(), morning, 1,
                                         approved=False, contacts=8)
    await client.post(f"/api/assignments/{sheet.assignment_id}/timesheet/approve",
                      headers=headers, json={})
    quarter = timedelta(minutes=15)
    text = (f"interval_start,contacts\n{(morning - 2 * quarter).isoformat()},1\n"
            f"{(morning - quarter).isoformat()},2\n")
    imported = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                 json={"csv": text})
    assert imported.status_code == 200, imported.text
    history = await _history(unit.id)
    assert {at: v for at, v in history.items() if v[1] == "shifts"} == {
        morning + n * quarter: (2, "shifts") for n in range(4)}
    async with unit_of_work() as session:
        lengths = await session.scalars(sa.select(ContactHistory.interval_minutes).distinct()
                                        .where(ContactHistory.unit_id == unit.id))
        assert list(lengths) == [15]
