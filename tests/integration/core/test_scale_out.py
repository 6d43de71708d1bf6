"""Two API processes and two workers on one PostgreSQL (job broker in PostgreSQL, then in
Redis): every e-mail goes out once, every transfer is made once, periodic jobs run once per
period, and a worker killed mid-job loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.notifications.jobs import LANES
from asta.payments.test_server import TestServerControl
from tests import factories, stripe_fixtures
from tests.integration.core.test_outbox import backlog
from tests.integration.core.test_redis_broker import redis_url
from tests.integration.mail import Inbox, free_port
from tests.integration.marketplace.helpers import shift_body
from tests.integration.payments.test_transfers import onboarded
from tests.integration.processes import asta_process

stripe_url, control = stripe_fixtures.stripe_url, stripe_fixtures.control
__all__ = ["control", "redis_url", "stripe_url"]

LEASE_S = 10  # a killed worker's claims run out within the test
E_MAILS, PAID = 3000, 4


async def count(sql: str) -> int:
    async with unit_of_work() as session:
        return int(await session.scalar(text(sql)) or 0)


async def eventually(sql: str, expected: int, seconds: float, logs: list[Path], *,
                     at_least: bool = False) -> None:
    deadline = time.monotonic() + seconds
    # Polls what other processes write; there is no event to wait on.
    while True:
        found = await count(sql)
        if found >= expected if at_least else found == expected:
            return
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in logs)
            raise AssertionError(f"{sql}: {found}, expected {expected}\n{tails}")
        await asyncio.sleep(0.3)


def due_not_done() -> str:
    """E-mails due by now and not sent. A batched new-shift e-mail made after its person's
    last one went waits for its hour (by the clock the servers share with the test)."""
    return ("SELECT count(*) FROM notifications WHERE status <> 'done' AND "
            f"(next_attempt_at IS NULL OR next_attempt_at <= '{utcnow().isoformat()}')")


async def wait_for_http(url: str) -> None:
    deadline = time.monotonic() + 90
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{url}/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} did not start")


@pytest.mark.slow
@pytest.mark.parametrize("job_broker", ["postgresql", "redis"])
async def test_two_apis_and_two_workers_do_everything_once(
        job_broker: str, request: pytest.FixtureRequest, database_url: str, stripe_url: str,
        control: TestServerControl, smtp: Inbox, tmp_path: Path) -> None:
    await control.reset()
    settings = get_settings()
    object.__setattr__(settings, "stripe_api_base", stripe_url)
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    paid = [await factories.professional() for _ in range(PAID)]
    destinations = {await onboarded(person, control) for person in paid}
    for person in paid:
        await factories.worked_shift(unit, person, utcnow() - timedelta(days=2), pay_cents=50_000)
    await backlog(E_MAILS)

    env = {**os.environ, "ASTA_DATABASE_URL": database_url, "ASTA_STRIPE_API_BASE": stripe_url,
           "ASTA_SMTP_PORT": str(smtp.port), "ASTA_OUTBOX_LEASE_S": str(LEASE_S),
           "PYTHONUNBUFFERED": "1"}
    env.pop("ASTA_BROKER_URL", None)
    if job_broker == "redis":
        env["ASTA_BROKER_URL"] = request.getfixturevalue("redis_url")
    logs = [tmp_path / name for name in ("api-1.log", "api-2.log", "worker-1.log",
                                         "worker-2.log")]
    ports = [free_port(), free_port()]
    started = time.monotonic()
    with ExitStack() as stack:
        for port, log in zip(ports, logs[:2], strict=True):
            stack.enter_context(asta_process(["serve", "--no-worker", "--port", str(port)],
                                             env, log))
        workers = [stack.enter_context(asta_process(["worker", "--threads", "2"], env, log))
                   for log in logs[2:]]
        for port in ports:
            await wait_for_http(f"http://127.0.0.1:{port}")
        async with httpx.AsyncClient() as client:  # each API publishes half the shifts
            for i, port in enumerate(ports * 2):
                posted = await client.post(
                    f"http://127.0.0.1:{port}/api/units/{unit.id}/shifts", headers=scheduler,
                    json={"shifts": [shift_body(i + 3)], "publish": True})
                assert posted.status_code == 201, posted.text

        await eventually("SELECT count(*) FROM notifications WHERE status = 'done'",
                         E_MAILS // 10, 120, logs, at_least=True)  # sending: kill a worker
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        # Generous limits: beside other tests (pytest -n 3) the backlog went out at a third
        # of the speed of a run alone; a passing run waits no longer for them.
        await eventually(due_not_done(), 0, 300, logs)
        await eventually("SELECT count(*) FROM payout_transfers WHERE status = 'sent'", PAID,
                         300, logs)
        # The published shifts' new-shift e-mails are queued by jobs behind the backlog, so
        # they may not exist yet at the first wait.
        await eventually(due_not_done(), 0, 120, logs)
        assert await count("SELECT count(*) FROM notifications WHERE status <> 'done' "
                           "AND kind <> 'shift_match'") == 0  # only batched ones may wait
        elapsed = time.monotonic() - started

    rows = await count("SELECT count(*) FROM notifications WHERE status = 'done'")
    ids = smtp.message_ids()
    assert len(set(ids)) == rows >= E_MAILS
    # The messages being sent at the kill (one per SMTP connection of each of the killed
    # worker's two threads) may go out twice, with the same Message-ID, so a receiver can
    # drop them.
    assert rows <= len(ids) <= rows + 2 * LANES
    state = await control.state()
    assert state["transfers_by_destination"] == dict.fromkeys(destinations, 1)
    async with unit_of_work() as session:
        runs = dict((await session.execute(text("SELECT name, runs FROM periodic_runs"))).all())
    assert runs["send_shift_reminders"] == 1  # every 5 minutes: once in this test
    assert 1 <= runs["dispatch_notifications"] <= elapsed / 5 + 1
    if job_broker == "postgresql":
        enqueued = await count("SELECT count(*) FROM dramatiq.queue "
                               "WHERE message->>'actor_name' = 'send_shift_reminders'")
        assert enqueued == 1
