"""Weekly availability with days off: kept by the profile, obeyed by "fits my preferences" on
the board, by the pool search and by matching (one rule, asta.profiles.availability)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import httpx
from sqlalchemy import update

from asta.accounts.models import Organisation, Unit, User
from asta.core.clock import HELSINKI, today
from asta.core.db import unit_of_work
from asta.profiles.models import ProfessionalProfile, UnitOnboarding
from asta.scheduling import problem as p
from asta.scheduling.models import MatchingRun
from asta.scheduling.services.problem_builder import Built, build_problem
from tests import factories
from tests.integration.scheduling.test_matching_runs import published_shift

PROFILE = {"full_name": "Dr Weekly", "profession": "doctor", "registration_number": "1234567890",
           "languages": [{"code": "fi", "level": "native"}]}


def _a_coming_monday() -> datetime:
    """08:00 Helsinki time on a Monday at least a week after the test clock's day."""
    day = today() + timedelta(days=7)
    return datetime.combine(day + timedelta(days=-day.weekday() % 7), time(8), HELSINKI)



async def _matching_problem(org: Organisation, unit: Unit, doctor: User, monday_at: datetime,
                            *, days: int) -> tuple[Built, p.Professional]:
    """The doctor onboarded and verified, and the matching problem of the coming days: the
    built problem and the doctor in it."""
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=doctor.id, unit_id=unit.id))
        await session.execute(update(ProfessionalProfile).where(
            ProfessionalProfile.user_id == doctor.id).values(  # type: ignore[arg-type]
            registration_status="verified"))
    run = MatchingRun(organisation_id=org.id, unit_ids=[unit.id],
                      period_start=monday_at - timedelta(hours=8),
                      period_end=monday_at + timedelta(days=days))
    async with unit_of_work() as session:
        built = await build_problem(session, run, p.Weights())
    [me] = [pr for pr in built.problem.professionals if pr.id == str(doctor.id)]
    return built, me

async def test_weekly_patterns_and_days_off(client: httpx.AsyncClient) -> None:
    monday_at = _a_coming_monday()
    day_off = (monday_at + timedelta(days=7)).date().isoformat()
    org = await factories.organisation()
    unit = await factories.unit(org)
    monday = await published_shift(unit, monday_at)  # 8-16
    tuesday = await published_shift(unit, monday_at + timedelta(days=1))
    next_monday = await published_shift(unit, monday_at + timedelta(days=7))
    doctor = await factories.professional()
    headers = factories.auth(doctor)
    saved = await client.put("/api/me/profile", headers=headers, json={
        **PROFILE, "weekly_availability": [{"weekday": 1, "starts": "07:00", "ends": "17:00"}],
        "unavailable_days": [day_off]})
    assert saved.status_code == 200, saved.text
    again = (await client.get("/api/me/profile", headers=headers)).json()
    assert again["weekly_availability"] == [{"weekday": 1, "starts": "07:00:00",
                                             "ends": "17:00:00"}]
    assert again["unavailable_days"] == [day_off]
    bad = await client.put("/api/me/profile", headers=headers, json={
        **PROFILE, "weekly_availability": [{"weekday": 8, "starts": "17:00", "ends": "07:00"}]})
    assert bad.status_code in (400, 422)

    every = await client.get("/api/shifts", headers=headers,
                             params={"eligible_only": "false", "limit": 100})
    assert str(tuesday.id) in {s["id"] for s in every.json()["items"]}  # listed without fits
    board = await client.get("/api/shifts", headers=headers,
                             params={"fits_preferences": "true", "eligible_only": "false",
                                     "limit": 100})
    shown = {s["id"] for s in board.json()["items"]}
    assert str(monday.id) in shown  # Monday, inside 7-17
    assert str(tuesday.id) not in shown and str(next_monday.id) not in shown  # day off

    # A new registration number is checked again: verify it for matching.
    built, me = await _matching_problem(org, unit, doctor, monday_at, days=10)
    assert me.availability is not None and len(me.availability) == 1  # the next Monday is off
    start, end = me.availability[0]
    mine = built.problem.shifts
    assert [s.id for s in mine if start <= s.start and s.end <= end] == [str(monday.id)]


async def test_a_night_past_midnight_fits_on_the_board_in_the_pool_and_in_matching(
        client: httpx.AsyncClient) -> None:
    monday_at = _a_coming_monday()
    org = await factories.organisation()
    unit = await factories.unit(org)
    day = await published_shift(unit, monday_at)  # 8-16
    night = await published_shift(unit, monday_at + timedelta(hours=14))  # 22-06
    doctor = await factories.professional()
    headers = factories.auth(doctor)
    saved = await client.put("/api/me/profile", headers=headers, json={
        **PROFILE, "weekly_availability": [{"weekday": 1, "starts": "22:00", "ends": "06:00"}]})
    assert saved.status_code == 200, saved.text
    same = await client.put("/api/me/profile", headers=headers, json={
        **PROFILE, "weekly_availability": [{"weekday": 1, "starts": "22:00", "ends": "22:00"}]})
    assert same.status_code == 400, same.text

    board = await client.get("/api/shifts", headers=headers, params={
        "fits_preferences": "true", "eligible_only": "false", "limit": 100})
    assert {s["id"] for s in board.json()["items"]} & {str(day.id), str(night.id)} == {
        str(night.id)}

    staff = factories.auth(await factories.scheduler(org))

    async def pool(start: datetime, end: datetime) -> list[str]:
        found = await client.get("/api/professionals", headers=staff, params={
            "available_from": start.isoformat(), "available_to": end.isoformat()})
        assert found.status_code == 200, found.text
        return [p["full_name"] for p in found.json()["items"]]

    assert await pool(night.starts_at, night.ends_at) == [PROFILE["full_name"]]
    assert await pool(night.starts_at - timedelta(hours=1), night.ends_at) == []

    built, me = await _matching_problem(org, unit, doctor, monday_at, days=2)
    assert me.availability is not None
    assert [s.id for s in built.problem.shifts
            if any(a <= s.start and s.end <= b for a, b in me.availability)] == [str(night.id)]
