"""Money rows: connected accounts, transfers to professionals, payouts, area invoices, and
the Stripe events already handled."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class TransferStatus(enum.StrEnum):
    PENDING = "pending"  # recorded; not yet known to have reached Stripe
    SENT = "sent"  # Stripe answered with the transfer id
    FAILED = "failed"  # Stripe refused for good (needs a person)
    REVERSED = "reversed"


class InvoiceStatus(enum.StrEnum):
    PENDING = "pending"  # recorded; Stripe calls not finished
    OPEN = "open"
    PAID = "paid"
    VOID = "void"


class ConnectedAccount(SQLModel, table=True):
    """A professional's Stripe Express account; transfers need `transfers_enabled`."""

    __tablename__ = "connected_accounts"
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    stripe_account_id: str = Field(max_length=80, unique=True)
    details_submitted: bool = False
    transfers_enabled: bool = False
    payouts_enabled: bool = False
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class PayoutTransfer(SQLModel, table=True):
    """One transfer to a professional, written (pending) before Stripe is called.

    `idempotency_key` and `transfer_group` are fixed when the row is made, so every retry
    of the same money sends the same key, and a retry after the key's 24 h lifetime can
    first look for the transfer Stripe may already hold.
    """

    __tablename__ = "payout_transfers"
    __table_args__ = (
        sa.Index("ix_payout_transfers_due", "next_attempt_at",
                 postgresql_where=sa.text("status = 'pending'")),
        sa.CheckConstraint("amount_cents > 0", name="ck_payout_transfers_amount"),
    )
    id: uuid.UUID = id_field()
    professional_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    amount_cents: int
    currency: str = Field(default="eur", max_length=3)
    mode: str = Field(max_length=20)  # per_shift | weekly
    period_start: date | None = None  # weekly batches: the Monday of the week
    idempotency_key: str = Field(max_length=200, unique=True)
    transfer_group: str = Field(max_length=200, unique=True)
    destination: str | None = Field(default=None, max_length=80)  # fixed at the first send
    status: str = Field(default=TransferStatus.PENDING.value, max_length=20)
    stripe_transfer_id: str | None = Field(default=None, max_length=80, unique=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    next_attempt_at: datetime | None = timestamp_field()
    claimed_by: str | None = Field(default=None, max_length=80)  # in flight (asta.core.outbox)
    claimed_until: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
    paid_out_at: datetime | None = timestamp_field()


class PayoutTransferItem(SQLModel, table=True):
    """Which approved timesheet a transfer pays; the primary key pays each one once."""

    __tablename__ = "payout_transfer_items"
    assignment_id: uuid.UUID = Field(foreign_key="assignments.id", primary_key=True)
    transfer_id: uuid.UUID = Field(foreign_key="payout_transfers.id", index=True)
    shift_id: uuid.UUID = Field(foreign_key="shifts.id", index=True)
    amount_cents: int


class StripePayout(SQLModel, table=True):
    """A payout from a connected account to the professional's bank, known from webhooks."""

    __tablename__ = "stripe_payouts"
    id: uuid.UUID = id_field()
    stripe_payout_id: str = Field(max_length=80, unique=True)
    stripe_account_id: str = Field(max_length=80, index=True)
    professional_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    amount_cents: int
    currency: str = Field(default="eur", max_length=3)
    status: str = Field(max_length=20)
    arrival_date: date | None = None
    failure_code: str | None = Field(default=None, max_length=80)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class BillingCustomer(SQLModel, table=True):
    """The Stripe customer that a wellbeing area is invoiced as."""

    __tablename__ = "billing_customers"
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", primary_key=True)
    stripe_customer_id: str = Field(max_length=80, unique=True)
    created_at: datetime = created_at_field()


class AreaInvoice(SQLModel, table=True):
    """A month's invoice to an area: worked pay plus the platform fee, an item per unit."""

    __tablename__ = "area_invoices"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "month",
                                          name="uq_area_invoices_month"),)
    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    month: date  # first day of the month, Europe/Helsinki
    hours: float = 0
    pay_cents: int = 0
    fee_cents: int = 0
    total_cents: int = 0
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(
        JSONB, nullable=False, server_default="[]"))
    status: str = Field(default=InvoiceStatus.PENDING.value, max_length=20)
    stripe_invoice_id: str | None = Field(default=None, max_length=80, unique=True)
    number: str | None = Field(default=None, max_length=80)
    hosted_invoice_url: str | None = Field(default=None, max_length=500)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
    finalized_at: datetime | None = timestamp_field()
    paid_at: datetime | None = timestamp_field()


class StripeEvent(SQLModel, table=True):
    """Webhook events already applied: Stripe delivers at least once, we apply once."""

    __tablename__ = "stripe_events"
    id: str = Field(max_length=80, primary_key=True)
    type: str = Field(max_length=80)
    account: str | None = Field(default=None, max_length=80)
    received_at: datetime = created_at_field()
