"""The notification outbox under a backlog: each row enqueued once, the queue bounded while
SMTP is down, and every e-mail delivered once when it returns."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.core.outbox import MAX_IN_FLIGHT, claim_due, lease
from asta.notifications.jobs import NOTIFICATIONS, PER_JOB
from asta.notifications.models import Notification
from tests import factories
from tests.integration.mail import Inbox


async def backlog(count: int, recipients: int = 20) -> None:
    """`count` due notifications, written as one statement (the suite must stay quick)."""
    users = [await factories.professional() for _ in range(recipients)]
    async with unit_of_work() as session:
        await session.execute(text(
            "INSERT INTO notifications (id, user_id, kind, subject, body, created_at, status, "
            "attempts) SELECT gen_random_uuid(), (:users ::uuid[])[1 + i % :n], 'test', "
            "'Backlog ' || i, 'Body ' || i, :now, 'pending', 0 "
            "FROM generate_series(1, :count) AS i"),
            {"users": [u.id for u in users], "n": recipients, "now": utcnow(), "count": count})


async def scalar(sql: str) -> int:
    async with unit_of_work() as session:
        return int(await session.scalar(text(sql)) or 0)


async def test_a_sweep_claims_each_due_row_once_and_never_more_than_the_cap(
        clock: time_machine.TimeMachineFixture) -> None:
    await backlog(MAX_IN_FLIGHT + 100)
    async with unit_of_work() as session:
        first = await claim_due(session, NOTIFICATIONS, utcnow(), limit=1000)
    async with unit_of_work() as session:
        second = await claim_due(session, NOTIFICATIONS, utcnow(), limit=1000)
    assert len(first) == MAX_IN_FLIGHT and len(set(first)) == MAX_IN_FLIGHT
    assert second == []  # the rest wait until rows leave flight
    # A worker that died leaves its claims; when they run out the rows are due again.
    clock.move_to(utcnow() + lease() + timedelta(seconds=1))
    async with unit_of_work() as session:
        again = await claim_due(session, NOTIFICATIONS, utcnow(), limit=1000)
    assert len(again) == MAX_IN_FLIGHT


async def wait_until(condition: str, expected: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    # Polls what other threads and processes write; there is no event to wait on.
    while (found := await scalar(condition)) != expected and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.5)
    return found


@pytest.mark.slow
async def test_ten_thousand_e_mails_wait_for_smtp_then_go_out_exactly_once(
        mail_server: Inbox, periodic_worker: WorkerProcess) -> None:
    count = 10_000
    await backlog(count)
    queued = ("SELECT count(*) FROM dramatiq.queue WHERE state IN ('queued', 'consumed') "
              "AND message->>'actor_name' = 'send_notifications'")
    max_queue = max_locks = 0
    deadline = time.monotonic() + 12  # SMTP down: the sweep runs and every send fails
    while time.monotonic() < deadline:
        max_queue = max(max_queue, await scalar(queued))
        max_locks = max(max_locks, await scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
        await asyncio.sleep(0.2)
    waiting = await scalar("SELECT count(*) FROM notifications WHERE attempts > 0 "
                           "AND status = 'pending' AND next_attempt_at IS NOT NULL")
    assert waiting > 0 and mail_server.messages == []
    # The circuit opened: after the first sweep, only single probes tried the relay.
    tried = await scalar("SELECT coalesce(sum(attempts), 0) FROM notifications")
    assert tried <= MAX_IN_FLIGHT + 3
    # One message a claimed batch, plus what the two worker threads have taken (two each).
    assert max_queue <= MAX_IN_FLIGHT // PER_JOB + 2 * 2
    assert max_locks <= 2 * 2 + 2  # the two worker threads' prefetch, not the backlog

    mail_server.start()
    done = await wait_until("SELECT count(*) FROM notifications WHERE status = 'done'", count,
                            seconds=600)
    assert done == count
    ids = mail_server.message_ids()
    assert len(ids) == count and len(set(ids)) == count
    async with unit_of_work() as session:
        rows = await session.scalars(select(Notification.id))
        assert {f"<{i}@asta>" for i in rows} == set(ids)
        assert await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.status != "done")) == 0
