"""What a scheduler may do with a shift or a claim now: one function per question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asta.marketplace.errors import AlreadyDoneError, InvalidTransitionError, ShiftNotOpenError
from asta.marketplace.staff_actions import (
    allowed_assignment_actions,
    allowed_shift_actions,
    assignment_refusal,
    shift_refusal,
)

NOW = datetime(2026, 11, 18, 8, tzinfo=UTC)
LATER, EARLIER = NOW + timedelta(days=2), NOW - timedelta(hours=1)


@pytest.mark.parametrize(("status", "starts_at", "open_claims", "allowed"), [
    ("draft", LATER, 0, ["publish", "edit", "cancel"]),
    ("draft", EARLIER, 0, ["cancel"]),  # too late to publish; a draft may still go
    ("published", LATER, 0, ["unpublish", "cancel"]),
    ("published", LATER, 2, ["cancel"]),  # people hold or wait for it: cancel with a reason
    ("filled", LATER, 1, ["cancel"]),  # not "publish": only drafts are published
    ("in_progress", EARLIER, 1, []),
    ("cancelled", LATER, 0, []),
])
def test_shift_actions(status: str, starts_at: datetime, open_claims: int,
                       allowed: list[str]) -> None:
    assert allowed_shift_actions(status, starts_at, NOW, open_claims=open_claims) == allowed


def test_each_refusal_is_the_error_the_service_raises() -> None:
    assert isinstance(shift_refusal("publish", "draft", EARLIER, NOW, open_claims=0),
                      ShiftNotOpenError)
    assert isinstance(shift_refusal("publish", "cancelled", LATER, NOW, open_claims=0),
                      InvalidTransitionError)
    unpublish = shift_refusal("unpublish", "published", LATER, NOW, open_claims=1)
    assert unpublish is not None and "cancel it with a reason" in unpublish.message
    edit = shift_refusal("edit", "published", LATER, NOW, open_claims=0)
    assert edit is not None and edit.message == "Only a draft can be edited; the shift is published"


@pytest.mark.parametrize(("status", "starts_at", "allowed"), [
    ("requested", LATER, ["approve", "decline"]),
    ("confirmed", LATER, []),  # a no-show only once the shift has started
    ("confirmed", EARLIER, ["no_show"]),
    ("declined", LATER, []),
    ("no_show", EARLIER, []),
])
def test_assignment_actions(status: str, starts_at: datetime, allowed: list[str]) -> None:
    assert allowed_assignment_actions(status, starts_at, NOW) == allowed


def test_a_decided_request_cannot_be_decided_again() -> None:
    refusal = assignment_refusal("approve", "confirmed", LATER, NOW)
    assert isinstance(refusal, AlreadyDoneError)
    assert refusal.message == "The request is already confirmed"
