"""Aggregations over the period, per bucket, done by PostgreSQL (no row loops in Python).

Each function returns rows keyed by `bucket` (a local date, or None for the whole period).
Every figure is attributed by its own moment: positions by the shift's start, hours and
outcomes by the timesheet's actual start, eNPS and patient NPS by when they were answered.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role, RoleAssignment, Unit, User
from asta.marketplace.models import Assignment, Shift, Timesheet
from asta.metrics.queries.scope import Scope, month_of, table
from asta.profiles.models import ProfessionalProfile, UnitOnboarding
from asta.surveys.models import PatientFeedback, Survey

S = table(Shift).c
A = table(Assignment).c
T = table(Timesheet).c
SV = table(Survey).c
PF = table(PatientFeedback).c
U = table(Unit).c

# A position counts as filled while someone holds it, or held it and did not come.
HOLDING = ("confirmed", "no_show")
# Assignments that held a position at some point: the late-cancellation denominator.
HELD = ("confirmed", "cancelled", "no_show")
ACTIVE_WINDOW = timedelta(days=30)
SECONDS_WORKED = sa.func.extract("epoch", T.actual_end - T.actual_start) - T.break_minutes * 60


async def positions(session: AsyncSession, scope: Scope) -> list[Any]:
    """Per bucket of shift start: posted and filled positions, time to fill (publish -> the
    last position taken), and late cancellations among the assignments that held one.

    One pass over the scope's shifts and their assignments (an assignment's start is its
    shift's start, so both are attributed alike).
    """
    holding = A.status.in_(HOLDING)
    per_shift = (
        sa.select(S.starts_at, S.positions, S.published_at, S.status,
                  sa.func.count(A.id).filter(holding).label("held"),
                  sa.func.max(sa.func.coalesce(A.decided_at, A.created_at)).filter(holding)
                  .label("filled_at"),
                  sa.func.count(A.id).filter(A.status.in_(HELD)).label("assignments"),
                  sa.func.count(A.id).filter(A.late_cancellation.is_(True)).label("late"))
        .select_from(table(Shift).outerjoin(table(Assignment), A.shift_id == S.id))
        .where(*scope.where(S.organisation_id, S.unit_id, S.starts_at))
        .group_by(S.id).subquery())
    posted = sa.and_(per_shift.c.published_at.is_not(None), per_shift.c.status != "cancelled")
    filled = sa.and_(posted, per_shift.c.held >= per_shift.c.positions)
    seconds = sa.case((filled, sa.func.extract(
        "epoch", per_shift.c.filled_at - per_shift.c.published_at)))
    bucket = scope.bucket_of(per_shift.c.starts_at)
    query = (
        sa.select(bucket.label("bucket"),
                  sa.func.count().filter(posted).label("shifts_posted"),
                  sa.func.count().filter(filled).label("shifts_filled"),
                  sa.func.coalesce(sa.func.sum(per_shift.c.positions).filter(posted), 0)
                  .label("posted"),
                  sa.func.coalesce(sa.func.sum(sa.func.least(
                      per_shift.c.held, per_shift.c.positions)).filter(posted), 0)
                  .label("filled"),
                  # percentile_cont skips NULLs: only filled shifts count.
                  sa.func.percentile_cont(0.5).within_group(seconds).label("ttf_median_s"),
                  sa.func.percentile_cont(0.9).within_group(seconds).label("ttf_p90_s"),
                  sa.func.sum(per_shift.c.assignments).label("assignments"),
                  sa.func.sum(per_shift.c.late).label("late"))
        .group_by(bucket))
    return list((await session.execute(query)).all())


async def work(session: AsyncSession, scope: Scope) -> list[Any]:
    """Approved work per bucket, area, unit and month: hours, pay and care outcomes.

    Per area because savings use each area's own parameters; per unit and month because
    the plan reports savings and outcomes that way.
    """
    approved = T.status == "approved"
    bucket = scope.bucket_of(T.actual_start)
    month = month_of(T.actual_start)
    query = (
        sa.select(bucket.label("bucket"), S.organisation_id, S.unit_id, month.label("month"),
                  sa.func.count().label("timesheets"),
                  sa.func.coalesce(sa.func.sum(SECONDS_WORKED), 0).label("seconds"),
                  sa.func.coalesce(sa.func.sum(T.pay_total_cents), 0).label("pay_cents"),
                  sa.func.coalesce(sa.func.sum(T.contacts_handled), 0).label("contacts"),
                  sa.func.coalesce(sa.func.sum(T.resolved_remotely), 0).label("resolved"),
                  sa.func.coalesce(sa.func.sum(T.referred_to_health_station), 0)
                  .label("referred"))
        .select_from(table(Timesheet).join(table(Shift), S.id == T.shift_id))
        .where(approved, *scope.where(S.organisation_id, S.unit_id, T.actual_start))
        .group_by(bucket, S.organisation_id, S.unit_id, month))
    return list((await session.execute(query)).all())


async def unit_names(session: AsyncSession, unit_ids: set[Any]) -> dict[Any, str]:
    rows = await session.execute(sa.select(U.id, U.name).where(U.id.in_(sorted(unit_ids))))
    return {r.id: r.name for r in rows}


async def professionals_used(session: AsyncSession, scope: Scope) -> list[Any]:
    """Distinct professionals who worked (a timesheet, approved or not) in the bucket."""
    bucket = scope.bucket_of(T.actual_start)
    query = (
        sa.select(bucket.label("bucket"),
                  sa.func.count(sa.distinct(T.professional_id)).label("used"))
        .select_from(table(Timesheet).join(table(Shift), S.id == T.shift_id))
        .where(*scope.where(S.organisation_id, S.unit_id, T.actual_start))
        .group_by(bucket))
    return list((await session.execute(query)).all())


def _nps_columns(score: Any) -> list[Any]:
    return [sa.func.count().label("answers"),
            sa.func.count().filter(score >= 9).label("promoters"),
            sa.func.count().filter(score <= 6).label("detractors")]


async def enps(session: AsyncSession, scope: Scope) -> list[Any]:
    bucket = scope.bucket_of(SV.answered_at)
    query = (
        sa.select(bucket.label("bucket"), *_nps_columns(SV.score),
                  sa.func.avg(SV.satisfaction).label("satisfaction"))
        .where(SV.answered_at.is_not(None),
               *scope.where(SV.organisation_id, SV.unit_id, SV.answered_at))
        .group_by(bucket))
    return list((await session.execute(query)).all())


async def patient_nps(session: AsyncSession, scope: Scope) -> list[Any]:
    bucket = scope.bucket_of(PF.answered_at)
    query = (sa.select(bucket.label("bucket"), *_nps_columns(PF.score))
             .where(*scope.where(PF.organisation_id, PF.unit_id, PF.answered_at))
             .group_by(bucket))
    return list((await session.execute(query)).all())


async def pool(session: AsyncSession, scope: Scope) -> Any:
    """Professionals on the platform at the end of the period.

    Registered and verified count the national pool (every area draws on it); onboarded
    and active count the scope's units.
    """
    R, P, UO, US = (table(RoleAssignment).c, table(ProfessionalProfile).c,
                    table(UnitOnboarding).c, table(User).c)
    units = sa.select(U.id)
    if scope.organisations is not None:
        units = units.where(U.organisation_id.in_(sorted(scope.organisations)))
    if scope.unit_id is not None:
        units = units.where(U.id == scope.unit_id)
    # Someone who held a shift before the end was in the pool then, whatever their account's
    # date says (accounts brought over from an earlier system, or the demo's, are newer than
    # their history): without this the pool falls to zero for such a period while "used" does not.
    held_before_end = sa.select(A.professional_id).where(A.starts_at < scope.end,
                                                         A.status.in_(HOLDING))
    worked_here = held_before_end.where(A.unit_id.in_(units), A.unit_id == UO.unit_id)
    professionals = (
        sa.select(R.user_id).select_from(table(RoleAssignment).join(
            table(User), US.id == R.user_id))
        .where(R.role == Role.PROFESSIONAL.value, US.erased_at.is_(None),
               sa.or_(US.created_at < scope.end, US.id.in_(held_before_end))))
    active_since = scope.end - ACTIVE_WINDOW
    query = sa.select(
        sa.select(sa.func.count()).select_from(professionals.subquery()).scalar_subquery()
        .label("registered"),
        sa.select(sa.func.count()).select_from(table(ProfessionalProfile))
        .where(P.user_id.in_(professionals), P.registration_status == "verified")
        .scalar_subquery().label("verified"),
        sa.select(sa.func.count(sa.distinct(UO.user_id)))
        .where(UO.unit_id.in_(units), UO.completed_at.is_not(None),
               sa.or_(UO.completed_at < scope.end, UO.user_id.in_(worked_here)),
               UO.user_id.in_(professionals))
        .scalar_subquery().label("onboarded"),
        sa.select(sa.func.count(sa.distinct(T.professional_id)))
        .select_from(table(Timesheet).join(table(Shift), S.id == T.shift_id))
        .where(S.unit_id.in_(units), T.actual_start >= active_since,
               T.actual_start < scope.end)
        .scalar_subquery().label("active"))
    return (await session.execute(query)).one()

