"""Deliver queued pushes: a sweep claims due rows (asta.core.outbox), a job sends a batch.

While the push service is down, its circuit (asta.core.circuit, as for the SMTP relay)
stops the sweep from claiming anything but a probe now and then, so a dead push service
costs one small request per retry period, and e-mail and every other job go on.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import aiohttp
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from asta.core import circuit
from asta.core.clock import utcnow
from asta.core.db import get_database, unit_of_work
from asta.core.jobs import actor, every
from asta.core.outbox import OutboxTable, adopt, claim_due, record_failure, release, save_state
from asta.push import sender
from asta.push.models import PushMessage, PushStatus, PushSubscription

log = logging.getLogger(__name__)

PUSHES = OutboxTable(PushMessage, done=PushStatus.DONE, dead=PushStatus.DEAD)
SERVICE = "push"  # the circuit that stops sweeps while the push service is down
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
        if delivered and await circuit.close(connection, SERVICE):
            log.warning("push service is back: sending what waited")


async def _deliver(connection: AsyncConnection, http: aiohttp.ClientSession,
                   rows: list[PushMessage],
                   subscriptions: dict[uuid.UUID, PushSubscription]) -> bool:
    """True when at least one push reached the service."""
    delivered = False
    waiting = list(rows)
    while waiting:
        row = waiting.pop(0)
        subscription = subscriptions.get(row.subscription_id)
        if subscription is None:  # removed meanwhile, and its pushes with it
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
            log.warning("push service down, %d pushes wait: %s", len(waiting) + 1, exc)
            await circuit.trip(connection, SERVICE, utcnow(), str(exc))
            for left in (row, *waiting):
                _failed(left, str(exc), permanent=False)
                await save_state(connection, PUSHES, left)
            return delivered
        else:
            _done(row)
            delivered = True
        await save_state(connection, PUSHES, row, "sent_at")
    return delivered


@every(5)
@actor(max_retries=0)
async def dispatch_pushes() -> None:
    """Claim due pushes and enqueue them once, in batches, within the in-flight cap; while
    the push service is down, only one push now and then, to find out when it is back."""
    batches: list[str] = []
    async with unit_of_work() as session:
        gate = await circuit.allowance(session, SERVICE, utcnow(), PROBE_LEASE)
        if gate.blocked:
            return
        size, count = (1, 1) if gate.probe else (PER_JOB, PER_SWEEP // PER_JOB)
        for _ in range(count):
            batch = uuid.uuid4().hex
            if not await claim_due(session, PUSHES, utcnow(), limit=size, token=batch):
                break
            batches.append(batch)
    for batch in batches:
        send_pushes.send(batch)
