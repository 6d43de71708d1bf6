"""The circuit that stops sweeps from hammering a mail server (or Stripe) that is down."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import time_machine

from asta.core import circuit
from asta.core.clock import utcnow
from asta.core.db import get_database, unit_of_work
from asta.core.outbox import BACKOFF_CAP, retry_delay

LEASE = timedelta(seconds=60)


async def trip(error: str = "Connection refused", now: datetime | None = None) -> None:
    async with get_database().engine.begin() as connection:
        await circuit.trip(connection, "smtp", now or utcnow(), error)


async def gate() -> circuit.Allowance:
    async with unit_of_work() as session:
        return await circuit.allowance(session, "smtp", utcnow(), LEASE)


async def test_a_closed_circuit_lets_sweeps_claim_everything() -> None:
    assert await gate() == circuit.CLOSED


async def test_an_open_circuit_grants_one_probe_when_its_time_comes(
        clock: time_machine.TimeMachineFixture) -> None:
    await trip()
    assert (await gate()).blocked
    clock.move_to(utcnow() + retry_delay(1))
    first, second = await gate(), await gate()
    assert first.probe and second.blocked  # one sweep probes; the others wait for its answer
    clock.move_to(utcnow() + LEASE + timedelta(seconds=1))
    assert (await gate()).probe  # the probe's worker died: another sweep may probe


async def test_each_failed_probe_waits_longer_up_to_the_cap(
        clock: time_machine.TimeMachineFixture) -> None:
    waits = []
    for _failures in range(6):
        now = utcnow()
        await trip(now=now)
        async with unit_of_work() as session:
            row = await session.get(circuit.Circuit, "smtp")
            assert row is not None
            waits.append(row.retry_at - now)
        clock.move_to(utcnow() + waits[-1])
    assert waits == [retry_delay(n) for n in range(1, 7)]
    assert waits[-1] == BACKOFF_CAP


async def test_a_delivery_closes_the_circuit() -> None:
    await trip()
    async with get_database().engine.begin() as connection:
        assert await circuit.close(connection, "smtp")
        assert not await circuit.close(connection, "smtp")  # closing twice is a no-op
    assert await gate() == circuit.CLOSED


async def test_health_names_the_unreachable_dependency(client: httpx.AsyncClient) -> None:
    await trip("ConnectionRefusedError: [Errno 111]")
    body = (await client.get("/health")).json()
    assert body["status"] == "degraded"
    assert any(p.startswith("smtp unreachable since") and "Errno 111" in p
               for p in body["problems"])
