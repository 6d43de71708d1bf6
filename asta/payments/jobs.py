"""Payment jobs: pay approved timesheets (exactly once), invoice areas monthly.

Periodic sweeps find the work from the database, so a lost message or a killed worker
delays a payment but never loses or repeats it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

import stripe
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Organisation
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every, send_after_commit
from asta.metrics.area_settings import area_settings
from asta.metrics.time import local_today
from asta.payments import rules, services
from asta.payments.gateway import stripe_client
from asta.payments.models import AreaInvoice, BillingCustomer, InvoiceStatus

log = logging.getLogger(__name__)


@actor(max_retries=0, time_limit=300_000)
async def send_transfer(transfer_id: str) -> None:
    """Retries are scheduled on the row (next_attempt_at), not by Dramatiq."""
    async with stripe_client() as client, unit_of_work() as session:
        outcome = await services.send_transfer(session, uuid.UUID(transfer_id), client, utcnow())
    # One line per transfer attempt is job chatter: visible with ASTA_LOG_LEVEL=debug.
    log.debug("transfer %s: %s", transfer_id, outcome)


@every(60)
@actor(max_retries=0)
async def queue_transfers() -> None:
    """Approved timesheets become pending transfers; the next sweep sends them."""
    async with unit_of_work() as session:
        queued = await services.queue_transfers(session, utcnow())
    if queued:
        send_due_transfers.send()  # now rather than at the next 10 s sweep


def queue_transfers_after_commit(session: AsyncSession) -> None:
    """Approved pay is queued for payout once the approval is committed, not at the next
    minute's sweep, which stays as the safety net."""
    send_after_commit(session, queue_transfers)


@every(10)
@actor(max_retries=0)
async def send_due_transfers() -> None:
    """Claim due transfers and enqueue each once (asta.core.outbox)."""
    async with unit_of_work() as session:
        due = await services.claim_due_transfers(session, utcnow())
    for transfer_id in due:
        send_transfer.send(str(transfer_id))


async def _customer(client: stripe.StripeClient, organisation: Organisation) -> str:
    async with unit_of_work() as session:
        known = await session.get(BillingCustomer, organisation.id)
        if known is not None:
            return known.stripe_customer_id
        customer = await client.v1.customers.create_async(
            {"name": organisation.name,
             "metadata": {"asta_organisation_id": str(organisation.id)}},
            {"idempotency_key": f"asta-customer-{organisation.id}"})
        await session.execute(insert(BillingCustomer).values(
            organisation_id=organisation.id, stripe_customer_id=customer.id,
            created_at=utcnow()).on_conflict_do_nothing())
        return customer.id


async def bill_area(client: stripe.StripeClient, organisation_id: uuid.UUID,
                    month: date) -> str:
    """Invoice one area for one month; safe to rerun from any point (returns the status).

    Each step is recorded before the next Stripe call and every call carries a key made of
    the area and month (and unit), so a rerun continues where the last one stopped.
    """
    async with unit_of_work() as session:
        invoice = await services.record_invoice(session, organisation_id, month)
        if invoice.status != InvoiceStatus.PENDING.value:
            return invoice.status
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None
        invoice_id, stripe_invoice, lines = invoice.id, invoice.stripe_invoice_id, invoice.lines
        days_due = area_settings(organisation).invoice_days_until_due
    customer = await _customer(client, organisation)
    tag = f"{organisation_id}-{month:%Y-%m}"
    metadata = {"asta_organisation_id": str(organisation_id), "asta_month": f"{month:%Y-%m}"}
    if stripe_invoice is None:
        draft = await client.v1.invoices.create_async(
            {"customer": customer, "collection_method": "send_invoice",
             "days_until_due": days_due, "auto_advance": False, "metadata": metadata,
             "pending_invoice_items_behavior": "exclude"},
            {"idempotency_key": f"asta-invoice-{tag}"})
        assert draft.id is not None  # only a preview invoice has none
        stripe_invoice = draft.id
        async with unit_of_work() as session:
            row = await session.get(AreaInvoice, invoice_id, with_for_update=True)
            assert row is not None
            row.stripe_invoice_id = stripe_invoice
    # Items already on the invoice are skipped, which also covers reruns after 24 h.
    items = await client.v1.invoice_items.list_async({"invoice": stripe_invoice, "limit": 100})
    present = {item.to_dict()["metadata"].get("asta_unit_id")
               async for item in items.auto_paging_iter()}
    for line in lines:
        if line["unit_id"] in present:
            continue
        await client.v1.invoice_items.create_async(
            {"customer": customer, "invoice": stripe_invoice, "amount": line["total_cents"],
             "currency": "eur",
             "description": (f"{line['unit_name']} {month:%m/%Y}: {line['hours']:.2f} h "
                             f"worked, pay {line['pay_cents'] / 100:.2f} EUR + platform fee "
                             f"{line['fee_cents'] / 100:.2f} EUR"),
             "metadata": {**metadata, "asta_unit_id": line["unit_id"]}},
            {"idempotency_key": f"asta-invoiceitem-{tag}-{line['unit_id']}"})
    final = await client.v1.invoices.finalize_invoice_async(
        stripe_invoice, options={"idempotency_key": f"asta-invoice-finalize-{tag}"})
    async with unit_of_work() as session:
        row = await session.get(AreaInvoice, invoice_id, with_for_update=True)
        assert row is not None
        if row.status == InvoiceStatus.PENDING.value:
            row.status = final.status or InvoiceStatus.OPEN.value
        row.number = final.number
        row.hosted_invoice_url = final.hosted_invoice_url
        row.finalized_at = row.finalized_at or utcnow()
        row.last_error = None
        return row.status


async def _note_failure(organisation_id: uuid.UUID, month: date, error: Exception) -> None:
    async with unit_of_work() as session:
        row = await services.record_invoice(session, organisation_id, month)
        row.last_error = str(error)[:1000]


async def bill_month(month: date) -> dict[uuid.UUID, str]:
    """Invoice every area with approved hours in `month`; one area's failure stops no other."""
    async with unit_of_work() as session:
        organisation_ids = await services.areas_to_bill(session, month)
    outcome: dict[uuid.UUID, str] = {}
    async with stripe_client() as client:
        for organisation_id in organisation_ids:
            try:
                outcome[organisation_id] = await bill_area(client, organisation_id, month)
            except stripe.StripeError as exc:
                log.warning("invoice of %s for %s failed: %s", organisation_id, month, exc)
                await _note_failure(organisation_id, month, exc)
                outcome[organisation_id] = "error"
    return outcome


@every(6 * 3600)
@actor(max_retries=0, time_limit=900_000)
async def bill_areas() -> None:
    """Last month's invoices; runs several times a day and finishes whatever is left."""
    await bill_month(rules.previous_month(local_today(utcnow())))
