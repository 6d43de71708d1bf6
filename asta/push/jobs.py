"""Deliver queued pushes: a sweep claims due rows (asta.core.outbox), a job sends a batch.

Each push service (FCM, Mozilla's, Apple's, ...) has its own circuit (asta.core.circuit, as
for the SMTP relay): while one is down, sweeps claim none of its pushes but a probe now and
then, and pushes to the other services, e-mail and every other job go on.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import aiohttp
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from asta.core import circuit
from asta.core.clock import utcnow
from asta.core.db import get_database, unit_of_work
from asta.core.jobs import actor, every
from asta.core.outbox import OutboxTable, adopt, claim_due, record_failure, release, save_state
from asta.push import sender
from asta.push.models import PushMessage, PushStatus, PushSubscription
from asta.push.services import SERVICE_PREFIX

log = logging.getLogger(__name__)

PUSHES = OutboxTable(PushMessage, done=PushStatus.DONE, dead=PushStatus.DEAD)
GIVE_UP_AFTER = timedelta(hours=12)  # an offer or a booking pushed later is only noise
PER_JOB = 25
PER_SWEEP = 200
PROBE_LEASE = timedelta(seconds=60)


def _failed(row: PushMessage, error: str, *, permanent: bool) -> None:
    now = utcnow()
    if record_failure(row, PUSHES, now, error,
                      give_up=permanent or now - row.created_at > GIVE_UP_AFTER):
        log.error("push %s is dead: %s", row.id, error)


def _done(row: PushMessage) -> None:
    row.attempts += 1
    row.status, row.sent_at, row.last_error = PushStatus.DONE, utcnow(), None
    release(row)


@actor(max_retries=0, time_limit=4 * 60_000)
async def send_pushes(batch: str) -> None:
    """Send one claimed batch; each row's state is written the moment the service answers."""
    async with unit_of_work() as session:
        rows = await adopt(session, PUSHES, batch)
        subscriptions = {s.id: s for s in await session.scalars(select(PushSubscription).where(
            PushSubscription.id.in_({row.subscription_id for row in rows})))}  # type: ignore[attr-defined]
    if not rows:
        return
    async with get_database().engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        timeout = aiohttp.ClientTimeout(total=sender.TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            delivered = await _deliver(connection, http, rows, subscriptions)
        for service in delivered:
            if await circuit.close(connection, service):
                log.warning("push service %s is back: sending what waited", service)


async def _deliver(connection: AsyncConnection, http: aiohttp.ClientSession,
                   rows: list[PushMessage],
                   subscriptions: dict[uuid.UUID, PushSubscription]) -> set[str]:
    """The services that took a push."""
    delivered: set[str] = set()
    down: set[str] = set()
    for row in rows:
        subscription = subscriptions.get(row.subscription_id)
        if subscription is None:  # removed meanwhile, and its pushes with it
            continue
        if row.service in down:  # found down in this batch: the push waits, untried
            _failed(row, "push service down", permanent=False)
            await save_state(connection, PUSHES, row)
            continue
        try:
            await sender.send(http, subscription, row.payload)
        except sender.PushGone:
            # The browser unsubscribed or the service forgot it: its pushes go with it.
            await connection.execute(delete(PushSubscription).where(
                PushSubscription.id == subscription.id))
            subscriptions.pop(subscription.id)
            continue
        except sender.PushRefused as exc:
            _failed(row, str(exc), permanent=exc.permanent)
        except sender.PushServiceDown as exc:
            log.warning("push service %s down: %s", row.service, exc)
            await circuit.trip(connection, row.service, utcnow(), str(exc))
            down.add(row.service)
            _failed(row, str(exc), permanent=False)
        else:
            _done(row)
            delivered.add(row.service)
        await save_state(connection, PUSHES, row, "sent_at")
    return delivered


async def _held_services(session: AsyncSession) -> tuple[list[str], list[str]]:
    """Push services whose circuit is open, and those of them this sweep may probe."""
    held, probes = [], []
    names = await session.scalars(select(circuit.COLUMNS.name).where(
        circuit.COLUMNS.name.startswith(SERVICE_PREFIX)))
    for name in list(names):
        held.append(name)
        if (await circuit.allowance(session, name, utcnow(), PROBE_LEASE)).probe:
            probes.append(name)
    return held, probes


@every(5)
@actor(max_retries=0)
async def dispatch_pushes() -> None:
    """Claim due pushes and enqueue them once, in batches, within the in-flight cap; for a
    push service that is down, only one push now and then, to find out when it is back."""
    batches: list[str] = []
    async with unit_of_work() as session:
        held, probes = await _held_services(session)
        column = PushMessage.__table__.c.service  # type: ignore[attr-defined]
        for _ in range(PER_SWEEP // PER_JOB):
            batch = uuid.uuid4().hex
            if not await claim_due(session, PUSHES, utcnow(), limit=PER_JOB, token=batch,
                                   where=column.not_in(held) if held else None):
                break
            batches.append(batch)
        for service in probes:
            batch = uuid.uuid4().hex
            if await claim_due(session, PUSHES, utcnow(), limit=1, token=batch,
                               where=column == service):
                batches.append(batch)
    for batch in batches:
        send_pushes.send(batch)
