"""Background work: tell professionals about new shifts that suit them; remind before start.

Both run from periodic jobs and write notifications with dedup keys, so a repeat or two
workers at once send nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, false, func, not_, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role, RoleAssignment, Unit, User
from asta.core.clock import utcnow
from asta.marketplace.models import (
    Assignment,
    Shift,
    ShiftStatus,
    UnitMarkKind,
    UnitProfessionalMark,
    Visibility,
)
from asta.marketplace.rules import ProfessionalFacts, check_eligibility
from asta.marketplace.services import notices
from asta.marketplace.services._common import (
    CONFIRMED,
    HELSINKI,
    certificate_expiry,
    local_date,
    professional_facts,
    requirements,
)
from asta.marketplace.services.board_filters import time_of_day as local_time_of_day
from asta.marketplace.services.unit_marks import marked_units
from asta.profiles.models import Certificate, ProfessionalProfile, UnitOnboarding
from asta.profiles.rules import levels_at_least

REMIND_BEFORE = timedelta(hours=24)


def time_of_day(instant: datetime) -> str:
    """The profile's words for when a shift starts (Helsinki time), as the board filters."""
    return local_time_of_day(instant.astimezone(HELSINKI))


def _visible(shift: Shift) -> ColumnElement[bool]:
    onboarded_here = exists().where(UnitOnboarding.user_id == User.id,
                                    UnitOnboarding.unit_id == shift.unit_id)
    if shift.visibility == Visibility.NATIONAL.value:
        return true()
    if shift.visibility == Visibility.UNIT.value:
        return onboarded_here
    in_area = select(Unit.id).where(Unit.organisation_id == shift.organisation_id)
    return or_(
        exists().where(UnitOnboarding.user_id == User.id,
                       UnitOnboarding.unit_id.in_(in_area)),  # type: ignore[attr-defined]
        exists().where(Assignment.professional_id == User.id, Assignment.status == CONFIRMED,
                       Assignment.unit_id.in_(in_area)))  # type: ignore[attr-defined]


def _prefers(shift: Shift) -> list[ColumnElement[bool]]:
    p = ProfessionalProfile
    weekday = shift.starts_at.astimezone(HELSINKI).isoweekday()
    when = time_of_day(shift.starts_at)
    return [
        true() if shift.is_remote else p.remote_only.is_(False),  # type: ignore[attr-defined]
        or_(p.min_hourly_pay_cents.is_(None),  # type: ignore[union-attr]
            p.min_hourly_pay_cents <= shift.base_hourly_cents),  # type: ignore[operator]
        or_(func.cardinality(p.preferred_unit_ids) == 0,
            p.preferred_unit_ids.contains([shift.unit_id]),  # type: ignore[attr-defined]
            _favourite_of(shift)),
        or_(func.cardinality(p.preferred_weekdays) == 0,
            p.preferred_weekdays.contains([weekday])),  # type: ignore[attr-defined]
        not_(p.unwanted_weekdays.contains([weekday])),  # type: ignore[attr-defined]
        or_(func.cardinality(p.preferred_times) == 0,
            p.preferred_times.contains([when])),  # type: ignore[attr-defined]
        not_(p.unwanted_times.contains([when])),  # type: ignore[attr-defined]
    ]


def _favourite_of(shift: Shift) -> ColumnElement[bool]:
    """A unit's favourite counts as preferring it (asta.marketplace.services.unit_marks)."""
    return exists().where(
        UnitProfessionalMark.unit_id == shift.unit_id,
        UnitProfessionalMark.professional_id == ProfessionalProfile.user_id,
        UnitProfessionalMark.kind == UnitMarkKind.FAVOURITE.value)


def _speaks(shift: Shift) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for code, minimum in shift.required_languages.items():
        conditions.append(or_(false(), *[
            ProfessionalProfile.languages.contains(  # type: ignore[attr-defined]
                [{"code": code, "level": level}]) for level in levels_at_least(minimum)]))
    return conditions


async def _candidates(session: AsyncSession, shift: Shift) -> list[ProfessionalProfile]:
    rows = await session.scalars(
        select(ProfessionalProfile).join(User, User.id == ProfessionalProfile.user_id).where(
            User.is_active.is_(True), User.erased_at.is_(None),  # type: ignore[attr-defined, union-attr]
            exists().where(RoleAssignment.user_id == User.id,
                           RoleAssignment.role == Role.PROFESSIONAL.value),
            ProfessionalProfile.profession == shift.profession,
            ProfessionalProfile.registration_status == "verified",
            ProfessionalProfile.specialties.contains(  # type: ignore[attr-defined]
                shift.required_specialties),
            _visible(shift), *_speaks(shift), *_prefers(shift)))
    return list(rows)


async def _facts(session: AsyncSession,
                 profiles: list[ProfessionalProfile]) -> dict[uuid.UUID, ProfessionalFacts]:
    ids = [p.user_id for p in profiles]
    certificates: dict[uuid.UUID, list[tuple[str, date | None]]] = {i: [] for i in ids}
    for user_id, competence, expires_on in await session.execute(
            select(Certificate.user_id, Certificate.competence, Certificate.expires_on).where(
                Certificate.user_id.in_(ids),  # type: ignore[attr-defined]
                Certificate.competence.is_not(None))):  # type: ignore[union-attr]
        certificates[user_id].append((competence, expires_on))
    onboarded: dict[uuid.UUID, set[uuid.UUID]] = {i: set() for i in ids}
    for user_id, unit_id in await session.execute(
            select(UnitOnboarding.user_id, UnitOnboarding.unit_id).where(
                UnitOnboarding.user_id.in_(ids))):  # type: ignore[attr-defined]
        onboarded[user_id].add(unit_id)
    blocked = await marked_units(session, ids, UnitMarkKind.BLOCKED)
    return {p.user_id: professional_facts(p, onboarded[p.user_id],
                                          certificate_expiry(certificates[p.user_id]),
                                          blocked.get(p.user_id, ()))
            for p in profiles}


async def shifts_to_match(session: AsyncSession, *, limit: int = 50) -> list[uuid.UUID]:
    """Newly published shifts, read without locking them: claims never wait on matching."""
    return list(await session.scalars(
        select(Shift.id).where(Shift.status == ShiftStatus.PUBLISHED.value,
                               Shift.matched_at.is_(None))  # type: ignore[union-attr]
        .order_by(Shift.published_at).limit(limit)))


async def match_shift(session: AsyncSession, shift_id: uuid.UUID, now: datetime) -> int:
    """Notify eligible professionals whose preferences fit one newly published shift.

    Nothing is locked while the candidates are found; each notice's key (shift, person)
    makes a second worker on the same shift harmless. Marking the shift matched is the
    transaction's last statement, so its row lock lasts only until the commit.
    """
    shift = await session.get(Shift, shift_id)
    if shift is None or shift.matched_at is not None:
        return 0
    sent = 0
    if shift.starts_at > now:
        unit = await session.get(Unit, shift.unit_id)
        assert unit is not None
        profiles = await _candidates(session, shift)
        facts = await _facts(session, profiles)
        for profile in profiles:
            verdict = check_eligibility(facts[profile.user_id], requirements(shift),
                                        on=local_date(shift.starts_at))
            if verdict.eligible:
                await notices.new_shift(session, profile.user_id, shift, unit,
                                        onboarding_needed=verdict.onboarding_needed)
                sent += 1
    await session.execute(update(Shift).where(Shift.id == shift_id,
                                              Shift.matched_at.is_(None))  # type: ignore[union-attr]
                          .values(matched_at=now))
    return sent


async def match_new_shifts(session: AsyncSession, now: datetime | None = None, *,
                           limit: int = 50) -> int:
    """`match_shift` for each newly published shift, in the caller's transaction (tests);
    the job gives each shift a transaction of its own."""
    now = now or utcnow()
    return sum([await match_shift(session, shift_id, now)
                for shift_id in await shifts_to_match(session, limit=limit)])


async def remind_upcoming(session: AsyncSession, now: datetime | None = None, *,
                          limit: int = 500) -> int:
    """One reminder per confirmed assignment, sent in the 24 hours before it starts."""
    now = now or utcnow()
    rows = (await session.scalars(
        select(Assignment).where(Assignment.status == CONFIRMED,
                                 Assignment.reminded_at.is_(None),  # type: ignore[union-attr]
                                 Assignment.starts_at > now,
                                 Assignment.starts_at <= now + REMIND_BEFORE)
        .order_by(Assignment.starts_at).limit(limit)
        .with_for_update(skip_locked=True))).all()
    for assignment in rows:
        shift = await session.get(Shift, assignment.shift_id)
        unit = await session.get(Unit, assignment.unit_id)
        assert shift is not None and unit is not None
        await notices.reminder(session, assignment, shift, unit)
        assignment.reminded_at = now
    await session.flush()
    return len(rows)
