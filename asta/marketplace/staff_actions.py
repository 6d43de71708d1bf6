"""What a scheduler may do with a shift, or with a claim on it, right now: the one place
that decides. Each function returns the refusal the service raises, or None when the action
is allowed; the scheduler's pages offer exactly the actions that have no refusal. Pure.
"""

from __future__ import annotations

from datetime import datetime

from asta.core.errors import AstaError, ConflictError
from asta.marketplace.errors import AlreadyDoneError, InvalidTransitionError, ShiftNotOpenError
from asta.marketplace.lifecycle import check_transition
from asta.marketplace.models import AssignmentStatus
from asta.marketplace.models import ShiftStatus as S

SHIFT_ACTIONS = ("publish", "edit", "unpublish", "cancel")
ASSIGNMENT_ACTIONS = ("approve", "decline", "no_show")
_TARGET = {"publish": S.PUBLISHED, "unpublish": S.DRAFT, "cancel": S.CANCELLED}


def shift_refusal(action: str, status: str, starts_at: datetime, now: datetime, *,
                  open_claims: int) -> AstaError | None:
    """`open_claims`: requests, bookings and standbys that an unpublish would strand."""
    if action == "edit":
        return _edit_refusal(status, starts_at, now)
    if action == "publish" and status != S.DRAFT.value:  # filled -> published is the fill's
        return InvalidTransitionError(f"Only a draft can be published; the shift is {status}",
                                      field="status", current=status, target="published")
    try:
        check_transition(status, _TARGET[action])
    except InvalidTransitionError as refusal:
        return refusal
    if action == "publish" and starts_at <= now:
        return ShiftNotOpenError("A shift that has already started cannot be published",
                                 field="shift_ids")
    if action == "unpublish" and open_claims:
        return ConflictError("Professionals have claimed, requested or are standing by for "
                             "this shift; cancel it with a reason instead", field="status")
    return None


def _edit_refusal(status: str, starts_at: datetime, now: datetime) -> AstaError | None:
    # Nobody has seen a draft, so changing it breaks no promise; a published shift is
    # unpublished first (which its open claims may refuse).
    if status != S.DRAFT.value:
        return ConflictError(f"Only a draft can be edited; the shift is {status}",
                             field="status")
    if starts_at <= now:
        return ShiftNotOpenError("A shift that has already started cannot be edited",
                                 field="starts_at")
    return None


def assignment_refusal(action: str, status: str, starts_at: datetime,
                       now: datetime) -> AstaError | None:
    wanted = AssignmentStatus.REQUESTED if action in ("approve", "decline") else (
        AssignmentStatus.CONFIRMED)
    if status != wanted.value:
        what = "request" if wanted is AssignmentStatus.REQUESTED else "assignment"
        return AlreadyDoneError(f"The {what} is already {status}", current_status=status)
    if action == "no_show" and starts_at > now:
        return ConflictError("A no-show can be recorded once the shift has started",
                             field="status")
    return None


def allowed_shift_actions(status: str, starts_at: datetime, now: datetime, *,
                          open_claims: int) -> list[str]:
    return [a for a in SHIFT_ACTIONS
            if shift_refusal(a, status, starts_at, now, open_claims=open_claims) is None]


def allowed_assignment_actions(status: str, starts_at: datetime, now: datetime) -> list[str]:
    return [a for a in ASSIGNMENT_ACTIONS
            if assignment_refusal(a, status, starts_at, now) is None]


def refuse(refusal: AstaError | None) -> None:
    if refusal is not None:
        raise refusal
