"""The shift lifecycle as data: which status may follow which, and what time and fill imply.

draft -> published -> filled -> in_progress -> completed -> approved, and cancelled from
any status before the shift starts. Pure: no I/O, times are passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asta.marketplace.errors import InvalidTransitionError
from asta.marketplace.models import ShiftStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.PUBLISHED, S.CANCELLED}),
    S.PUBLISHED: frozenset({S.DRAFT, S.FILLED, S.IN_PROGRESS, S.CANCELLED}),
    S.FILLED: frozenset({S.PUBLISHED, S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset({S.APPROVED}),
    S.APPROVED: frozenset(),
    S.CANCELLED: frozenset(),
}

_WHY_NOT = {
    S.CANCELLED: "it was cancelled",
    S.APPROVED: "it is already approved",
    S.COMPLETED: "it has already been worked",
    S.IN_PROGRESS: "it has already started",
}


def check_transition(current: str, target: S) -> None:
    """Refuse a move the lifecycle does not allow, saying why in the shift's terms."""
    now = S(current)
    if target in TRANSITIONS[now]:
        return
    reason = _WHY_NOT.get(now, f"it is {now.value}")
    raise InvalidTransitionError(f"The shift cannot become {target.value}: {reason}",
                                 field="status", current=now.value, target=target.value)


def fill_status(current: str, positions: int, assigned: int, offered: int) -> S:
    """published <-> filled as positions are taken and freed; other statuses stay."""
    now = S(current)
    if now not in (S.PUBLISHED, S.FILLED):
        return now
    return S.FILLED if assigned + offered >= positions else S.PUBLISHED


def status_by_time(current: str, starts_at: datetime, ends_at: datetime, now: datetime,
                   *, staffed: bool) -> S:
    """Where a staffed shift stands once its time comes; unstaffed shifts stay as they are."""
    status = S(current)
    if not staffed or status not in (S.PUBLISHED, S.FILLED, S.IN_PROGRESS):
        return status
    if now >= ends_at:
        return S.COMPLETED
    if now >= starts_at:
        return S.IN_PROGRESS
    return status


AT_RISK_WITHIN = timedelta(hours=48)


def fill_state(status: str, positions: int, filled: int, starts_at: datetime,
               now: datetime) -> str:
    """The fill board's label of a shift: draft, cancelled, filled, at_risk or open."""
    if status in ("draft", "cancelled"):
        return status
    if filled >= positions:
        return "filled"
    return "at_risk" if starts_at - now <= AT_RISK_WITHIN else "open"
