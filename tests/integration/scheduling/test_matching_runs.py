"""A matching run end to end: API -> real broker -> real worker -> CP-SAT -> proposals."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from asta.accounts.models import Organisation, Unit
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.marketplace.models import Shift
from asta.profiles.models import AvailabilityWindow, UnitOnboarding
from asta.scheduling.gap import proven_gap
from tests import factories
from tests.clock import FUTURE_MONDAY, helsinki
from tests.integration.web.helpers import sign_in

MONDAY = helsinki(FUTURE_MONDAY, 8).astimezone(UTC)


def period(days: int = 7) -> dict[str, str]:
    """A matching run's period: `days` days from the Monday's midnight, Helsinki time."""
    return {"period_start": helsinki(FUTURE_MONDAY).isoformat(),
            "period_end": helsinki(FUTURE_MONDAY + timedelta(days=days)).isoformat()}


async def published_shift(unit: Unit, start: datetime, *, hours: int = 8, positions: int = 1,
                          **fields: Any) -> Shift:
    async with unit_of_work() as session:
        shift = Shift(unit_id=unit.id, organisation_id=unit.organisation_id, starts_at=start,
                      ends_at=start + timedelta(hours=hours), profession="doctor",
                      positions=positions, status="published", visibility="national",
                      published_at=utcnow(), **fields)
        session.add(shift)
    return shift


async def onboarded_doctor(unit: Unit, **profile: Any) -> Any:
    person = await factories.professional(**profile)
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=person.id, unit_id=unit.id))
        session.add(AvailabilityWindow(user_id=person.id, starts_at=MONDAY - timedelta(days=1),
                                       ends_at=MONDAY + timedelta(days=10)))
    return person


async def finished(client: httpx.AsyncClient, run_id: str, headers: dict[str, str]) -> Any:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/matching-runs/{run_id}", headers=headers)).json()
        if body["status"] in {"done", "failed"}:
            return body
        await asyncio.sleep(0.3)
    raise AssertionError("matching run did not finish")


async def world() -> tuple[Organisation, Unit, dict[str, str]]:
    org = await factories.organisation()
    unit = await factories.unit(org)
    return org, unit, factories.auth(await factories.scheduler(org))


async def test_a_matching_run_proposes_and_explains(client: httpx.AsyncClient,
                                                    worker: WorkerProcess) -> None:
    org, unit, headers = await world()
    monday = await published_shift(unit, MONDAY, positions=2)
    swedish = await published_shift(unit, MONDAY + timedelta(days=1),
                                    required_languages={"sv": "fluent"})
    first = await onboarded_doctor(unit, full_name="Aino")
    second = await onboarded_doctor(unit, full_name="Eero")
    started = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period(), "time_limit_s": 5})
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "queued"
    run = await finished(client, started.json()["id"], headers)
    assert run["status"] == "done", run
    assert run["progress"]["phase"] == "done"
    assert run["summary"]["best_bound"] is not None
    # Two doctors, three positions: CP-SAT proves this tiny roster optimal.
    assert run["proven_gap"] == 0.0
    proposals = {(p["shift_id"], p["professional_id"]) for p in run["proposals"]}
    assert proposals == {(str(monday.id), str(first.id)), (str(monday.id), str(second.id))}
    assert all("eligible" in p["reasons"] for p in run["proposals"])
    assert [(u["shift_id"], u["missing"], u["reason"]) for u in run["unfilled"]] == [
        (str(swedish.id), 1, "nobody_eligible")]
    assert org.id


async def test_rest_rule_is_named_when_it_leaves_a_position_open(
        client: httpx.AsyncClient, worker: WorkerProcess) -> None:
    _, unit, headers = await world()
    await published_shift(unit, MONDAY)  # Monday 08-16
    await published_shift(unit, MONDAY + timedelta(hours=18))  # Tuesday 02-10: 10 h rest
    await onboarded_doctor(unit)
    started = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period(days=2), "time_limit_s": 5})
    run = await finished(client, started.json()["id"], headers)
    assert len(run["proposals"]) == 1
    assert [(u["missing"], u["reason"]) for u in run["unfilled"]] == [
        (1, "min_rest_between_shifts")]


async def test_runs_are_tenant_scoped_and_validated(client: httpx.AsyncClient) -> None:
    _, unit, headers = await world()
    other_org = await factories.organisation("Other")
    other = await factories.unit(other_org)
    foreign = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(other.id)], **period()})
    assert foreign.status_code == 404
    reversed_period = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], "period_start": period()["period_end"],
        "period_end": period()["period_start"]})
    assert reversed_period.status_code == 400
    mine = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period()})
    outsider = factories.auth(await factories.scheduler(other_org))
    assert (await client.get(f"/api/matching-runs/{mine.json()['id']}",
                             headers=outsider)).status_code == 404


async def test_accepting_books_through_the_claim_rules(client: httpx.AsyncClient,
                                                      worker: WorkerProcess) -> None:
    _, unit, headers = await world()
    monday = await published_shift(unit, MONDAY)
    tuesday = await published_shift(unit, MONDAY + timedelta(days=1))
    first = await onboarded_doctor(unit, full_name="Aino")
    second = await onboarded_doctor(unit, full_name="Eero")
    started = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period(), "time_limit_s": 5})
    run = await finished(client, started.json()["id"], headers)
    assert len(run["proposals"]) == 2
    # Meanwhile the Monday candidate books an overlapping shift elsewhere.
    monday_pick = next(p for p in run["proposals"] if p["shift_id"] == str(monday.id))
    clash = await published_shift(await factories.unit(await factories.organisation("X")),
                                  MONDAY + timedelta(hours=1))
    async with unit_of_work() as session:
        from asta.marketplace.models import Assignment

        session.add(Assignment(shift_id=clash.id, professional_id=monday_pick["professional_id"],
                               unit_id=clash.unit_id, starts_at=clash.starts_at,
                               ends_at=clash.ends_at, status="confirmed"))
    accepted = await client.post(f"/api/matching-runs/{run['id']}/accept", headers=headers,
                                 json={"all": True})
    assert accepted.status_code == 200, accepted.text
    outcome = {p["shift_id"]: (p["status"], p["refusal"]) for p in accepted.json()["proposals"]}
    assert outcome[str(tuesday.id)] == ("accepted", None)
    assert outcome[str(monday.id)][0] == "refused"
    assert outcome[str(monday.id)][1]
    # The rule and its numbers are kept, so the page says them in the reader's language.
    [refused] = [p for p in accepted.json()["proposals"] if p["shift_id"] == str(monday.id)]
    assert [r["code"] for r in refused["refusal_rules"]] == ["overlap"]
    assert refused["refusal_rules"][0]["params"]["start"] == {"time": "09:00:00"}
    again = await client.post(f"/api/matching-runs/{run['id']}/accept", headers=headers,
                              json={"proposal_ids": [monday_pick["id"]]})
    assert again.status_code == 422
    async with unit_of_work() as session:
        booked = await session.get(Shift, tuesday.id)
    assert booked is not None and booked.assigned_count == 1
    assert {first.id, second.id}


async def test_a_demo_sized_run_reports_its_proven_gap_in_the_api_and_on_the_page(
        client: httpx.AsyncClient, worker: WorkerProcess) -> None:
    # The demo's shape: a week of a unit's recurring day and evening shifts (two series, so
    # continuity couples people), a dozen doctors each free on some days.
    org, unit, headers = await world()
    for day in range(7):
        await published_shift(unit, MONDAY + timedelta(days=day), positions=3)
        await published_shift(unit, MONDAY + timedelta(days=day, hours=8), hours=4, positions=2)
    for k in range(12):
        person = await factories.professional(full_name=f"Doctor {k}")
        async with unit_of_work() as session:
            session.add(UnitOnboarding(user_id=person.id, unit_id=unit.id))
            session.add_all(AvailabilityWindow(
                user_id=person.id, starts_at=MONDAY + timedelta(days=day, hours=-2),
                ends_at=MONDAY + timedelta(days=day, hours=16))
                for day in range(7) if (day + k) % 3)
    started = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period(), "time_limit_s": 5})
    run = await finished(client, started.json()["id"], headers)
    assert run["status"] == "done", run
    assert len(run["proposals"]) == 35  # every position filled
    # The series LP bounds the roster where CP-SAT's own bound is negative: a bound above 0,
    # so a gap below 100 %. How close it gets in 5 s depends on the machine (0.79 with the
    # clock check's three suites at once on two cores), so that is for the benchmarks.
    summary = run["summary"]
    assert 0 < summary["best_bound"] <= summary["objective"]
    assert run["proven_gap"] == proven_gap(summary["objective"], summary["best_bound"])
    assert isinstance(run["proven_gap"], float) and 0.0 <= run["proven_gap"] < 1.0
    await sign_in(client, await factories.scheduler(org))
    page = await client.get(f"/matching-runs/{run['id']}")
    assert page.status_code == 200
    assert "Todistetusti" in page.text
    assert "ei löytynyt todistettua rajaa" not in page.text
