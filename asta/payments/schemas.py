"""API types of payments: payout setup, earnings, invoices, webhook acknowledgements."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from asta.core.schemas import Schema


class PayoutSetupRead(Schema):
    stripe_account_id: str
    onboarding_url: str
    details_submitted: bool
    transfers_enabled: bool
    payouts_enabled: bool


class PayoutAccountRead(Schema):
    stripe_account_id: str
    details_submitted: bool
    transfers_enabled: bool
    payouts_enabled: bool


class ShiftEarning(Schema):
    shift_id: uuid.UUID
    assignment_id: uuid.UUID
    unit_name: str
    organisation_id: uuid.UUID
    actual_start: datetime
    actual_end: datetime
    hours: float
    timesheet_status: str
    pay_cents: int | None  # fixed when the timesheet is approved
    payout_status: str  # awaiting_approval | queued | waiting_for_account | pending | sent
    # | paid_out | failed | reversed
    transfer_id: uuid.UUID | None
    transferred_at: datetime | None


class MonthEarning(Schema):
    month: date
    shifts: int
    hours: float
    approved_pay_cents: int
    transferred_cents: int


class PayoutRead(Schema):
    stripe_payout_id: str
    amount_cents: int
    currency: str
    status: str
    arrival_date: date | None


class EarningsRead(Schema):
    account: PayoutAccountRead | None
    shifts: list[ShiftEarning]
    months: list[MonthEarning]
    payouts: list[PayoutRead]


class InvoiceRead(Schema):
    id: uuid.UUID
    month: date
    hours: float
    pay_cents: int
    fee_cents: int
    total_cents: int
    status: str
    number: str | None
    hosted_invoice_url: str | None
    lines: list[dict[str, object]]
    finalized_at: datetime | None
    paid_at: datetime | None


class WebhookAck(Schema):
    received: bool
    duplicate: bool
