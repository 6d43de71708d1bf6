"""The headline guarantee: a shift's pay reaches the professional exactly once, even when
the worker paying it is killed (SIGKILL) while Stripe is still working on the transfer."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.payments.gateway import stripe_client
from asta.payments.models import PayoutTransfer
from asta.payments.test_server import TestServerControl
from tests import factories
from tests.integration.payments.test_transfers import onboarded
from tests.integration.processes import asta_process

STRIPE_HANGS_S = 6.0  # Stripe holds the request (and its idempotency key) this long


@contextmanager
def worker_process(database_url: str, stripe_url: str, log_path: Path) -> Iterator[
        subprocess.Popen[bytes]]:
    """`asta worker` in its own process group, pointed at the test database and Stripe;
    its output goes to `log_path` (kept by pytest for a failing run)."""
    env = {**os.environ, "ASTA_DATABASE_URL": database_url, "ASTA_STRIPE_API_BASE": stripe_url,
           "ASTA_SMTP_PORT": "9", "PYTHONUNBUFFERED": "1",
           "ASTA_OUTBOX_LEASE_S": "15"}  # the killed worker's claim runs out within the test
    env.pop("ASTA_BROKER_URL", None)
    with asta_process(["worker", "--threads", "2"], env, log_path) as process:
        yield process


async def wait_for(condition, worker: subprocess.Popen[bytes], log: Path,  # type: ignore[no-untyped-def]
                   what: str, timeout_s: float = 90) -> None:
    """Poll `condition`; a worker that exits early fails the test at once, with its log."""
    deadline = time.monotonic() + timeout_s
    while not await condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text()[-3000:]  # noqa: ASYNC240 - a failing test, once
            raise AssertionError(f"no {what}; worker log:\n{tail}")
        await asyncio.sleep(0.1)


async def the_transfer() -> PayoutTransfer | None:
    async with unit_of_work() as session:
        return await session.scalar(select(PayoutTransfer))


@pytest.mark.slow
async def test_a_demo_shift_is_paid_exactly_once_when_the_worker_is_killed_mid_payout(
        database_url: str, stripe_url: str, control: TestServerControl, tmp_path: Path) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    destination = await onboarded(person, control)
    worked = utcnow().replace(microsecond=0) - timedelta(days=2)
    await factories.worked_shift(unit, person, worked, pay_cents=76_000)
    await control.add_fault("/v1/transfers", "slow", delay_s=STRIPE_HANGS_S, method="POST")

    async def stripe_is_working() -> bool:
        state = await control.state()
        return bool(state["in_flight"]) and state["requests"].get("POST /v1/transfers", 0) >= 1

    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    with worker_process(database_url, stripe_url, first_log) as first:
        await wait_for(stripe_is_working, first, first_log, "call to Stripe by the first worker")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    recorded = await the_transfer()
    assert recorded is not None and recorded.status == "pending"  # recorded before sending
    assert recorded.stripe_transfer_id is None

    async def sent() -> bool:
        row = await the_transfer()
        return row is not None and row.status == "sent"

    with worker_process(database_url, stripe_url, second_log) as second:
        await wait_for(sent, second, second_log, "payout finished by the second worker")
        await control.wait_idle(timeout_s=STRIPE_HANGS_S + 5)

    state = await control.state()
    assert state["transfers_by_destination"] == {destination: 1}
    async with stripe_client() as stripe_api:
        page = await stripe_api.v1.transfers.list_async({"destination": destination})
        at_stripe = [t.to_dict() async for t in page.auto_paging_iter()]
    row = await the_transfer()
    assert row is not None
    assert [t["id"] for t in at_stripe] == [row.stripe_transfer_id]
    assert at_stripe[0]["amount"] == 76_000
    assert at_stripe[0]["metadata"]["asta_transfer_id"] == str(row.id)
