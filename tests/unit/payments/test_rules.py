"""Payment rules: keys that never change between retries, weeks, backoff, invoice lines."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import stripe

from asta.payments import rules

ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def test_keys_are_derived_from_the_assignment_and_stable() -> None:
    assert rules.shift_transfer_key(ID) == f"asta-transfer-{ID}"
    assert rules.shift_transfer_key(ID) == rules.shift_transfer_key(uuid.UUID(str(ID)))
    assert rules.shift_transfer_group(ID) != rules.shift_transfer_key(ID)
    week = date(2026, 11, 2)
    assert rules.weekly_transfer_key(ID, ID, week, 0) != rules.weekly_transfer_key(ID, ID, week, 1)


@pytest.mark.parametrize(("day", "monday"), [
    (date(2026, 11, 2), date(2026, 11, 2)), (date(2026, 11, 8), date(2026, 11, 2)),
    (date(2026, 11, 9), date(2026, 11, 9)), (date(2027, 1, 1), date(2026, 12, 28)),
])
def test_week_start(day: date, monday: date) -> None:
    assert rules.week_start(day) == monday


def test_a_week_is_paid_once_it_is_over() -> None:
    assert not rules.week_is_over(date(2026, 11, 2), date(2026, 11, 8))
    assert rules.week_is_over(date(2026, 11, 2), date(2026, 11, 9))


@pytest.mark.parametrize(("attempts", "seconds"), [(0, 5), (1, 5), (2, 10), (3, 20), (10, 2560),
                                                    (11, 3600), (40, 3600)])
def test_retry_delay_doubles_up_to_an_hour(attempts: int, seconds: int) -> None:
    assert rules.retry_delay(attempts) == timedelta(seconds=seconds)


def test_an_idempotency_key_may_have_expired_only_after_23_hours() -> None:
    made = datetime(2026, 11, 1, tzinfo=UTC)
    assert not rules.key_may_have_expired(made, made + timedelta(hours=22, minutes=59))
    assert rules.key_may_have_expired(made, made + timedelta(hours=23))


# Built as the package builds them from Stripe's answers (status first, then type).
@pytest.mark.parametrize(("error", "retry"), [
    (stripe.APIConnectionError("timeout"), True),
    (stripe.APIError("boom", http_status=500), True),
    (stripe.RateLimitError("slow down", http_status=429), True),
    (stripe.APIError("key in use", http_status=409), True),  # in progress: the package's 409
    (stripe.IdempotencyError("other params", http_status=400), False),
    (stripe.InvalidRequestError("no funds", None, "balance_insufficient", http_status=400), True),
    (stripe.InvalidRequestError("bad account", "destination", "account_invalid",
                                http_status=400), False),
    (stripe.CardError("declined", None, "card_declined", http_status=402), False),
    (stripe.AuthenticationError("bad key", http_status=401), False),
])
def test_which_failures_are_retried(error: stripe.StripeError, retry: bool) -> None:
    assert rules.is_retryable(error) is retry


@pytest.mark.parametrize(("error", "down"), [
    (stripe.APIConnectionError("timeout"), True),
    (stripe.APIError("boom", http_status=503), True),
    (stripe.APIError("key in use", http_status=409), False),
    (stripe.RateLimitError("slow down", http_status=429), False),
    (stripe.InvalidRequestError("no funds", None, "balance_insufficient", http_status=400), False),
])
def test_which_failures_open_stripes_circuit(error: stripe.StripeError, down: bool) -> None:
    assert rules.stripe_is_down(error) is down


def test_invoice_line_rounds_the_fee_half_up() -> None:
    line = rules.invoice_line(114_005, Decimal("12.5"), Decimal("10"), 100)
    assert (line.pay_cents, line.fee_cents, line.total_cents) == (114_005, 12_651, 126_656)


def test_months() -> None:
    assert rules.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert rules.next_month(date(2026, 12, 1)) == date(2027, 1, 1)


@pytest.mark.parametrize(("sheet", "transfer", "paid", "account", "shown"), [
    ("submitted", None, False, True, "awaiting_approval"),
    ("approved", None, False, True, "queued"),
    ("approved", None, False, False, "waiting_for_account"),
    ("approved", "pending", False, False, "waiting_for_account"),
    ("approved", "pending", False, True, "pending"),
    ("approved", "sent", False, True, "sent"),
    ("approved", "sent", True, True, "paid_out"),
    ("approved", "failed", False, True, "failed"),
])
def test_payout_status(sheet: str, transfer: str | None, paid: bool, account: bool,
                       shown: str) -> None:
    assert rules.payout_status(sheet, transfer, paid, account) == shown
