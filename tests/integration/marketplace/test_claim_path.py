"""The claim's lean path: one plain read decides as the board does, the person's own claims
cannot race past the rest rule, and a loser hears exactly what the board would say."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from asta.accounts.models import Unit, User
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.hot_reads import read_connection
from asta.marketplace.models import Shift, WaitlistEntry
from asta.marketplace.services._common import standing
from asta.marketplace.services.claim_facts import claim_facts
from asta.marketplace.services.shift_action import UnitLimits, decide
from tests import factories
from tests.integration.marketplace.helpers import post_shifts, shift_body, workday
from tests.integration.web.helpers import post_form, sign_in

Arrange = Callable[[Unit, Shift, User], Awaitable[None]]


async def _nothing(unit: Unit, shift: Shift, person: User) -> None:
    return None


async def _taken_by_another(unit: Unit, shift: Shift, person: User) -> None:
    await factories.assignment(shift, await factories.professional())


async def _held(unit: Unit, shift: Shift, person: User) -> None:
    await factories.assignment(shift, person)


async def _cancelled(unit: Unit, shift: Shift, person: User) -> None:
    async with unit_of_work() as session:
        await session.execute(update(Shift).where(Shift.id == shift.id)  # type: ignore[arg-type]
                              .values(status="cancelled"))


async def _full_and_needs_swedish(unit: Unit, shift: Shift, person: User) -> None:
    await _taken_by_another(unit, shift, person)
    async with unit_of_work() as session:
        await session.execute(update(Shift).where(Shift.id == shift.id)  # type: ignore[arg-type]
                              .values(required_languages={"sv": "fluent"}))


async def _second_in_line(unit: Unit, shift: Shift, person: User) -> None:
    await _taken_by_another(unit, shift, person)
    first = await factories.professional()
    async with unit_of_work() as session:
        session.add(WaitlistEntry(shift_id=shift.id, professional_id=first.id, status="waiting",
                                  created_at=utcnow() - timedelta(minutes=5)))
        session.add(WaitlistEntry(shift_id=shift.id, professional_id=person.id,
                                  status="waiting"))


async def _offered(unit: Unit, shift: Shift, person: User) -> None:
    await factories.standby_offer(shift, person)


async def _too_little_rest(unit: Unit, shift: Shift, person: User) -> None:
    later = await factories.shift(unit, starts_in=shift.ends_at - utcnow() + timedelta(hours=4))
    await factories.assignment(later, person)


@pytest.mark.parametrize(("arrange", "action"), [
    (_nothing, "claim"), (_taken_by_another, "standby"), (_held, "cancel"),
    (_cancelled, "none"), (_full_and_needs_swedish, "none"), (_second_in_line, "none"),
    (_offered, "accept_offer"), (_too_little_rest, "none"),
])
async def test_the_claims_one_read_decides_exactly_as_the_board(arrange: Arrange,
                                                                action: str) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, min_rest_hours=11)
    shift = await factories.shift(unit, positions=1)
    person = await factories.professional()
    await arrange(unit, shift, person)
    now = utcnow()
    async with read_connection() as connection:
        lean = (await claim_facts(connection, person.id, shift.id, now)).decision
    async with unit_of_work() as session:
        row = await session.get(Shift, shift.id)
        assert row is not None
        board = await decide(session, await standing(session, person.id), row,
                             UnitLimits(unit.claim_mode, unit.min_rest_hours,
                                        unit.weekly_max_hours), now)
    assert lean == board
    assert lean.action.value == action


async def test_one_persons_claims_at_once_cannot_race_past_the_rest_rule(
        client: httpx.AsyncClient) -> None:
    """Neither overlaps the other (the database's constraint would not stop them): only the
    person's lock and the read under it do."""
    org = await factories.organisation()
    unit = await factories.unit(org, min_rest_hours=11)
    scheduler = factories.auth(await factories.scheduler(org))
    day = workday()
    evening, morning = await post_shifts(client, scheduler, unit.id, shift_body(day, 14, 22),
                                         shift_body(day + 1, 6, 14))
    doctor = factories.auth(await factories.professional())
    answers = await asyncio.gather(*[client.post(f"/api/shifts/{s['id']}/claim",
                                                 headers=doctor) for s in (evening, morning)])
    assert sorted(a.status_code for a in answers) == [201, 422]
    assert {a.json().get("rule") for a in answers if a.status_code == 422} == {"min_rest"}


async def test_a_loser_hears_that_every_position_is_taken(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=2))
    winners = [factories.auth(await factories.professional()) for _ in range(2)]
    for who in winners:
        assert (await client.post(f"/api/shifts/{shift['id']}/claim", headers=who)
                ).status_code == 201
    loser = await factories.professional()
    refused = await client.post(f"/api/shifts/{shift['id']}/claim",
                                headers=factories.auth(loser))
    assert refused.status_code == 409
    # As before the lean path (the body main answered, 2026-12-01, commit 64e528f).
    words = "Every position of this shift is taken (2); you can join its standby list"
    assert refused.json() == {
        "positions": 2, "status_code": 409, "error": "shift_full", "detail": words,
        "refusals": [{"code": "shift_full", "message": words, "params": {"positions": 2}}]}


@pytest.mark.parametrize(("locale", "words"), [
    ("en", "<h2>The claim was refused</h2><p>Every position of this shift is taken (1); you "
           "can join its standby list.</p>"),
    ("fi", "<h2>Varausta ei hyväksytty</h2><p>Vuoron kaikki paikat on varattu (1); voit "
           "liittyä sen varalistalle.</p>"),
    ("sv", "<h2>Bokningen avvisades</h2><p>Alla platser på passet är tagna (1); du kan ställa "
           "dig på reservlistan.</p>"),
])
async def test_a_loser_on_the_pages_hears_it_in_their_language(
        client: httpx.AsyncClient, locale: str, words: str) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    shift = await factories.shift(unit, positions=1)
    await factories.assignment(shift, await factories.professional())
    loser = await factories.professional()
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == loser.id)  # type: ignore[arg-type]
                              .values(locale=locale))
    await sign_in(client, loser)
    refused = await post_form(client, "/shifts", f"/shifts/{shift.id}/claim", {})
    assert refused.status_code == 409
    assert words in refused.text
