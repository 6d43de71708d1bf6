"""What one professional can do with one shift right now: the one decision every place asks.

The board's button, the shift page, the API's `can_claim`, the claim, the standby and the
offer all call `decide_action`, so nothing offers an action that the service will refuse.
When no action is possible the decision carries every refusal, each with its numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from asta.marketplace.rules.eligibility import Eligibility
from asta.marketplace.rules.refusals import Refusal
from asta.marketplace.rules.working_time import RuleViolation


class ShiftAction(StrEnum):
    CLAIM = "claim"  # instant booking
    REQUEST = "request"  # the unit approves
    STANDBY = "standby"  # every position taken: join the standby list
    ACCEPT_OFFER = "accept_offer"  # a standby offer is open for this person
    CANCEL = "cancel"  # this person holds (or has requested) the shift
    NONE = "none"


# Shift states in which nobody can take it, by the refusal that says so.
_CLOSED = {"cancelled": "shift_cancelled", "in_progress": "shift_started",
           "completed": "shift_worked", "approved": "shift_worked"}


@dataclass(frozen=True, slots=True)
class ShiftSituation:
    """The facts the decision needs; the services gather them, the decision is pure."""

    status: str
    starts_at: datetime
    positions: int
    free_positions: int
    request_mode: bool
    eligibility: Eligibility
    working_time: Sequence[RuleViolation] = ()
    own_assignment: str | None = None  # "confirmed" or "requested", if any is open
    standby: str | None = None  # "waiting" or "offered", if on the list
    standby_position: int | None = None
    offer_expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    action: ShiftAction
    refusals: tuple[Refusal, ...] = ()

    @property
    def can_take(self) -> bool:
        return self.action in (ShiftAction.CLAIM, ShiftAction.REQUEST)


def decide_action(s: ShiftSituation, now: datetime) -> Decision:
    started = s.starts_at <= now
    if s.own_assignment is not None:
        held = Refusal("already_confirmed" if s.own_assignment == "confirmed"
                       else "already_requested")
        return Decision(ShiftAction.NONE if started else ShiftAction.CANCEL, (held,))
    if s.status in _CLOSED:
        return Decision(ShiftAction.NONE, (Refusal(_CLOSED[s.status]),))
    if started:
        return Decision(ShiftAction.NONE, (Refusal("shift_started"),))
    rules = _person_refusals(s)
    if s.standby == "offered" and (s.offer_expires_at is None or s.offer_expires_at > now):
        return Decision(ShiftAction.NONE, rules) if rules else Decision(ShiftAction.ACCEPT_OFFER)
    if rules:
        return Decision(ShiftAction.NONE, rules)
    if s.free_positions > 0:
        return Decision(ShiftAction.REQUEST if s.request_mode else ShiftAction.CLAIM)
    if s.standby == "waiting":
        return Decision(ShiftAction.NONE, (Refusal("already_standing_by",
                                                   {"position": s.standby_position}),))
    return Decision(ShiftAction.STANDBY, (Refusal("shift_full", {"positions": s.positions}),))


def _person_refusals(s: ShiftSituation) -> tuple[Refusal, ...]:
    """Eligibility first (every reason), then onboarding, then the working-time rules."""
    if not s.eligibility.eligible:
        return s.eligibility.reasons
    if s.eligibility.onboarding_needed and not s.request_mode:
        return (Refusal("onboarding_needed"),)
    return tuple(v.refusal for v in s.working_time)
