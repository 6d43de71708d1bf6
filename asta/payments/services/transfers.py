"""Paying professionals exactly once.

1. `queue_transfers` turns approved timesheets that no transfer pays yet into transfer rows
   (status pending) with a fixed idempotency key and transfer group, in one transaction.
   The primary key of payout_transfer_items pays each timesheet at most once.
2. `send_transfer` locks one pending row (SKIP LOCKED: one sender at a time) and calls
   Stripe with the row's key, inside the same transaction. If the worker dies, PostgreSQL
   drops the lock and rolls back; the next attempt sends the same key, and Stripe answers
   with the transfer it already made. Past the key's 24 h lifetime, the transfer group is
   looked up first. Retryable failures set `next_attempt_at` with backoff.
3. While Stripe cannot be reached, its circuit (asta.core.circuit) is open: the sweep claims
   nothing until the circuit's retry time, then one probe transfer; a transfer that reaches
   Stripe closes it again.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import stripe
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation
from asta.core import circuit
from asta.core.outbox import BATCH as CLAIM_BATCH
from asta.core.outbox import OutboxTable, claim_due, release
from asta.marketplace.models import Shift, Timesheet, TimesheetStatus
from asta.metrics.area_settings import area_settings
from asta.metrics.time import HELSINKI
from asta.payments import rules
from asta.payments.models import (
    ConnectedAccount,
    PayoutTransfer,
    PayoutTransferItem,
    TransferStatus,
)

log = logging.getLogger(__name__)
QUEUE_LOCK = "asta.payments.queue_transfers"
ACCOUNT_WAIT = timedelta(hours=6)  # re-check now and then; account.updated wakes it sooner
BATCH = 1000
STRIPE = "stripe"  # the circuit that stops transfer sweeps while Stripe is unreachable
PROBE_LEASE = timedelta(minutes=2)  # longer than one send with the package's retries


async def queue_transfers(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Record a pending transfer for every approved, unpaid timesheet; returns new row ids."""
    # One queuer at a time: two would only collide on the primary key and roll back.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                          {"name": QUEUE_LOCK})
    rows = (await session.execute(
        select(Timesheet.assignment_id, Timesheet.shift_id, Timesheet.professional_id,
               Timesheet.pay_total_cents, Timesheet.actual_start, Shift.organisation_id)
        .join(Shift, Shift.id == Timesheet.shift_id)
        .outerjoin(PayoutTransferItem,
                   PayoutTransferItem.assignment_id == Timesheet.assignment_id)
        .where(Timesheet.status == TimesheetStatus.APPROVED.value,
               col(Timesheet.pay_total_cents) > 0,
               col(PayoutTransferItem.assignment_id).is_(None))
        .order_by(Timesheet.approved_at).limit(BATCH))).all()
    if not rows:
        return []
    org_ids = {r.organisation_id for r in rows}
    organisations = await session.scalars(
        select(Organisation).where(Organisation.id.in_(org_ids)))  # type: ignore[attr-defined]
    modes = {o.id: area_settings(o).payout_mode for o in organisations}
    today = now.astimezone(HELSINKI).date()
    created: list[uuid.UUID] = []
    weekly: dict[tuple[uuid.UUID, uuid.UUID, date], list[Any]] = defaultdict(list)
    for row in rows:
        if modes[row.organisation_id] == "weekly":
            week = rules.week_start(row.actual_start.astimezone(HELSINKI).date())
            if rules.week_is_over(week, today):
                weekly[(row.organisation_id, row.professional_id, week)].append(row)
            continue
        transfer = PayoutTransfer(
            professional_id=row.professional_id, organisation_id=row.organisation_id,
            amount_cents=row.pay_total_cents, mode="per_shift",
            idempotency_key=rules.shift_transfer_key(row.assignment_id),
            transfer_group=rules.shift_transfer_group(row.assignment_id))
        created.append(_add(session, transfer, [row]))
    for (org_id, professional_id, week), items in weekly.items():
        batch = await session.scalar(select(func.count()).where(
            PayoutTransfer.organisation_id == org_id,
            PayoutTransfer.professional_id == professional_id,
            PayoutTransfer.period_start == week)) or 0
        transfer = PayoutTransfer(
            professional_id=professional_id, organisation_id=org_id,
            amount_cents=sum(i.pay_total_cents for i in items),
            mode="weekly", period_start=week,
            idempotency_key=rules.weekly_transfer_key(org_id, professional_id, week, batch),
            transfer_group=rules.weekly_transfer_group(org_id, professional_id, week, batch))
        created.append(_add(session, transfer, items))
    await session.flush()
    return created


def _add(session: AsyncSession, transfer: PayoutTransfer, rows: list[Any]) -> uuid.UUID:
    session.add(transfer)
    for row in rows:
        session.add(PayoutTransferItem(
            assignment_id=row.assignment_id, transfer_id=transfer.id,
            shift_id=row.shift_id, amount_cents=row.pay_total_cents))
    return transfer.id


TRANSFERS = OutboxTable(PayoutTransfer, pending=TransferStatus.PENDING.value,
                        done=TransferStatus.SENT.value, dead=TransferStatus.FAILED.value)


async def claim_due_transfers(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Pending transfers whose time has come (new, retried after backoff, or whose worker
    died), claimed so that each is enqueued once; while Stripe is down, one probe at most."""
    gate = await circuit.allowance(session, STRIPE, now, PROBE_LEASE)
    if gate.blocked:
        return []
    return await claim_due(session, TRANSFERS, now, limit=1 if gate.probe else CLAIM_BATCH)


def _metadata(transfer: PayoutTransfer) -> dict[str, str]:
    return {"asta_transfer_id": str(transfer.id),
            "asta_professional_id": str(transfer.professional_id),
            "asta_organisation_id": str(transfer.organisation_id)}


def mark_sent(transfer: PayoutTransfer, stripe_transfer_id: str, now: datetime) -> None:
    transfer.status = TransferStatus.SENT.value
    transfer.stripe_transfer_id = stripe_transfer_id
    transfer.sent_at = transfer.sent_at or now
    transfer.next_attempt_at = None
    transfer.last_error = None


async def _already_at_stripe(client: stripe.StripeClient,
                             transfer: PayoutTransfer) -> stripe.Transfer | None:
    page = await client.v1.transfers.list_async(
        {"transfer_group": transfer.transfer_group, "limit": 100})
    async for found in page.auto_paging_iter():
        # A StripeObject is not a dict: its metadata is read through to_dict().
        if found.to_dict()["metadata"].get("asta_transfer_id") == str(transfer.id):
            return found
    return None


async def send_transfer(session: AsyncSession, transfer_id: uuid.UUID,
                        client: stripe.StripeClient, now: datetime) -> str:
    """Send one pending transfer; returns what happened (for logs and tests)."""
    transfer = await session.scalar(
        select(PayoutTransfer).where(PayoutTransfer.id == transfer_id,
                                     PayoutTransfer.status == TransferStatus.PENDING.value)
        .with_for_update(skip_locked=True))
    if transfer is None:
        return "skipped"  # sent already, or another worker holds it right now
    release(transfer)  # whatever happens next is committed with the row, or rolled back
    if transfer.destination is None:
        account = await session.get(ConnectedAccount, transfer.professional_id)
        if account is None or not account.transfers_enabled:
            transfer.last_error = "Waiting for the professional to set up payouts"
            transfer.next_attempt_at = now + ACCOUNT_WAIT
            return "waiting_for_account"
        transfer.destination = account.stripe_account_id
    try:
        if rules.key_may_have_expired(transfer.created_at, now):
            found = await _already_at_stripe(client, transfer)
            if found is not None:
                mark_sent(transfer, found.id, now)
                return "found"
        result = await client.v1.transfers.create_async(
            {"amount": transfer.amount_cents, "currency": transfer.currency,
             "destination": transfer.destination, "transfer_group": transfer.transfer_group,
             "metadata": _metadata(transfer),
             "description": f"Asta shift pay ({transfer.mode})"},
            {"idempotency_key": transfer.idempotency_key})
    except stripe.StripeError as exc:
        transfer.attempts += 1
        transfer.last_error = str(exc)[:1000]
        if rules.stripe_is_down(exc):
            await circuit.trip(await session.connection(), STRIPE, now, str(exc))
        if rules.is_retryable(exc):
            transfer.next_attempt_at = now + rules.retry_delay(transfer.attempts)
            log.warning("transfer %s will be retried: %s", transfer.id, exc)
            return "retry"
        transfer.status = TransferStatus.FAILED.value
        log.error("transfer %s failed for good: %s", transfer.id, exc)
        return "failed"
    mark_sent(transfer, result.id, now)
    if await circuit.close(await session.connection(), STRIPE):
        log.warning("Stripe answers again: sending the transfers that waited")
    return "sent"


async def wake_transfers_of(session: AsyncSession, professional_id: uuid.UUID,
                            now: datetime) -> None:
    """The professional can now receive money: send what waited for the account."""
    rows = await session.scalars(select(PayoutTransfer).where(
        PayoutTransfer.professional_id == professional_id,
        PayoutTransfer.status == TransferStatus.PENDING.value))
    for transfer in rows:
        transfer.next_attempt_at = now
