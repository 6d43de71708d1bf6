"""Deliver queued notifications: a sweep claims due rows (asta.core.outbox), jobs send them."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from asta.accounts.models import User
from asta.core import circuit
from asta.core.clock import utcnow
from asta.core.db import get_database, unit_of_work
from asta.core.jobs import actor, every
from asta.core.outbox import (
    OutboxTable,
    adopt,
    claim_due,
    record_failure,
    release,
    save_state,
)
from asta.notifications.mailer import Mail, Mailer, MailRefused, MailServerDown, mailer
from asta.notifications.models import Notification, NotificationStatus

log = logging.getLogger(__name__)

NOTIFICATIONS = OutboxTable(Notification, done=NotificationStatus.DONE.value,
                            dead=NotificationStatus.DEAD.value)
GIVE_UP_AFTER = timedelta(days=2)  # an e-mail this late is no longer worth sending
PER_JOB = 25
LANES = 5  # SMTP connections a batch uses at once
PER_SWEEP = 200
RELAY = "smtp"  # the circuit that stops sweeps while the mail server is down
PROBE_LEASE = timedelta(seconds=60)  # a probe's worker died if it has not answered by then
DRAIN_S = 20  # how long one job keeps claiming further batches while the relay takes them


def _done(row: Notification, now: datetime, note: str | None = None) -> None:
    row.status, row.last_error = NotificationStatus.DONE.value, note
    row.sent_at = now if note is None else None
    release(row)


def _failed(row: Notification, now: datetime, error: str, *, permanent: bool) -> None:
    if record_failure(row, NOTIFICATIONS, now, error,
                      give_up=permanent or now - row.created_at > GIVE_UP_AFTER):
        log.error("notification %s is dead: %s", row.id, error)


@actor(max_retries=0, time_limit=4 * 60_000)
async def send_notifications(batch: str) -> None:
    """Send one claimed batch, then, while the relay takes them, claim and send the next due
    batches itself for up to DRAIN_S (a backlog drains without a broker round trip per batch;
    the in-flight cap still holds). Each row's state is written the moment the server answers
    (one autocommit statement), so a worker killed mid-batch repeats at most the messages it
    was sending; each row ends done, waiting to retry, or dead."""
    until = time.monotonic() + DRAIN_S
    while True:
        delivered = await _send_batch(batch)
        if not delivered or time.monotonic() > until:
            return
        batch = uuid.uuid4().hex
        async with unit_of_work() as session:
            if not await claim_due(session, NOTIFICATIONS, utcnow(), limit=PER_JOB, token=batch):
                return


async def _send_batch(batch: str) -> bool:
    """True when every row of the batch reached the relay (it is up: go on)."""
    async with unit_of_work() as session:
        rows = await adopt(session, NOTIFICATIONS, batch)
        users = {u.id: u for u in await session.scalars(select(User).where(
            User.id.in_({row.user_id for row in rows})))}  # type: ignore[attr-defined]
    if not rows:
        return False
    # A few connections at once: each message waits on several round trips to the relay.
    delivered = await asyncio.gather(*(_send_lane(rows[lane::LANES], users)
                                       for lane in range(LANES) if rows[lane::LANES]))
    if any(delivered):
        await _close_circuit()
    return all(delivered)


async def _close_circuit() -> None:
    async with get_database().engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        if await circuit.close(connection, RELAY):
            log.warning("mail server is back: sending what waited")


async def _send_lane(rows: list[Notification], users: dict[uuid.UUID, User]) -> bool:
    """Some of a batch over one SMTP connection and one database connection; False when the
    mail server was down."""
    async with get_database().engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        waiting = list(rows)
        try:
            async with mailer() as smtp:
                while waiting:
                    await _deliver(waiting[0], users.get(waiting[0].user_id), smtp)
                    await save_state(connection, NOTIFICATIONS, waiting.pop(0), "sent_at")
        except MailServerDown as exc:
            log.warning("mail server down, %d e-mails wait: %s", len(waiting), exc)
            await circuit.trip(connection, RELAY, utcnow(), str(exc))
            for row in waiting:
                _failed(row, utcnow(), str(exc), permanent=False)
                await save_state(connection, NOTIFICATIONS, row)
            return False
    return True


async def _deliver(row: Notification, user: User | None, smtp: Mailer) -> None:
    if row.to_address is None and (user is None or user.erased_at is not None):
        _done(row, utcnow(), "recipient erased")
        return
    address = row.to_address or (user.email if user else None)
    assert address is not None  # one of the two is set (ck_notification_recipient)
    try:
        # E-mails to an account are written in its language; an invitee's has no account.
        lang = user.locale if user is not None else None
        await smtp.send(Mail(address, row.subject, row.body, str(row.id), lang))
    except MailRefused as exc:
        _failed(row, utcnow(), str(exc), permanent=exc.permanent)
    else:
        row.attempts += 1
        _done(row, utcnow())


@every(5)
@actor(max_retries=0)
async def dispatch_notifications() -> None:
    """Claim due notifications and enqueue them once, in batches, within the in-flight cap;
    while the mail server is down, only one e-mail now and then, to find out when it is back."""
    batches: list[str] = []
    async with unit_of_work() as session:
        gate = await circuit.allowance(session, RELAY, utcnow(), PROBE_LEASE)
        if gate.blocked:
            return
        size, count = (1, 1) if gate.probe else (PER_JOB, PER_SWEEP // PER_JOB)
        for _ in range(count):
            batch = uuid.uuid4().hex
            if not await claim_due(session, NOTIFICATIONS, utcnow(), limit=size, token=batch):
                break
            batches.append(batch)
    for batch in batches:
        send_notifications.send(batch)
