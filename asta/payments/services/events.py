"""Stripe webhooks: verified, applied once per event id, then acknowledged."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.payments.errors import WebhookPayloadError, WebhookSignatureError
from asta.payments.event_shapes import checked_envelope, checked_object
from asta.payments.models import (
    AreaInvoice,
    ConnectedAccount,
    InvoiceStatus,
    PayoutTransfer,
    StripeEvent,
    StripePayout,
    TransferStatus,
)
from asta.payments.schemas import WebhookAck
from asta.payments.services.accounts import apply_account_state
from asta.payments.services.transfers import mark_sent, wake_transfers_of

Handler = Callable[[AsyncSession, dict[str, Any], dict[str, Any]], Awaitable[None]]


def _instant(unix: Any) -> datetime | None:
    return datetime.fromtimestamp(unix, UTC) if isinstance(unix, int) else None


async def _account_updated(session: AsyncSession, obj: dict[str, Any], _: dict[str, Any]) -> None:
    row = await session.scalar(select(ConnectedAccount).where(
        ConnectedAccount.stripe_account_id == obj.get("id")).with_for_update())
    if row is not None and apply_account_state(row, obj):
        await wake_transfers_of(session, row.user_id, utcnow())


async def _transfer(session: AsyncSession, obj: dict[str, Any], event: dict[str, Any]) -> None:
    """A transfer Stripe made: marks our row sent even if the sender died before it could."""
    asta_id = (obj.get("metadata") or {}).get("asta_transfer_id")
    row = await session.scalar(select(PayoutTransfer).where(
        (PayoutTransfer.stripe_transfer_id == obj.get("id"))
        | (PayoutTransfer.id == _uuid_or_none(asta_id))).with_for_update())
    if row is None:
        return
    if row.status == TransferStatus.PENDING.value:
        mark_sent(row, obj["id"], utcnow())
    if event["type"] == "transfer.reversed" or obj.get("reversed"):
        row.status = TransferStatus.REVERSED.value


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def _payout(session: AsyncSession, obj: dict[str, Any], event: dict[str, Any]) -> None:
    account_id = event.get("account") or ""
    owner = await session.scalar(select(ConnectedAccount.user_id).where(
        ConnectedAccount.stripe_account_id == account_id))
    arrival = _instant(obj.get("arrival_date"))
    values = {"stripe_account_id": account_id, "professional_id": owner,
              "amount_cents": obj["amount"], "currency": obj.get("currency", "eur"),
              "status": obj["status"], "arrival_date": arrival.date() if arrival else None,
              "failure_code": obj.get("failure_code"), "updated_at": utcnow()}
    await session.execute(
        insert(StripePayout).values(stripe_payout_id=obj["id"], created_at=utcnow(), **values)
        .on_conflict_do_update(index_elements=["stripe_payout_id"], set_=values))
    created = _instant(obj.get("created"))
    if obj["status"] == "paid" and owner is not None and created is not None:
        # Stripe pays a balance out oldest first: transfers sent before this payout are paid
        # (`created` has whole seconds, so the payout's own second counts as before).
        await session.execute(update(PayoutTransfer).where(
            PayoutTransfer.professional_id == owner,
            PayoutTransfer.status == TransferStatus.SENT.value,
            col(PayoutTransfer.paid_out_at).is_(None),
            col(PayoutTransfer.sent_at) < created + timedelta(seconds=1)).values(paid_out_at=utcnow()))


async def _invoice(session: AsyncSession, obj: dict[str, Any], event: dict[str, Any]) -> None:
    row = await session.scalar(select(AreaInvoice).where(
        AreaInvoice.stripe_invoice_id == obj.get("id")).with_for_update())
    if row is None:
        return
    status = obj.get("status")
    if status in (InvoiceStatus.OPEN.value, InvoiceStatus.PAID.value, InvoiceStatus.VOID.value):
        row.status = status
    row.number = obj.get("number") or row.number
    row.hosted_invoice_url = obj.get("hosted_invoice_url") or row.hosted_invoice_url
    if status == InvoiceStatus.PAID.value:
        row.paid_at = row.paid_at or utcnow()


HANDLERS: dict[str, Handler] = {
    "account.updated": _account_updated,
    "transfer.created": _transfer,
    "transfer.updated": _transfer,
    "transfer.reversed": _transfer,
    "payout.created": _payout,
    "payout.updated": _payout,
    "payout.paid": _payout,
    "payout.failed": _payout,
    "payout.canceled": _payout,
    "invoice.finalized": _invoice,
    "invoice.paid": _invoice,
    "invoice.voided": _invoice,
    "invoice.marked_uncollectible": _invoice,
}


async def receive_event(session: AsyncSession, payload: bytes,
                        signature: str | None) -> WebhookAck:
    try:
        event = stripe.Webhook.construct_event(payload, signature,
                                               get_settings().stripe_webhook_secret)
    except stripe.SignatureVerificationError as exc:
        raise WebhookSignatureError(f"Stripe signature check failed: {exc.user_message}") from exc
    except (ValueError, AttributeError, RecursionError) as exc:
        # Signed, but not UTF-8 JSON (ValueError) or not a JSON object (the package's
        # AttributeError): no event at all.
        raise WebhookPayloadError("Unusable Stripe event: not a JSON object") from exc
    envelope = checked_envelope(event.to_dict(for_json=True))
    obj = checked_object(envelope)
    # The id is claimed first: a concurrent delivery of the same event waits here, then
    # finds it taken and changes nothing.
    claimed = await session.scalar(
        insert(StripeEvent).values(id=envelope.id, type=envelope.type, account=envelope.account,
                                   received_at=utcnow())
        .on_conflict_do_nothing().returning(StripeEvent.id))
    if claimed is None:
        return WebhookAck(received=True, duplicate=True)
    handler = HANDLERS.get(envelope.type)
    if handler is not None and obj is not None:
        await handler(session, obj, {"type": envelope.type, "account": envelope.account})
    return WebhookAck(received=True, duplicate=False)
