"""Build the optimiser's Problem for a matching run from the database.

Everything is loaded in a fixed number of queries, whatever the pool's size. Times become
minutes on Helsinki's wall clock from local midnight of the period's first day, as the
optimiser's day-based rules expect.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Role, RoleAssignment, Unit, User
from asta.core.clock import today as current_date
from asta.marketplace.models import (
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
    UnitMarkKind,
    Visibility,
)
from asta.marketplace.rules import check_eligibility

# The marketplace's own words for eligibility and times of day, so matching agrees with it.
from asta.marketplace.services._common import (
    certificate_expiry,
    professional_facts,
    requirements,
)
from asta.marketplace.services.matching import time_of_day
from asta.marketplace.services.unit_marks import marked_units
from asta.profiles.availability import available_spans
from asta.profiles.models import (
    Certificate,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.profiles.services.availability import availability_of
from asta.scheduling import problem as p
from asta.scheduling.models import MatchingRun

HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Built:
    problem: p.Problem
    shifts: dict[str, Shift]
    names: dict[str, str]


class Clock:
    """Converts instants to the optimiser's minutes (Helsinki wall clock from day 0)."""

    def __init__(self, period_start: datetime) -> None:
        self.first_day: date = period_start.astimezone(HELSINKI).date()
        self.origin = datetime.combine(self.first_day, time())

    def minutes(self, instant: datetime) -> int:
        local = instant.astimezone(HELSINKI).replace(tzinfo=None)
        return int((local - self.origin).total_seconds() // 60)


def _subtract(windows: list[tuple[int, int]], busy: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    for b_start, b_end in sorted(busy):
        cut: list[tuple[int, int]] = []
        for start, end in windows:
            if b_end <= start or end <= b_start:
                cut.append((start, end))
                continue
            if start < b_start:
                cut.append((start, b_start))
            if b_end < end:
                cut.append((b_end, end))
        windows = cut
    return windows


def _visible(shift: Shift, onboarded: set[uuid.UUID], areas: set[uuid.UUID]) -> bool:
    if shift.visibility == Visibility.UNIT.value:
        return shift.unit_id in onboarded
    if shift.visibility == Visibility.AREA.value:
        return shift.organisation_id in areas
    return True


async def _open_shifts(session: AsyncSession, run: MatchingRun) -> list[Shift]:
    rows = await session.scalars(select(Shift).where(
        col(Shift.unit_id).in_(run.unit_ids), Shift.status == ShiftStatus.PUBLISHED.value,
        Shift.starts_at >= run.period_start, Shift.starts_at < run.period_end,
        Shift.positions > Shift.assigned_count + Shift.offered_count).order_by(Shift.starts_at))
    return list(rows)


async def _candidates(session: AsyncSession,
                      professions: set[str]) -> list[tuple[User, ProfessionalProfile]]:
    rows = await session.execute(
        select(User, ProfessionalProfile).join(ProfessionalProfile,
                                               ProfessionalProfile.user_id == User.id)
        .where(col(ProfessionalProfile.profession).in_(professions), col(User.erased_at).is_(None),
               col(User.is_active).is_(True),
               col(User.id).in_(select(RoleAssignment.user_id).where(
                   RoleAssignment.role == Role.PROFESSIONAL.value))))
    return [(u, pr) for u, pr in rows]


async def _grouped(session: AsyncSession, statement: object) -> dict[uuid.UUID, list[tuple[object, ...]]]:
    grouped: dict[uuid.UUID, list[tuple[object, ...]]] = defaultdict(list)
    for row in await session.execute(statement):
        grouped[row[0]].append(tuple(row[1:]))
    return grouped


async def build_problem(session: AsyncSession, run: MatchingRun, weights: p.Weights) -> Built:
    shifts = await _open_shifts(session, run)
    units = {u.id: u for u in await session.scalars(select(Unit).where(col(Unit.id).in_(run.unit_ids)))}
    people = await _candidates(session, {s.profession for s in shifts}) if shifts else []
    ids = [u.id for u, _ in people]
    horizon_start = run.period_start - timedelta(days=8)
    onboarded = await _grouped(session, select(UnitOnboarding.user_id, UnitOnboarding.unit_id,
                                                Unit.organisation_id)
                               .join(Unit, Unit.id == UnitOnboarding.unit_id)
                               .where(col(UnitOnboarding.user_id).in_(ids)))
    worked_areas = await _grouped(session, select(Assignment.professional_id, Shift.organisation_id)
                                  .join(Shift, Shift.id == Assignment.shift_id)
                                  .where(col(Assignment.professional_id).in_(ids),
                                         Assignment.status == AssignmentStatus.CONFIRMED.value))
    certificates = await _grouped(session, select(Certificate.user_id, Certificate.competence,
                                                  Certificate.expires_on)
                                  .where(col(Certificate.user_id).in_(ids),
                                         col(Certificate.competence).is_not(None)))
    availability = await availability_of(session, ids, since=run.period_start)
    first_day = run.period_start.astimezone(HELSINKI).date()
    last_day = run.period_end.astimezone(HELSINKI).date()
    busy = await _grouped(session, select(Assignment.professional_id, Assignment.starts_at,
                                          Assignment.ends_at)
                          .where(col(Assignment.professional_id).in_(ids),
                                 Assignment.status == AssignmentStatus.CONFIRMED.value,
                                 Assignment.ends_at > horizon_start,
                                 Assignment.starts_at < run.period_end + timedelta(days=1)))

    blocked = await marked_units(session, ids, UnitMarkKind.BLOCKED)
    favourites = await marked_units(session, ids, UnitMarkKind.FAVOURITE)

    clock = Clock(run.period_start)
    days = (run.period_end.astimezone(HELSINKI).date() - clock.first_day).days + 1
    rest = int(max((u.min_rest_hours for u in units.values()), default=11) * 60)
    unit_weekly = min((u.weekly_max_hours for u in units.values()), default=48)
    organisation = str(run.organisation_id)
    problem_shifts = tuple(
        p.Shift(id=str(s.id), day=clock.minutes(s.starts_at) // p.MINUTES_PER_DAY,
                start=clock.minutes(s.starts_at), end=clock.minutes(s.ends_at),
                kind=time_of_day(s.starts_at), unit=str(s.unit_id),
                organisation=str(s.organisation_id),
                positions=s.positions - s.assigned_count - s.offered_count,
                # A recurring slot (same unit, profession and wall-clock times) is a series.
                series=f"{s.unit_id}:{s.profession}:{s.starts_at.astimezone(HELSINKI):%H%M}:"
                       f"{s.ends_at.astimezone(HELSINKI):%H%M}")
        for s in shifts)
    today = current_date()
    professionals = []
    for user, profile in people:
        mine = {row[0] for row in onboarded.get(user.id, [])}
        areas = {row[1] for row in onboarded.get(user.id, [])} | {
            row[0] for row in worked_areas.get(user.id, [])}
        expiry = certificate_expiry((str(c), e)  # type: ignore[misc]
                                    for c, e in certificates.get(user.id, []))
        who = professional_facts(profile, mine, expiry, blocked.get(user.id, ()))
        eligible = frozenset(
            str(s.id) for s in shifts if _visible(s, mine, areas)
            and (e := check_eligibility(who, requirements(s), on=today)).eligible
            and not e.onboarding_needed)
        if not eligible:
            continue
        taken = [(clock.minutes(a) - rest, clock.minutes(b) + rest)
                 for a, b in busy.get(user.id, [])]
        # The one availability rule; a shift may run past the period's last midnight.
        open_windows = [(clock.minutes(a), clock.minutes(b)) for a, b in available_spans(
            availability[user.id], first_day, last_day + timedelta(days=1))]
        weekly = min(unit_weekly, profile.max_hours_per_week or unit_weekly)
        professionals.append(p.Professional(
            id=str(user.id), eligible=eligible,
            availability=tuple(_subtract(open_windows, taken)),
            max_week_minutes=int(weekly * 60),
            shift_off_requests=tuple(
                p.Request(day=d, kind=None, weight=1) for d in range(days)
                if (clock.first_day + timedelta(days=d)).isoweekday() in profile.unwanted_weekdays)
            + tuple(p.Request(day=d, kind=kind, weight=1) for d in range(days)
                    for kind in profile.unwanted_times),
            # A unit's favourite counts as preferring it (marketplace.services.unit_marks).
            preferred_units=frozenset(str(u) for u in (
                set(profile.preferred_unit_ids) | favourites.get(user.id, set()))),
            home_organisation=organisation if run.organisation_id in areas else None))
    problem = p.Problem(
        shifts=problem_shifts, professionals=tuple(professionals), days=days,
        rules=p.Rules(min_rest_minutes=rest, first_weekday=clock.first_day.weekday()),
        weights=weights)
    names = {str(u.id): u.full_name for u, _ in people}
    return Built(problem, {str(s.id): s for s in shifts}, names)
