"""The metrics API on a known history: every figure is asserted exactly."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment, Shift
from asta.profiles.models import UnitOnboarding
from asta.surveys.models import PatientFeedback, Survey
from tests import factories

HKI = ZoneInfo("Europe/Helsinki")
NOV = "from=2026-11-01&to=2026-11-30"


def at(day: int, hour: int = 8, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HKI)


@pytest.fixture(autouse=True)
def end_of_november(clock: time_machine.TimeMachineFixture) -> None:
    """The history is recorded, and read, as November 2026 ends: its users join "now"."""
    clock.move_to(at(30, 12))


async def open_shift(unit: Any, start: datetime, *, positions: int = 1,
                     published: bool = True, status: str = "published") -> Shift:
    async with unit_of_work() as session:
        shift = Shift(unit_id=unit.id, organisation_id=unit.organisation_id, starts_at=start,
                      ends_at=start + timedelta(hours=8), profession="doctor",
                      positions=positions, status=status,
                      published_at=start - timedelta(days=3) if published else None)
        session.add(shift)
    return shift


async def build_history() -> dict[str, Any]:
    org, other_org = await factories.organisation("A"), await factories.organisation("B")
    u1, u2 = await factories.unit(org, name="U1"), await factories.unit(org, name="U2")
    elsewhere = await factories.unit(other_org)
    p1, p2, p3 = (await factories.professional(), await factories.professional(),
                  await factories.professional())
    # Worked and approved: time to fill 2, 4, 10 h (U1) and 1 h (U2).
    for day, brk, pay, fill, outcome in ((3, 0, 76_000, 2, (30, 20, 5)),
                                         (4, 30, 71_250, 4, (20, 10, 4)),
                                         (5, 0, 76_000, 10, (10, 5, 1))):
        await factories.worked_shift(u1, p1, at(day), break_minutes=brk, pay_cents=pay,
                                     filled_after=timedelta(hours=fill), contacts=outcome[0],
                                     resolved=outcome[1], referred=outcome[2])
    await factories.worked_shift(u2, p2, at(10), hours=4, pay_cents=38_000,
                                 filled_after=timedelta(hours=1), contacts=10, resolved=8)
    # Not in the figures: the other area, October, a draft and a cancelled shift.
    await factories.worked_shift(elsewhere, p3, at(3), pay_cents=99_000)
    await factories.worked_shift(u1, p1, at(20, month=10), pay_cents=99_000)
    await open_shift(u1, at(12), published=False, status="draft")
    await open_shift(u1, at(13), status="cancelled")
    # Posted but never filled: two positions; and one whose taker cancelled late.
    await open_shift(u1, at(14), positions=2)
    late = await open_shift(u1, at(15))
    async with unit_of_work() as session:
        session.add(Assignment(shift_id=late.id, professional_id=p2.id, unit_id=u1.id,
                               starts_at=late.starts_at, ends_at=late.ends_at,
                               status="cancelled", late_cancellation=True))
        session.add(UnitOnboarding(user_id=p1.id, unit_id=u1.id))
        for score, satisfaction, answered in ((10, 5, at(6)), (9, 4, at(7)), (7, 3, at(8)),
                                              (3, 2, at(9)), (0, 1, at(20, month=10))):
            session.add(Survey(user_id=p1.id, organisation_id=org.id, unit_id=u1.id,
                               asked_at=answered - timedelta(days=1), expires_at=at(28),
                               answered_at=answered, score=score, satisfaction=satisfaction))
        session.add(Survey(user_id=p2.id, organisation_id=org.id, unit_id=u2.id,
                           asked_at=at(11), expires_at=at(28)))  # not answered
        for score in (10, 10, 6, 8, 9):
            session.add(PatientFeedback(unit_id=u1.id, organisation_id=org.id, score=score,
                                        answered_at=at(16)))
        session.add(PatientFeedback(unit_id=elsewhere.id, organisation_id=other_org.id,
                                    score=0, answered_at=at(16)))
    return {"org": org, "other": other_org, "u1": u1, "u2": u2,
            "admin": await factories.area_admin(org),
            "other_admin": await factories.area_admin(other_org)}


async def test_the_summary_reports_the_history_exactly(client: httpx.AsyncClient) -> None:
    world = await build_history()
    response = await client.get(f"/api/metrics/summary?{NOV}",
                                headers=factories.auth(world["admin"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["organisation_ids"] == [str(world["org"].id)]
    assert body["professionals"] == {"registered": 3, "verified": 3, "onboarded": 1,
                                     "active_30d": 2, "used": 2}
    flows = body["flows"]
    assert flows["positions"] == {
        "shifts_posted": 6, "shifts_filled": 4, "posted": 7, "filled": 4,
        "fill_rate": pytest.approx(4 / 7), "time_to_fill_median_hours": pytest.approx(3.0),
        "time_to_fill_p90_hours": pytest.approx(8.2)}
    assert flows["cancellations"] == {"assignments": 5, "late": 1, "late_rate": 0.2}
    assert (flows["hours_worked"], flows["pay_cents"]) == (27.5, 261_250)
    # 27.5 h / 160 h x 15,000 EUR x 20 % = 515.625 EUR, split 50/20/30.
    assert flows["savings"] == {"total_cents": 51_563, "area_cents": 25_781,
                                "professionals_cents": 10_313, "platform_cents": 15_469}
    assert flows["enps"] == {"score": 25.0, "answers": 4, "promoters": 2, "detractors": 1,
                             "job_satisfaction": 3.5}
    assert flows["patient_nps"] == {"score": 40.0, "answers": 5, "promoters": 3,
                                    "detractors": 1}
    assert flows["outcomes"] == {
        "contacts_handled": 70, "resolved_remotely": 43, "referred_to_health_station": 10,
        "contacts_per_hour": pytest.approx(70 / 27.5),
        "remote_resolution_share": pytest.approx(43 / 70),
        "referral_share": pytest.approx(10 / 70)}
    assert [(m["unit_name"], m["month"], m["hours_worked"], m["savings"]["total_cents"])
            for m in body["by_unit_month"]] == [("U1", "2026-11-01", 23.5, 44_063),
                                                ("U2", "2026-11-01", 4.0, 7_500)]


async def test_the_pool_of_a_period_before_the_accounts_were_made(
        client: httpx.AsyncClient) -> None:
    """The accounts join "now" (30 November) but worked from 3 November: as of 15 November
    the pool held them, so it does not read 0 while 2 of them were used."""
    world = await build_history()
    response = await client.get("/api/metrics/summary?from=2026-11-01&to=2026-11-15",
                                headers=factories.auth(world["admin"]))
    assert response.json()["professionals"] == {"registered": 3, "verified": 3,
                                                "onboarded": 1, "active_30d": 2, "used": 2}
    before = await client.get("/api/metrics/summary?from=2026-09-01&to=2026-09-30",
                              headers=factories.auth(world["admin"]))
    assert before.json()["professionals"] == {"registered": 0, "verified": 0, "onboarded": 0,
                                              "active_30d": 0, "used": 0}


async def test_one_unit_and_the_operators_view(client: httpx.AsyncClient) -> None:
    world = await build_history()
    unit = await client.get(f"/api/metrics/summary?{NOV}&unit_id={world['u2'].id}",
                            headers=factories.auth(world["admin"]))
    assert unit.json()["flows"]["hours_worked"] == 4.0
    assert unit.json()["flows"]["patient_nps"]["answers"] == 0
    everything = await client.get(f"/api/metrics/summary?{NOV}",
                                  headers=factories.auth(await factories.operator()))
    assert everything.json()["organisation_ids"] is None
    assert everything.json()["flows"]["hours_worked"] == 35.5
    assert everything.json()["flows"]["patient_nps"]["answers"] == 6


async def test_another_areas_figures_are_missing_not_forbidden(
        client: httpx.AsyncClient) -> None:
    world = await build_history()
    headers = factories.auth(world["other_admin"])
    for path in (f"/api/metrics/summary?organisation_id={world['org'].id}",
                 f"/api/metrics/timeseries?organisation_id={world['org'].id}",
                 f"/api/metrics/summary?unit_id={world['u1'].id}"):
        assert (await client.get(path, headers=headers)).status_code == 404, path
    scheduler = factories.auth(await factories.scheduler(world["org"]))
    assert (await client.get("/api/metrics/summary", headers=scheduler)).status_code == 403
    bad = await client.get("/api/metrics/summary?from=2026-11-30&to=2026-11-01",
                           headers=factories.auth(world["admin"]))
    assert bad.status_code == 422 and bad.json()["field"] == "to"


async def test_weekly_timeseries_and_csv(client: httpx.AsyncClient) -> None:
    world = await build_history()
    headers = factories.auth(world["admin"])
    response = await client.get(f"/api/metrics/timeseries?{NOV}&bucket=week", headers=headers)
    items = response.json()["items"]
    assert [i["start"] for i in items] == ["2026-10-26", "2026-11-02", "2026-11-09",
                                           "2026-11-16", "2026-11-23", "2026-11-30"]
    assert [i["flows"]["hours_worked"] for i in items] == [0, 23.5, 4.0, 0, 0, 0]
    assert [i["flows"]["positions"]["posted"] for i in items] == [0, 3, 4, 0, 0, 0]
    assert [i["flows"]["enps"]["answers"] for i in items] == [0, 3, 1, 0, 0, 0]

    for path in (f"/api/metrics/timeseries.csv?{NOV}&bucket=week",
                 f"/api/metrics/timeseries?{NOV}&bucket=week&format=csv"):
        exported = await client.get(path, headers=headers)
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert [r["flows.hours_worked"] for r in rows] == ["0.0", "23.5", "4.0", "0.0", "0.0",
                                                          "0.0"]
    summary = await client.get(f"/api/metrics/summary.csv?{NOV}", headers=headers)
    assert summary.headers["content-type"].startswith("text/csv")
    values = dict(csv.reader(io.StringIO(summary.text)))
    assert values["flows.savings.area_cents"] == "25781"
    assert values["professionals.used"] == "2"
    same = await client.get(f"/api/metrics/summary?{NOV}&format=csv", headers=headers)
    assert same.text == summary.text
