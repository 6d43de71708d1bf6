"""Helpers every marketplace service uses: loading and locking, pay, facts about people."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import unit_for_staff
from asta.marketplace.lifecycle import fill_status
from asta.marketplace.models import (
    Assignment,
    AssignmentStatus,
    Shift,
    Timesheet,
    TimesheetStatus,
    UnitMarkKind,
    UnitProfessionalMark,
)
from asta.marketplace.rules import (
    LANGUAGE_LEVELS,
    PayBreakdown,
    ProfessionalFacts,
    RateCard,
    RuleError,
    ShiftRequirements,
    compute_shift_pay,
    reliability_score,
)
from asta.marketplace.schemas import PayRead, ShiftRead
from asta.marketplace.terms import ProfileTerms, ShiftTerms
from asta.profiles.models import Certificate, ProfessionalProfile, UnitOnboarding

HELSINKI = ZoneInfo("Europe/Helsinki")
CONFIRMED = AssignmentStatus.CONFIRMED.value
REQUESTED = AssignmentStatus.REQUESTED.value


@contextmanager
def rule_guard() -> Iterator[None]:
    """A pure rule that refuses its input becomes the domain's 422, naming the field."""
    try:
        yield
    except RuleError as exc:
        raise InvalidInputError(exc.message, field=exc.field) from exc


def local_date(instant: datetime) -> date:
    return instant.astimezone(HELSINKI).date()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), HELSINKI)


# Pay ---------------------------------------------------------------------------------------

def rate_card(unit: Unit, override_cents: int | None, profession: str) -> RateCard:
    card = unit.rate_card or {}
    base = dict(card.get("base_hourly_cents") or {})
    if override_cents is not None:
        base[profession] = override_cents
    if not base:
        raise InvalidInputError("The unit has no rate card: set base hourly pay per profession "
                                "on the unit, or give base_hourly_cents", field="base_hourly_cents")
    with rule_guard():
        return RateCard(
            base_hourly_cents={k: int(v) for k, v in base.items()},
            evening_pct=round(card.get("evening_pct", 15)),
            night_pct=round(card.get("night_pct", 30)),
            saturday_pct=round(card.get("saturday_pct", 25)),
            sunday_holiday_pct=round(card.get("sunday_pct", 100)))


def breakdown_json(pay: PayBreakdown) -> dict[str, Any]:
    return {
        "profession": pay.profession, "base_hourly_cents": pay.base_hourly_cents,
        "elapsed_minutes": pay.elapsed_minutes, "break_minutes": pay.break_minutes,
        "paid_minutes": pay.paid_minutes, "base_cents": pay.base_cents,
        "evening_minutes": pay.evening_minutes, "evening_cents": pay.evening_cents,
        "night_minutes": pay.night_minutes, "night_cents": pay.night_cents,
        "saturday_minutes": pay.saturday_minutes, "saturday_cents": pay.saturday_cents,
        "sunday_holiday_minutes": pay.sunday_holiday_minutes,
        "sunday_holiday_cents": pay.sunday_holiday_cents,
        "supplement_cents": pay.supplement_cents, "total_cents": pay.total_cents,
    }


def compute_pay(start: datetime, end: datetime, profession: str, card: RateCard,
                break_minutes: int) -> PayBreakdown:
    with rule_guard():
        return compute_shift_pay(start, end, profession, card, break_minutes=break_minutes)


def pay_read(shift: Shift) -> PayRead:
    paid = int(shift.pay_breakdown.get("paid_minutes") or 0)
    average = (shift.pay_total_cents * 60 + paid // 2) // paid if paid else 0
    return PayRead(total_cents=shift.pay_total_cents, base_hourly_cents=shift.base_hourly_cents,
                   average_hourly_cents=average, breakdown=shift.pay_breakdown)


def shift_read(shift: Shift, unit_name: str, claim_mode: str, **extra: Any) -> ShiftRead:
    return ShiftRead(
        id=shift.id, unit_id=shift.unit_id, unit_name=unit_name,
        organisation_id=shift.organisation_id, starts_at=shift.starts_at, ends_at=shift.ends_at,
        profession=shift.profession, positions=shift.positions, filled=shift.assigned_count,
        open_positions=max(0, shift.positions - shift.assigned_count - shift.offered_count),
        required_specialties=shift.required_specialties,
        required_languages=shift.required_languages,
        required_competences=shift.required_competences,
        onboarding_required=shift.onboarding_required, is_remote=shift.is_remote,
        description=shift.description, visibility=shift.visibility, status=shift.status,
        claim_mode=claim_mode, pay=pay_read(shift), cancel_reason=shift.cancel_reason, **extra)


# Loading and locking ----------------------------------------------------------------------

async def get_shift(session: AsyncSession, shift_id: uuid.UUID, *,
                    for_update: bool = False) -> Shift:
    shift = await session.get(Shift, shift_id, with_for_update=for_update,
                              populate_existing=for_update)
    if shift is None:
        raise NotFoundError("No such shift")
    return shift


async def shift_with_unit(session: AsyncSession, shift_id: uuid.UUID) -> tuple[Shift, Unit]:
    """Both in one round trip (the claim path counts them)."""
    row = (await session.execute(select(Shift, Unit).join(Unit, Unit.id == Shift.unit_id)
                                 .where(Shift.id == shift_id))).one_or_none()
    if row is None:
        raise NotFoundError("No such shift")
    return row[0], row[1]


async def staff_shift(session: AsyncSession, principal: Principal, shift_id: uuid.UUID, *,
                      for_update: bool = False) -> tuple[Shift, Unit]:
    """A shift of a unit the caller schedules; any other is reported missing."""
    shift = await get_shift(session, shift_id, for_update=for_update)
    try:
        unit = await unit_for_staff(session, principal, shift.unit_id)
    except NotFoundError as exc:
        raise NotFoundError("No such shift") from exc
    return shift, unit


def confirm(shift: Shift) -> None:
    """Count one more confirmed position (the caller holds the shift's lock)."""
    shift.assigned_count += 1
    shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                               shift.offered_count).value
    shift.updated_at = utcnow()


async def lock_person(session: AsyncSession, user_id: uuid.UUID) -> None:
    """lock_profile's lock without loading the profile (the claim has read what it needs)."""
    connection = await session.connection()
    await connection.execute(select(ProfessionalProfile.user_id).where(
        ProfessionalProfile.user_id == user_id).with_for_update())


async def lock_profile(session: AsyncSession, user_id: uuid.UUID) -> ProfessionalProfile:
    """Serialises one professional's claims so the working-time checks see each other.

    Lock order everywhere: the professional's profile first, then the shift.
    """
    profile = await session.get(ProfessionalProfile, user_id, with_for_update=True,
                                populate_existing=True)
    if profile is None:
        raise NotFoundError("You have no professional profile")
    return profile


async def user_names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.full_name).where(
        User.id.in_(ids)))  # type: ignore[attr-defined]
    return {r.id: r.full_name for r in rows}


async def reliability(session: AsyncSession,
                      ids: list[uuid.UUID]) -> dict[uuid.UUID, int | None]:
    """rules.reliability_score per professional from their assignment history."""
    if not ids:
        return {}
    approved = Timesheet.status == TimesheetStatus.APPROVED.value
    rows = await session.execute(
        select(Assignment.professional_id,
               func.count().filter(approved).label("completed"),
               func.count().filter(Assignment.late_cancellation.is_(True)).label("late"),  # type: ignore[attr-defined]
               func.count().filter(Assignment.status == AssignmentStatus.NO_SHOW.value)
               .label("no_show"))
        .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.professional_id.in_(ids))  # type: ignore[attr-defined]
        .group_by(Assignment.professional_id))
    scores: dict[uuid.UUID, int | None] = dict.fromkeys(ids)
    for r in rows:
        scores[r.professional_id] = reliability_score(completed=r.completed,
                                                      late_cancelled=r.late, no_show=r.no_show)
    return scores


# Facts about a professional ---------------------------------------------------------------

def language_tokens(languages: dict[str, str]) -> list[str]:
    """A shift's requirement as tokens: {"sv": "fluent"} -> ["sv:fluent"]."""
    return sorted(f"{code}:{level}" for code, level in languages.items())


def skill_tokens(skills: list[dict[str, Any]]) -> list[str]:
    """A professional's skills as every token they satisfy: fluent sv -> sv:basic...sv:fluent."""
    tokens: list[str] = []
    for skill in skills:
        level = skill.get("level")
        if level in LANGUAGE_LEVELS:
            tokens += [f"{skill['code']}:{lv}"
                       for lv in LANGUAGE_LEVELS[:LANGUAGE_LEVELS.index(level) + 1]]
    return sorted(tokens)


@dataclass(frozen=True)
class Standing:
    """Everything about one professional that eligibility and visibility depend on."""

    user_id: uuid.UUID
    profile: ProfileTerms
    facts: ProfessionalFacts | None  # None: no profession set yet
    onboarded_units: frozenset[uuid.UUID]
    areas: frozenset[uuid.UUID]
    tokens: list[str]
    competence_expiry: dict[str, date | None]


def standing_columns(user_id: Any) -> list[Any]:
    """Scalar subqueries of what a standing needs besides the profile: onboarded units,
    their areas, areas worked in, certificates and units that blocked the person. `user_id`
    is a value or a bound parameter, so a larger query can carry them (claim_facts); none
    correlates with that query's own shifts or units."""
    onboarded_units = select(func.array_agg(UnitOnboarding.unit_id)).where(
        UnitOnboarding.user_id == user_id).correlate(None).scalar_subquery()
    onboarded_areas = select(func.array_agg(Unit.organisation_id)).join(
        UnitOnboarding, UnitOnboarding.unit_id == Unit.id).where(
        UnitOnboarding.user_id == user_id).correlate(None).scalar_subquery()
    worked_areas = select(func.array_agg(Shift.organisation_id.distinct())).join(  # type: ignore[attr-defined]
        Assignment, Assignment.shift_id == Shift.id).where(
        Assignment.professional_id == user_id, Assignment.status == CONFIRMED,
    ).correlate(None).scalar_subquery()
    certificates = select(func.json_agg(func.json_build_array(
        Certificate.competence, Certificate.expires_on))).where(
        Certificate.user_id == user_id,
        Certificate.competence.is_not(None)).correlate(None).scalar_subquery()  # type: ignore[union-attr]
    blocked_units = select(func.array_agg(UnitProfessionalMark.unit_id)).where(
        UnitProfessionalMark.professional_id == user_id,
        UnitProfessionalMark.kind == UnitMarkKind.BLOCKED.value).correlate(None).scalar_subquery()
    return [onboarded_units, onboarded_areas, worked_areas, certificates, blocked_units]


def standing_from(user_id: uuid.UUID, profile: ProfileTerms, columns: Sequence[Any]) -> Standing:
    """A standing from a profile and the values of `standing_columns`."""
    units = set(columns[0] or ())
    areas = set(columns[1] or ()) | set(columns[2] or ())
    expiry = certificate_expiry(
        (competence, date.fromisoformat(expires) if expires else None)
        for competence, expires in columns[3] or ())
    facts = (professional_facts(profile, units, expiry, columns[4] or ()) if profile.profession
             else None)
    return Standing(user_id, profile, facts, frozenset(units), frozenset(areas),
                    skill_tokens(profile.languages), expiry)


async def standing(session: AsyncSession, user_id: uuid.UUID,
                   profile: ProfessionalProfile | None = None) -> Standing:
    """One round trip: the profile with its onboardings, worked areas and certificates."""
    row = (await session.execute(
        select(ProfessionalProfile, *standing_columns(user_id))
        .where(ProfessionalProfile.user_id == user_id))).one_or_none()
    if row is None:
        raise NotFoundError("You have no professional profile")
    return standing_from(user_id, profile or row[0], row[1:])


def certificate_expiry(
        certificates: Iterable[tuple[str, date | None]]) -> dict[str, date | None]:
    """Per competence, the longest-valid certificate; one without an end date never expires."""
    expiry: dict[str, date | None] = {}
    for competence, expires_on in certificates:
        known = expiry.get(competence, date.min)
        expiry[competence] = None if expires_on is None or known is None else max(known,
                                                                                   expires_on)
    return expiry


def professional_facts(profile: ProfileTerms, onboarded_units: set[uuid.UUID],
                       expiry: dict[str, date | None],
                       blocked_units: Iterable[uuid.UUID] = ()) -> ProfessionalFacts:
    """What eligibility rules need to know of a professional, from their stored profile."""
    return ProfessionalFacts(
        profession=profile.profession or "",
        registration_valid_until=profile.registration_valid_until,
        registration_verified=profile.registration_status == "verified",
        languages={s["code"]: s["level"] for s in profile.languages
                   if s.get("level") in LANGUAGE_LEVELS},
        competences=set(profile.competences) | set(expiry), competence_expiry=expiry,
        specialties=set(profile.specialties), onboarded_unit_ids=onboarded_units,
        blocked_unit_ids=frozenset(blocked_units))


def requirements(shift: ShiftTerms) -> ShiftRequirements:
    return ShiftRequirements(
        unit_id=shift.unit_id, profession=shift.profession,
        required_languages=shift.required_languages,
        required_competences=set(shift.required_competences),
        required_specialties=set(shift.required_specialties),
        onboarding_required=shift.onboarding_required)


async def confirmed_intervals_near(session: AsyncSession, user_id: uuid.UUID, start: datetime,
                                   end: datetime) -> list[tuple[uuid.UUID, datetime, datetime]]:
    """The professional's confirmed shifts that rest and weekly-hour rules could involve."""
    margin = timedelta(days=8)
    rows = await session.execute(
        select(Assignment.shift_id, Assignment.starts_at, Assignment.ends_at).where(
            Assignment.professional_id == user_id, Assignment.status == CONFIRMED,
            Assignment.starts_at < end + margin, Assignment.ends_at > start - margin))
    return [(r.shift_id, r.starts_at, r.ends_at) for r in rows]
