"""The checks before a professional takes a position: visible, open, eligible, rested."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit
from asta.core.errors import NotFoundError
from asta.core.tenancy import professional_may_see
from asta.marketplace.models import OPEN_ASSIGNMENT_STATUSES, Assignment, Shift, ShiftStatus
from asta.marketplace.rules import (
    Eligibility,
    Interval,
    Reason,
    check_eligibility,
    check_working_time,
)
from asta.marketplace.rules.refusals import Refusal
from asta.marketplace.rules.shift_action import Decision
from asta.marketplace.schemas import EligibilityRead
from asta.marketplace.services._common import (
    Standing,
    confirmed_intervals_near,
    local_date,
    requirements,
    rule_guard,
)
from asta.marketplace.services.refusal_errors import refusal_dicts, refused
from asta.marketplace.terms import ShiftTerms

_NOT_OPEN = {
    ShiftStatus.CANCELLED.value: "shift_cancelled",
    ShiftStatus.IN_PROGRESS.value: "shift_started",
    ShiftStatus.COMPLETED.value: "shift_worked",
    ShiftStatus.APPROVED.value: "shift_worked",
}


def require_visible(shift: ShiftTerms, who: Standing) -> None:
    """Drafts and shifts outside the professional's reach are not theirs to know about."""
    if shift.status == ShiftStatus.DRAFT.value or not professional_may_see(
            shift.visibility, shift.unit_id, shift.organisation_id,
            onboarded_units=who.onboarded_units, areas=who.areas):
        raise NotFoundError("No such shift")


def require_open(shift: ShiftTerms, now: datetime) -> None:
    """The re-check under the shift's lock: the decision was made before it was taken."""
    if shift.status in _NOT_OPEN:
        raise refused([Refusal(_NOT_OPEN[shift.status])], current_status=shift.status)
    if shift.starts_at <= now:
        raise refused([Refusal("shift_started")], current_status=shift.status)


def require_free_position(shift: ShiftTerms) -> None:
    if shift.assigned_count + shift.offered_count >= shift.positions:
        raise refused([Refusal("shift_full", {"positions": shift.positions})])


def eligibility(shift: ShiftTerms, who: Standing) -> Eligibility:
    if who.facts is None:
        return Eligibility(False, False, (Reason("no_profession"),))
    with rule_guard():
        return check_eligibility(who.facts, requirements(shift), on=local_date(shift.starts_at))


def eligibility_read(result: Eligibility, decision: Decision) -> EligibilityRead:
    return EligibilityRead(eligible=result.eligible, onboarding_needed=result.onboarding_needed,
                           can_claim=decision.can_take, action=decision.action.value,
                           reasons=refusal_dicts(decision.refusals))


def require_eligible(shift: ShiftTerms, who: Standing, *, instant: bool) -> Eligibility:
    result = eligibility(shift, who)
    if not result.eligible:
        raise refused(result.reasons)
    if instant and result.onboarding_needed:
        raise refused([Refusal("onboarding_needed")])
    return result


async def require_no_open_claim(session: AsyncSession, shift: Shift, who: Standing) -> None:
    existing = await session.scalar(select(Assignment.status).where(
        Assignment.shift_id == shift.id, Assignment.professional_id == who.user_id,
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES)))  # type: ignore[attr-defined]
    if existing is not None:
        raise refused([Refusal(f"already_{existing}")])


async def require_working_time(session: AsyncSession, shift: Shift, unit: Unit,
                               who: Standing) -> None:
    """The Working Hours Act and the unit's own limits, against the confirmed shifts."""
    existing = await confirmed_intervals_near(session, who.user_id, shift.starts_at,
                                              shift.ends_at)
    with rule_guard():
        violations = check_working_time(
            Interval(shift.starts_at, shift.ends_at, ref=shift.id),
            [Interval(start, end, ref=ref) for ref, start, end in existing],
            min_rest=timedelta(hours=unit.min_rest_hours),
            weekly_max_hours=unit.weekly_max_hours,
            personal_weekly_max_hours=who.profile.max_hours_per_week)
    if violations:
        raise refused([v.refusal for v in violations])
