"""Many professionals claim at once: exactly one winner per position, nobody double-booked."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment, Shift
from tests import factories
from tests.integration.marketplace.helpers import post_shifts, shift_body


async def test_thirty_concurrent_claims_fill_three_positions_exactly(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=3))
    people = [factories.auth(await factories.professional()) for _ in range(30)]

    responses = await asyncio.gather(*[
        client.post(f"/api/shifts/{shift['id']}/claim", headers=who) for who in people])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 3 + [409] * 27
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"shift_full"}
    async with unit_of_work() as session:
        row = await session.get(Shift, shift["id"])
        confirmed = await session.scalar(select(func.count()).where(
            Assignment.shift_id == row.id, Assignment.status == "confirmed"))  # type: ignore[union-attr]
    assert row is not None and (row.assigned_count, row.status) == (3, "filled")
    assert confirmed == 3


async def test_one_professional_racing_for_overlapping_shifts_wins_at_most_one(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    shifts = await post_shifts(client, scheduler, unit.id,
                               *[shift_body(3, 8 + h, 16 + h) for h in range(4)])
    doctor = factories.auth(await factories.professional())
    responses = await asyncio.gather(*[
        client.post(f"/api/shifts/{s['id']}/claim", headers=doctor) for s in shifts])
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
