"""The shift board: professionals see what they may take, schedulers see their units' shifts.

Eligibility is filtered in SQL, so the board stays fast with tens of thousands of shifts:
a professional's languages become tokens ("sv:basic", "sv:fluent") and a shift's
requirements must be contained in the professional's (`<@`, GIN-indexed arrays). The pure
rule `check_eligibility` then explains each shift of the page, so what the board shows
and what a claim enforces are the same rule.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Unit
from asta.core.auth import STAFF_ROLES, Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.schemas import Page
from asta.core.tenancy import (
    can_staff_unit,
    professional_shift_clause,
    staff_unit_clause,
    unit_for_staff,
)
from asta.marketplace.models import (
    BOARD_STATUSES,
    OPEN_WAITLIST_STATUSES,
    Assignment,
    Shift,
    ShiftStatus,
    WaitlistEntry,
)
from asta.marketplace.rules import cancel_counts_as_late, cancellation_is_late
from asta.marketplace.schemas import MyAssignment, ShiftDetail, ShiftRead
from asta.marketplace.services._checks import eligibility, eligibility_read, require_visible
from asta.marketplace.services._common import (
    REQUESTED,
    Standing,
    local_midnight,
    shift_read,
    standing,
)
from asta.marketplace.services.board_filters import HOURS, fits, starts_in
from asta.marketplace.services.claims import assignment_read, assignments_of_shift
from asta.marketplace.services.shift_action import UnitLimits, decide, decide_many
from asta.marketplace.services.timesheets import timesheets_of_shift
from asta.marketplace.services.waitlist import entry_read
from asta.profiles.availability import HELSINKI, Span, available_spans
from asta.profiles.models import ProfessionalProfile
from asta.profiles.services.availability import availability_of

# Written out, not bound: the planner can then use the partial index ix_shifts_board, whose
# predicate it cannot prove from parameters in a generic (prepared) plan.
ON_BOARD: ColumnElement[bool] = text(
    "shifts.status IN ({})".format(", ".join(f"'{s}'" for s in BOARD_STATUSES)))  # type: ignore[assignment]


@dataclass(frozen=True)
class BoardFilters:
    unit_id: uuid.UUID | None = None
    starts_from: datetime | None = None
    starts_to: datetime | None = None
    remote: bool | None = None
    min_hourly_pay_cents: int | None = None
    min_total_pay_cents: int | None = None
    profession: str | None = None
    status: str | None = None  # staff only
    eligible_only: bool = True  # professionals only
    open_only: bool = False
    times_of_day: tuple[str, ...] = ()  # morning, day, evening, night (Helsinki start)
    fits_preferences: bool = False  # professionals only: the profile's own preferences
    limit: int = 50
    offset: int = 0


def _common_filters(f: BoardFilters) -> list[ColumnElement[bool]]:
    if f.starts_from and f.starts_to and f.starts_to <= f.starts_from:
        raise InvalidInputError("'to' must be after 'from'", field="to")
    conditions: list[ColumnElement[bool]] = []
    if f.unit_id:
        conditions.append(Shift.unit_id == f.unit_id)
    if f.starts_from:
        conditions.append(Shift.starts_at >= f.starts_from)
    if f.starts_to:
        conditions.append(Shift.starts_at < f.starts_to)
    if f.remote is not None:
        conditions.append(Shift.is_remote.is_(f.remote))  # type: ignore[attr-defined]
    if f.min_hourly_pay_cents is not None:
        conditions.append(Shift.base_hourly_cents >= f.min_hourly_pay_cents)
    if f.min_total_pay_cents is not None:
        conditions.append(Shift.pay_total_cents >= f.min_total_pay_cents)
    if f.profession:
        conditions.append(Shift.profession == f.profession)
    if f.open_only:
        conditions.append(Shift.assigned_count + Shift.offered_count < Shift.positions)
    if f.times_of_day:
        unknown = set(f.times_of_day) - set(HOURS)
        if unknown:
            raise InvalidInputError(f"Unknown time of day {sorted(unknown)[0]!r}",
                                    field="time_of_day")
        conditions.append(starts_in(f.times_of_day))
    return conditions


def eligible_clause(who: Standing) -> ColumnElement[bool] | None:
    """The SQL twin of rules.check_eligibility (without onboarding, which only marks)."""
    facts = who.facts
    if facts is None or not facts.registration_verified:
        return None
    competences = sorted(facts.competences)
    conditions: list[ColumnElement[bool]] = [
        col(Shift.profession) == facts.profession,
        Shift.required_competences.contained_by(competences),  # type: ignore[attr-defined]
        Shift.required_specialties.contained_by(sorted(facts.specialties)),  # type: ignore[attr-defined]
        Shift.language_tokens.contained_by(who.tokens),  # type: ignore[attr-defined]
    ]
    if facts.registration_valid_until is not None:
        cutoff = local_midnight(facts.registration_valid_until + timedelta(days=1))
        conditions.append(Shift.starts_at < cutoff)
    for competence, expires_on in sorted(who.competence_expiry.items()):
        if expires_on is not None:
            cutoff = local_midnight(expires_on + timedelta(days=1))
            conditions.append(or_(
                not_(Shift.required_competences.contains([competence])),  # type: ignore[attr-defined]
                Shift.starts_at < cutoff))
    return and_(*conditions)


def _page_query(conditions: list[ColumnElement[bool]], f: BoardFilters,
                *limits: Any) -> Select[Any]:
    query: Select[Any] = (
        select(Shift, Unit.name, Unit.claim_mode, *limits, func.count().over().label("total"))
        .join(Unit, Unit.id == Shift.unit_id).where(*conditions)
        .order_by(Shift.starts_at, Shift.id).limit(f.limit).offset(f.offset))
    return query


async def _total(session: AsyncSession, rows: list[object], conditions: list[ColumnElement[bool]],
                 f: BoardFilters) -> int:
    if rows:
        return int(rows[0].total)  # type: ignore[attr-defined]
    if f.offset == 0:
        return 0
    return await session.scalar(select(func.count()).select_from(Shift).where(*conditions)) or 0


# "Fits my preferences" looks this far ahead when the board has no end date.
FITS_HORIZON = timedelta(days=400)


async def _available_spans(session: AsyncSession, user_id: uuid.UUID, f: BoardFilters,
                           now: datetime) -> list[Span]:
    first = (f.starts_from or now).astimezone(HELSINKI).date()
    last = (f.starts_to or now + FITS_HORIZON).astimezone(HELSINKI).date() + timedelta(days=1)
    mine = (await availability_of(session, [user_id], since=now))[user_id]
    return available_spans(mine, first, last)


async def professional_board(session: AsyncSession, principal: Principal,
                             f: BoardFilters) -> Page[ShiftRead]:
    now = utcnow()
    who = await standing(session, principal.user_id)
    conditions: list[ColumnElement[bool]] = [
        ON_BOARD,
        col(Shift.starts_at) > now,
        professional_shift_clause(Shift.visibility, Shift.unit_id, Shift.organisation_id,
                                  onboarded_units=who.onboarded_units, areas=who.areas),
        *_common_filters(f),
    ]
    if f.fits_preferences:
        assert isinstance(who.profile, ProfessionalProfile)  # standing() loads the row
        conditions += fits(who.profile, await _available_spans(session, principal.user_id, f,
                                                               now))
    if f.eligible_only:
        clause = eligible_clause(who)
        if clause is None:  # unverified or no profession: nothing is claimable yet
            return Page(items=[], total=0, limit=f.limit, offset=f.offset)
        conditions.append(clause)
    rows = list((await session.execute(_page_query(
        conditions, f, Unit.min_rest_hours, Unit.weekly_max_hours))).all())
    decisions = await decide_many(session, who, [
        (shift, UnitLimits(mode, rest, weekly)) for shift, _, mode, rest, weekly, _ in rows], now)
    items = [shift_read(shift, unit_name, claim_mode, eligibility=eligibility_read(
        eligibility(shift, who), decisions[shift.id]))
        for shift, unit_name, claim_mode, *_ in rows]
    return Page(items=items, total=await _total(session, rows, conditions, f), limit=f.limit,
                offset=f.offset)


async def board_units(session: AsyncSession, principal: Principal) -> list[tuple[uuid.UUID, str]]:
    """The units with shifts on this professional's board, for the board's unit filter."""
    who = await standing(session, principal.user_id)
    rows = await session.execute(
        select(Unit.id, Unit.name).join(Shift, Shift.unit_id == Unit.id)
        .where(ON_BOARD, col(Shift.starts_at) > utcnow(),
               professional_shift_clause(Shift.visibility, Shift.unit_id, Shift.organisation_id,
                                         onboarded_units=who.onboarded_units, areas=who.areas))
        .distinct().order_by(Unit.name).limit(200))
    return [(r.id, r.name) for r in rows]


async def _staff_counts(session: AsyncSession, ids: list[uuid.UUID]) -> tuple[
        dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    if not ids:
        return {}, {}
    requested = await session.execute(
        select(Assignment.shift_id, func.count()).where(
            Assignment.shift_id.in_(ids), Assignment.status == REQUESTED)  # type: ignore[attr-defined]
        .group_by(Assignment.shift_id))
    standby = await session.execute(
        select(WaitlistEntry.shift_id, func.count()).where(
            WaitlistEntry.shift_id.in_(ids),  # type: ignore[attr-defined]
            WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES))  # type: ignore[attr-defined]
        .group_by(WaitlistEntry.shift_id))
    return ({shift_id: count for shift_id, count in requested},
            {shift_id: count for shift_id, count in standby})


async def staff_board(session: AsyncSession, principal: Principal,
                      f: BoardFilters) -> Page[ShiftRead]:
    if f.unit_id:
        await unit_for_staff(session, principal, f.unit_id)
    conditions = [staff_unit_clause(principal, Shift.unit_id, Shift.organisation_id),
                  *_common_filters(f)]
    if f.status:
        if f.status not in {s.value for s in ShiftStatus}:
            raise InvalidInputError(f"Unknown status {f.status!r}", field="status")
        conditions.append(Shift.status == f.status)
    rows = list((await session.execute(_page_query(conditions, f))).all())
    requested, standby = await _staff_counts(session, [r[0].id for r in rows])
    items = [shift_read(s, name, mode, requested=requested.get(s.id, 0),
                        standby=standby.get(s.id, 0)) for s, name, mode, _ in rows]
    return Page(items=items, total=await _total(session, rows, conditions, f), limit=f.limit,
                offset=f.offset)


async def list_shifts(session: AsyncSession, principal: Principal,
                      f: BoardFilters) -> Page[ShiftRead]:
    """Staff see their units' shifts; professionals see the board."""
    if principal.has_role(*STAFF_ROLES):
        return await staff_board(session, principal, f)
    return await professional_board(session, principal, f)


async def shift_detail(session: AsyncSession, principal: Principal,
                       shift_id: uuid.UUID) -> ShiftDetail:
    shift = await session.get(Shift, shift_id)
    if shift is None:
        raise NotFoundError("No such shift")
    unit = await session.get(Unit, shift.unit_id)
    assert unit is not None
    if can_staff_unit(principal, unit):
        requested, standby = await _staff_counts(session, [shift.id])
        base = shift_read(shift, unit.name, unit.claim_mode, requested=requested.get(shift.id, 0),
                          standby=standby.get(shift.id, 0))
        assignments = await assignments_of_shift(session, shift.id,
                                                 await timesheets_of_shift(session, shift.id))
        return ShiftDetail(**base.model_dump(), assignments=assignments)
    if not principal.is_professional:
        raise NotFoundError("No such shift")
    who = await standing(session, principal.user_id)
    mine = (await session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id, Assignment.professional_id == principal.user_id)
        .order_by(Assignment.created_at))).all()
    if not mine:
        require_visible(shift, who)
    limits = UnitLimits(unit.claim_mode, unit.min_rest_hours, unit.weekly_max_hours)
    verdict = eligibility_read(eligibility(shift, who),
                               await decide(session, who, shift, limits, utcnow()))
    base = shift_read(shift, unit.name, unit.claim_mode, eligibility=verdict)
    entry = await session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.shift_id == shift.id, WaitlistEntry.professional_id == principal.user_id,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    return ShiftDetail(**base.model_dump(), assignments=[assignment_read(a) for a in mine],
                       cancellation_notice_hours=unit.cancellation_notice_hours,
                       late_if_cancelled_now=cancellation_is_late(
                           utcnow(), shift.starts_at, unit.cancellation_notice_hours),
                       my_standby=await entry_read(session, entry) if entry else None)


async def my_assignments(session: AsyncSession, principal: Principal, *,
                         upcoming_only: bool) -> list[MyAssignment]:
    conditions = [Assignment.professional_id == principal.user_id]
    if upcoming_only:
        conditions.append(Assignment.ends_at > utcnow())
    rows = await session.execute(
        select(Assignment, Shift, Unit.name, Unit.claim_mode, Unit.cancellation_notice_hours)
        .join(Shift, Shift.id == Assignment.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .where(*conditions).order_by(Assignment.starts_at).limit(500))
    now = utcnow()
    return [MyAssignment(**assignment_read(a).model_dump(), shift=shift_read(s, name, mode),
                         cancellation_notice_hours=notice,
                         cancelling_now_is_late=cancel_counts_as_late(
                             a.status, a.starts_at, notice, now))
            for a, s, name, mode, notice in rows]
