"""Pure payment rules: idempotency keys, batching weeks, retry timing, invoice amounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import stripe

# Stripe forgets an idempotency key 24 h after its first use; an hour of margin for clocks.
KEY_LIFETIME = timedelta(hours=24)
KEY_SAFETY_MARGIN = timedelta(hours=1)
RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(hours=1)
# Stripe refusals that time can cure: the platform's balance is topped up, an account
# finishes onboarding. Anything else 4xx needs a person.
RETRYABLE_CODES = frozenset({"balance_insufficient", "insufficient_capabilities_for_transfer"})


def shift_transfer_key(assignment_id: uuid.UUID) -> str:
    return f"asta-transfer-{assignment_id}"


def shift_transfer_group(assignment_id: uuid.UUID) -> str:
    return f"asta-assignment-{assignment_id}"


def weekly_transfer_key(organisation_id: uuid.UUID, professional_id: uuid.UUID,
                        week: date, batch: int) -> str:
    """One batch per professional, area and week; `batch` counts late additions (0, 1...)."""
    return f"asta-transfer-week-{organisation_id}-{professional_id}-{week.isoformat()}-{batch}"


def weekly_transfer_group(organisation_id: uuid.UUID, professional_id: uuid.UUID,
                          week: date, batch: int) -> str:
    return f"asta-week-{organisation_id}-{professional_id}-{week.isoformat()}-{batch}"


def week_start(day: date) -> date:
    """The Monday of the ISO week a (local) date falls in."""
    return day - timedelta(days=day.weekday())


def week_is_over(week: date, today: date) -> bool:
    """A weekly batch is paid once its week (Monday..Sunday, local) has ended."""
    return today >= week + timedelta(days=7)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failed sends (1 -> 5 s, 2 -> 10 s ...), capped."""
    delay: timedelta = RETRY_BASE * 2 ** max(0, attempts - 1)
    return min(RETRY_MAX, delay)


def key_may_have_expired(created_at: datetime, now: datetime) -> bool:
    """The key was first used no earlier than the row was made, so a younger row is safe."""
    return now - created_at >= KEY_LIFETIME - KEY_SAFETY_MARGIN


def is_retryable(error: stripe.StripeError) -> bool:
    """Whether the same request may succeed later (the key keeps it to one payment).

    A key still in use answers 409, which the package raises as APIError: retryable. A key
    reused with other parameters is an IdempotencyError (400): a bug, never retried.
    """
    if isinstance(error, stripe.APIConnectionError | stripe.APIError | stripe.RateLimitError):
        return True
    return isinstance(error, stripe.InvalidRequestError) and error.code in RETRYABLE_CODES


def stripe_is_down(error: stripe.StripeError) -> bool:
    """No answer, or only server errors, even after the package's retries: stop sweeping."""
    if isinstance(error, stripe.APIConnectionError):
        return True
    return isinstance(error, stripe.APIError) and (error.http_status or 500) >= 500


@dataclass(frozen=True)
class InvoiceLine:
    pay_cents: int
    fee_cents: int

    @property
    def total_cents(self) -> int:
        return self.pay_cents + self.fee_cents


def invoice_line(pay_cents: int, hours: Decimal, fee_pct: Decimal,
                 fee_cents_per_hour: int) -> InvoiceLine:
    """A unit's monthly line: worked pay plus the platform fee, rounded half-up to cents."""
    fee = Decimal(pay_cents) * fee_pct / 100 + hours * fee_cents_per_hour
    return InvoiceLine(pay_cents, int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def next_month(month: date) -> date:
    return month_start(month_start(month) + timedelta(days=32))


def payout_status(timesheet_status: str, transfer_status: str | None, paid_out: bool,
                  can_receive: bool) -> str:
    """What a professional sees about the money for one shift."""
    if timesheet_status != "approved":
        return "awaiting_approval"
    if transfer_status is None:
        return "queued" if can_receive else "waiting_for_account"
    if transfer_status == "pending" and not can_receive:
        return "waiting_for_account"
    if transfer_status == "sent" and paid_out:
        return "paid_out"
    return transfer_status
