"""Approved timesheets become transfers exactly once, whatever Stripe does on the way."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from asta.accounts.models import Organisation, Unit, User
from asta.core.circuit import Circuit
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.marketplace.models import Shift
from asta.metrics.area_settings import AreaSettings, store_area_settings
from asta.payments import services
from asta.payments.gateway import stripe_client
from asta.payments.models import PayoutTransfer, PayoutTransferItem
from asta.payments.services.transfers import STRIPE
from asta.payments.test_server import TestServerControl
from tests import factories, stripe_fixtures

WORKED = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)  # a Tuesday


async def onboarded(person: User, control: TestServerControl) -> str:
    """A Stripe account that finished onboarding, known to Asta."""
    async with stripe_client() as stripe_api:
        account = await stripe_fixtures.express_account(stripe_api, person.email)
    await control.complete_onboarding(account.id)
    await factories.connected_account(person, account.id)
    return account.id


async def area_with_worker(control: TestServerControl, *, account: bool = True
                           ) -> tuple[Organisation, Unit, User, str | None]:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    destination = await onboarded(person, control) if account else None
    return org, unit, person, destination


async def queue(now: datetime | None = None) -> list[uuid.UUID]:
    async with unit_of_work() as session:
        return await services.queue_transfers(session, now or utcnow())


async def send(transfer_id: uuid.UUID, now: datetime | None = None) -> str:
    async with stripe_client() as stripe_api, unit_of_work() as session:
        return await services.send_transfer(session, transfer_id, stripe_api, now or utcnow())


async def transfer_row(transfer_id: uuid.UUID) -> PayoutTransfer:
    async with unit_of_work() as session:
        row = await session.get(PayoutTransfer, transfer_id)
    assert row is not None
    return row


async def test_an_approved_timesheet_is_recorded_pending_then_sent_once(
        control: TestServerControl) -> None:
    _, unit, person, destination = await area_with_worker(control)
    sheet = await factories.worked_shift(unit, person, WORKED, pay_cents=76_000)
    await factories.worked_shift(unit, person, WORKED + timedelta(days=1), approved=False)

    [transfer_id] = await queue()
    recorded = await transfer_row(transfer_id)
    assert (recorded.status, recorded.amount_cents) == ("pending", 76_000)
    assert recorded.idempotency_key == f"asta-transfer-{sheet.assignment_id}"
    assert (await control.state())["counts"]["transfers"] == 0  # recorded before sent

    assert await send(transfer_id) == "sent"
    assert await queue() == []  # the timesheet is paid by a transfer already
    assert await send(transfer_id) == "skipped"
    state = await control.state()
    assert state["transfers_by_destination"] == {destination: 1}
    sent = await transfer_row(transfer_id)
    assert sent.status == "sent" and sent.stripe_transfer_id and sent.destination == destination


@pytest.mark.parametrize(("mode", "times"), [
    ("http_500", 1), ("http_500", 5), ("http_429", 1), ("http_429", 5), ("timeout", 1),
    ("timeout", 3), ("process_then_500", 1), ("process_then_500", 5),
])
async def test_exactly_one_transfer_whatever_stripe_answers(
        control: TestServerControl, mode: str, times: int) -> None:
    _, unit, person, destination = await area_with_worker(control)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    await control.add_fault("/v1/transfers", mode, times=times, method="POST")

    now = utcnow()
    for attempt in range(6):  # each send is one job run; retries come later by the row
        if (await transfer_row(transfer_id)).status == "sent":
            break
        await send(transfer_id, now + timedelta(hours=attempt))
        await control.wait_idle()
    row = await transfer_row(transfer_id)
    assert row.status == "sent"
    state = await control.state()
    assert state["transfers_by_destination"] == {destination: 1}
    assert state["requests"]["POST /v1/transfers"] > times  # the failures, then a success


async def test_a_failed_attempt_is_retried_later_with_the_same_key(
        control: TestServerControl) -> None:
    _, unit, person, destination = await area_with_worker(control)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    await control.add_fault("/v1/transfers", "http_500", times=3, method="POST")
    now = utcnow()

    assert await send(transfer_id, now) == "retry"  # three 500s use up the client's retries
    row = await transfer_row(transfer_id)
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=5)
    async with unit_of_work() as session:
        assert await services.claim_due_transfers(session, now) == []
        assert await services.claim_due_transfers(session, now + timedelta(seconds=5)) == [
            transfer_id]
    assert await send(transfer_id, now + timedelta(seconds=5)) == "sent"
    assert (await control.state())["transfers_by_destination"] == {destination: 1}


async def test_while_stripe_is_unreachable_sweeps_send_one_probe_at_a_time(
        control: TestServerControl) -> None:
    _, unit, person, destination = await area_with_worker(control)
    await factories.worked_shift(unit, person, WORKED)
    await factories.worked_shift(unit, person, WORKED + timedelta(days=1))
    first, second = await queue()
    await control.add_fault("/v1/transfers", "timeout", times=3, method="POST")
    now = utcnow()

    assert await send(first, now) == "retry"  # no answer, even after the package's retries
    await control.wait_idle()
    async with unit_of_work() as session:
        stripe_down = await session.get(Circuit, STRIPE)
        assert stripe_down is not None and stripe_down.retry_at == now + timedelta(seconds=5)
        assert await services.claim_due_transfers(session, now) == []  # `second` is due
    later = now + timedelta(seconds=5)
    async with unit_of_work() as session:
        probe = await services.claim_due_transfers(session, later)
        assert len(probe) == 1  # one transfer finds out whether Stripe is back
        assert await services.claim_due_transfers(session, later) == []
    assert await send(probe[0], later) == "sent"
    async with unit_of_work() as session:
        assert await session.get(Circuit, STRIPE) is None  # Stripe answered: closed
        [other] = await services.claim_due_transfers(session, later)  # flowing again
    assert {other, *probe} == {first, second}
    assert await send(other, later) == "sent"
    assert (await control.state())["transfers_by_destination"] == {destination: 2}


async def test_after_the_keys_lifetime_the_transfer_is_looked_up_first(
        control: TestServerControl) -> None:
    _, unit, person, destination = await area_with_worker(control)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    row = await transfer_row(transfer_id)
    # An attempt two days ago reached Stripe, then its answer was lost; Stripe has since
    # forgotten the key, so only the transfer group and metadata can tell.
    async with stripe_client() as stripe_api:
        await stripe_api.v1.transfers.create_async(
            {"amount": row.amount_cents, "currency": "eur", "destination": destination or "",
             "transfer_group": row.transfer_group, "metadata": {"asta_transfer_id": str(row.id)}},
            {"idempotency_key": "expired"})
    async with unit_of_work() as session:
        await session.execute(update(PayoutTransfer).where(PayoutTransfer.id == transfer_id)
                              .values(created_at=utcnow() - timedelta(days=2)))

    assert await send(transfer_id) == "found"
    assert (await control.state())["transfers_by_destination"] == {destination: 1}
    assert (await transfer_row(transfer_id)).status == "sent"


async def test_a_refused_destination_fails_for_good_and_is_not_retried(
        control: TestServerControl) -> None:
    _, unit, person, _ = await area_with_worker(control)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    await control.add_fault("/v1/transfers", "account_invalid", method="POST")

    assert await send(transfer_id) == "failed"
    row = await transfer_row(transfer_id)
    assert row.status == "failed" and "destination" in (row.last_error or "")
    async with unit_of_work() as session:
        assert await services.claim_due_transfers(session, utcnow() + timedelta(days=1)) == []


async def test_money_waits_for_the_professionals_payout_account(
        control: TestServerControl) -> None:
    _, unit, person, _ = await area_with_worker(control, account=False)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    assert await send(transfer_id) == "waiting_for_account"
    assert (await control.state())["counts"]["transfers"] == 0

    destination = await onboarded(person, control)
    assert await send(transfer_id) == "sent"
    assert (await control.state())["transfers_by_destination"] == {destination: 1}


async def test_weekly_areas_get_one_transfer_per_professional_and_finished_week(
        control: TestServerControl) -> None:
    org, unit, person, destination = await area_with_worker(control)
    async with unit_of_work() as session:
        row = await session.get(Organisation, org.id)
        assert row is not None
        store_area_settings(row, AreaSettings(payout_mode="weekly"))
    monday = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 08:00 in Helsinki
    for day, pay in ((0, 50_000), (2, 60_000), (7, 70_000)):  # the third is next week
        await factories.worked_shift(unit, person, monday + timedelta(days=day), pay_cents=pay)

    during_second_week = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    [weekly] = await queue(during_second_week)
    row = await transfer_row(weekly)
    assert (row.mode, row.amount_cents, str(row.period_start)) == ("weekly", 110_000,
                                                                   "2026-11-02")
    async with unit_of_work() as session:
        items = (await session.scalars(select(PayoutTransferItem).where(
            PayoutTransferItem.transfer_id == weekly))).all()
    assert len(items) == 2
    assert await send(weekly) == "sent"
    [second] = await queue(during_second_week + timedelta(days=7))
    assert (await transfer_row(second)).amount_cents == 70_000
    assert await send(second) == "sent"
    assert (await control.state())["transfers_by_destination"] == {destination: 2}


async def test_an_approval_sends_the_pay_at_once_not_at_the_next_sweep(
        client: httpx.AsyncClient, control: TestServerControl, worker: WorkerProcess) -> None:
    """The worker runs no periodic sweeps here: only the approval's own wake-up can pay."""
    org, unit, person, destination = await area_with_worker(control)
    sheet = await factories.worked_shift(unit, person, WORKED, approved=False)
    async with unit_of_work() as session:  # the shift's own rate: 8 h at 95 EUR
        await session.execute(update(Shift).where(Shift.id == sheet.shift_id)
                              .values(base_hourly_cents=9_500))
    staff = factories.auth(await factories.scheduler(org))
    approved = await client.post(f"/api/assignments/{sheet.assignment_id}/timesheet/approve",
                                 json={}, headers=staff)
    assert approved.status_code == 200, approved.text
    deadline = asyncio.get_running_loop().time() + 20
    while (await control.state())["transfers_by_destination"] != {destination: 1}:
        assert asyncio.get_running_loop().time() < deadline, "the approved pay was not sent"
        await asyncio.sleep(0.1)
    # Stripe has it; the worker records the answer in its own commit, a moment later.
    while True:
        async with unit_of_work() as session:
            [row] = (await session.scalars(select(PayoutTransfer))).all()
        if row.status != "pending" or asyncio.get_running_loop().time() >= deadline:
            break
        await asyncio.sleep(0.1)
    assert (row.status, row.amount_cents) == ("sent", 76_000)
