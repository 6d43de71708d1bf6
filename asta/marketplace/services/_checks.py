"""The checks before a professional takes a position: visible, open, eligible, rested."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit
from asta.core.errors import NotFoundError
from asta.core.tenancy import professional_may_see
from asta.marketplace.errors import (
    AlreadyClaimedError,
    NotEligibleError,
    OnboardingNeededError,
    OverlapError,
    ShiftFullError,
    ShiftNotOpenError,
    WorkingTimeError,
)
from asta.marketplace.models import OPEN_ASSIGNMENT_STATUSES, Assignment, Shift, ShiftStatus
from asta.marketplace.rules import (
    Eligibility,
    Interval,
    Reason,
    check_eligibility,
    check_working_time,
)
from asta.marketplace.rules.working_time import OVERLAP
from asta.marketplace.schemas import EligibilityRead
from asta.marketplace.services._common import (
    Standing,
    confirmed_intervals_near,
    local_date,
    requirements,
    rule_guard,
)

_NOT_OPEN = {
    ShiftStatus.CANCELLED.value: "This shift was cancelled",
    ShiftStatus.IN_PROGRESS.value: "This shift has already started",
    ShiftStatus.COMPLETED.value: "This shift has already been worked",
    ShiftStatus.APPROVED.value: "This shift has already been worked",
}


def require_visible(shift: Shift, who: Standing) -> None:
    """Drafts and shifts outside the professional's reach are not theirs to know about."""
    if shift.status == ShiftStatus.DRAFT.value or not professional_may_see(
            shift.visibility, shift.unit_id, shift.organisation_id,
            onboarded_units=who.onboarded_units, areas=who.areas):
        raise NotFoundError("No such shift")


def require_open(shift: Shift, now: datetime) -> None:
    if shift.status in _NOT_OPEN:
        raise ShiftNotOpenError(_NOT_OPEN[shift.status], current_status=shift.status)
    if shift.starts_at <= now:
        raise ShiftNotOpenError("This shift has already started", current_status=shift.status)


def require_free_position(shift: Shift) -> None:
    if shift.assigned_count + shift.offered_count >= shift.positions:
        raise ShiftFullError(
            f"All {shift.positions} position(s) of this shift are taken; you can join its "
            "standby list", positions=shift.positions)


def eligibility(shift: Shift, who: Standing) -> Eligibility:
    if who.facts is None:
        return Eligibility(False, False, (Reason(
            "no_profession", "Complete your profile: your profession is not set"),))
    with rule_guard():
        return check_eligibility(who.facts, requirements(shift), on=local_date(shift.starts_at))


def eligibility_read(result: Eligibility, *, instant: bool) -> EligibilityRead:
    can_claim = result.can_instant_claim if instant else result.eligible
    return EligibilityRead(eligible=result.eligible, onboarding_needed=result.onboarding_needed,
                           can_claim=can_claim,
                           reasons=[{"code": r.code, "message": r.message}
                                    for r in result.reasons])


def require_eligible(shift: Shift, who: Standing, *, instant: bool) -> Eligibility:
    result = eligibility(shift, who)
    if not result.eligible:
        raise NotEligibleError(
            "You cannot take this shift: " + "; ".join(r.message for r in result.reasons),
            reasons=[{"code": r.code, "message": r.message} for r in result.reasons])
    if instant and result.onboarding_needed:
        raise OnboardingNeededError(
            "This unit requires onboarding before your first shift; complete it with the "
            "unit first", reasons=[{"code": "onboarding_needed",
                                    "message": "Onboarding at this unit is not completed"}])
    return result


async def require_no_open_claim(session: AsyncSession, shift: Shift, who: Standing) -> None:
    existing = await session.scalar(select(Assignment.status).where(
        Assignment.shift_id == shift.id, Assignment.professional_id == who.user_id,
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES)))  # type: ignore[attr-defined]
    if existing is not None:
        raise AlreadyClaimedError(f"You have already {existing} this shift", current_status=existing)


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
    if not violations:
        return
    listed = [{"rule": v.code, "message": v.message} for v in violations]
    first = violations[0]
    if first.code == OVERLAP:
        raise OverlapError(first.message, rule=OVERLAP, violations=listed)
    raise WorkingTimeError("; ".join(v.message for v in violations), rule=first.code,
                           violations=listed)
