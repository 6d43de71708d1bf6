"""Gathers the facts for `rules.decide_action` and turns a refusal into the domain's error.

One shift (the shift page, a claim, a standby, an offer) or a page of the board: the same
pure decision either way, so the board never shows a button the claim would refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import ClaimMode
from asta.marketplace.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_WAITLIST_STATUSES,
    Assignment,
    Shift,
    WaitlistEntry,
    WaitlistStatus,
)
from asta.marketplace.rules import Interval, check_working_time
from asta.marketplace.rules.refusals import Refusal
from asta.marketplace.rules.shift_action import (
    Decision,
    ShiftAction,
    ShiftSituation,
    decide_action,
)
from asta.marketplace.rules.working_time import RuleViolation
from asta.marketplace.services._checks import eligibility
from asta.marketplace.services._common import CONFIRMED, Standing, rule_guard
from asta.marketplace.services.refusal_errors import refused
from asta.marketplace.terms import ShiftTerms

WAITING = WaitlistStatus.WAITING.value
MARGIN = timedelta(days=8)  # rest and weekly rules never look further than a week


class UnitLimits:
    """The unit's working-time settings a decision needs (a Unit row or board columns)."""

    def __init__(self, claim_mode: str, min_rest_hours: float, weekly_max_hours: float) -> None:
        self.request_mode = claim_mode == ClaimMode.REQUEST.value
        self.min_rest_hours = min_rest_hours
        self.weekly_max_hours = weekly_max_hours


def working_time(shift: ShiftTerms, unit: UnitLimits, who: Standing,
                 existing: Iterable[tuple[uuid.UUID, datetime, datetime]]) -> list[RuleViolation]:
    """The Working Hours Act and the unit's and person's limits, against confirmed shifts."""
    with rule_guard():
        return check_working_time(
            Interval(shift.starts_at, shift.ends_at, ref=shift.id),
            [Interval(start, end, ref=ref) for ref, start, end in existing
             if start < shift.ends_at + MARGIN and end > shift.starts_at - MARGIN],
            min_rest=timedelta(hours=unit.min_rest_hours),
            weekly_max_hours=unit.weekly_max_hours,
            personal_weekly_max_hours=who.profile.max_hours_per_week)


async def confirmed_between(session: AsyncSession, user_id: uuid.UUID, start: datetime,
                            end: datetime) -> list[tuple[uuid.UUID, datetime, datetime]]:
    rows = await session.execute(
        select(Assignment.shift_id, Assignment.starts_at, Assignment.ends_at).where(
            Assignment.professional_id == user_id, Assignment.status == CONFIRMED,
            Assignment.starts_at < end + MARGIN, Assignment.ends_at > start - MARGIN))
    return [(r.shift_id, r.starts_at, r.ends_at) for r in rows]


async def _positions(session: AsyncSession, entries: Sequence[WaitlistEntry]) -> dict[uuid.UUID, int]:
    """Place in line (1 = next) of each waiting entry."""
    places: dict[uuid.UUID, int] = {}
    for entry in entries:
        if entry.status == WAITING:
            ahead = await session.scalar(select(func.count()).where(
                WaitlistEntry.shift_id == entry.shift_id, WaitlistEntry.status == WAITING,
                WaitlistEntry.created_at < entry.created_at))
            places[entry.shift_id] = (ahead or 0) + 1
    return places


async def decide_many(session: AsyncSession, who: Standing,
                      shifts: Sequence[tuple[Shift, UnitLimits]], now: datetime
                      ) -> dict[uuid.UUID, Decision]:
    """A page of shifts in four queries, whatever its length."""
    if not shifts:
        return {}
    ids = [s.id for s, _ in shifts]
    own: dict[uuid.UUID, str] = dict((await session.execute(select(
        Assignment.shift_id, Assignment.status).where(
        Assignment.professional_id == who.user_id,
        Assignment.shift_id.in_(ids),  # type: ignore[attr-defined]
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES)))).all())  # type: ignore[attr-defined]
    entries = list(await session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.professional_id == who.user_id,
        WaitlistEntry.shift_id.in_(ids),  # type: ignore[attr-defined]
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES))))  # type: ignore[attr-defined]
    standby = {e.shift_id: e for e in entries}
    places = await _positions(session, entries)
    existing = await confirmed_between(session, who.user_id,
                                       min(s.starts_at for s, _ in shifts),
                                       max(s.ends_at for s, _ in shifts))
    decisions = {}
    for shift, unit in shifts:
        entry = standby.get(shift.id)
        decisions[shift.id] = decide_action(situation(
            shift, unit, who, existing, own=own.get(shift.id),
            standby=entry.status if entry else None, standby_position=places.get(shift.id),
            offer_expires_at=entry.offer_expires_at if entry else None), now)
    return decisions


def situation(shift: ShiftTerms, unit: UnitLimits, who: Standing,
              existing: Iterable[tuple[uuid.UUID, datetime, datetime]], *, own: str | None,
              standby: str | None, standby_position: int | None,
              offer_expires_at: datetime | None) -> ShiftSituation:
    """The decision's facts from what was read, however it was read (a page of the board or
    the claim's one query, asta.marketplace.services.claim_facts)."""
    return ShiftSituation(
        status=shift.status, starts_at=shift.starts_at, positions=shift.positions,
        free_positions=shift.positions - shift.assigned_count - shift.offered_count,
        request_mode=unit.request_mode, eligibility=eligibility(shift, who),
        working_time=working_time(shift, unit, who, existing), own_assignment=own,
        standby=standby, standby_position=standby_position, offer_expires_at=offer_expires_at)


async def decide(session: AsyncSession, who: Standing, shift: Shift, unit: UnitLimits,
                 now: datetime) -> Decision:
    return (await decide_many(session, who, [(shift, unit)], now))[shift.id]


def require(decision: Decision, shift: ShiftTerms, *wanted: ShiftAction) -> None:
    """Raise the refusal unless the decision allows one of the wanted actions."""
    if decision.action in wanted:
        return
    refusals = decision.refusals
    if ShiftAction.ACCEPT_OFFER in wanted and decision.action != ShiftAction.NONE:
        refusals = (Refusal("offer_not_open"),)
    elif decision.action in (ShiftAction.CLAIM, ShiftAction.REQUEST):
        free = shift.positions - shift.assigned_count - shift.offered_count
        refusals = (Refusal("still_open", {"positions": free}),)
    elif decision.action == ShiftAction.ACCEPT_OFFER:
        refusals = (Refusal("offer_open"),)
    raise refused(refusals, current_status=shift.status)
