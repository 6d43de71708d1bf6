"""The national professional pool as schedulers see it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Role, RoleAssignment, Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from asta.core.schemas import Page
from asta.core.tenancy import can_verify_registration, staff_unit_clause, unit_for_staff
from asta.profiles.availability import is_available
from asta.profiles.models import (
    AvailabilityPattern,
    AvailabilityWindow,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.profiles.rules import levels_at_least
from asta.profiles.schemas import (
    LanguageSkill,
    ProfessionalSummary,
    RegistrationVerification,
)
from asta.profiles.services.availability import availability_of


@dataclass(frozen=True)
class PoolFilters:
    profession: str | None = None
    specialties: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_language_level: str = "basic"
    competences: tuple[str, ...] = ()
    onboarded_unit_id: uuid.UUID | None = None
    available_from: datetime | None = None
    available_to: datetime | None = None
    verified_only: bool = False
    name: str | None = None
    limit: int = 50
    offset: int = 0


def _language_clause(code: str, minimum: str) -> ColumnElement[bool]:
    options = [ProfessionalProfile.languages.contains(  # type: ignore[attr-defined]
        [{"code": code, "level": level}]) for level in levels_at_least(minimum)]
    return or_(*options)


async def _conditions(session: AsyncSession, principal: Principal,
                      f: PoolFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        User.erased_at.is_(None), User.is_active.is_(True),  # type: ignore[union-attr, attr-defined]
        exists().where(RoleAssignment.user_id == User.id,
                       RoleAssignment.role == Role.PROFESSIONAL.value),
    ]
    if f.profession:
        conditions.append(ProfessionalProfile.profession == f.profession)
    if f.specialties:
        conditions.append(ProfessionalProfile.specialties.contains(  # type: ignore[attr-defined]
            list(f.specialties)))
    if f.competences:
        conditions.append(ProfessionalProfile.competences.contains(  # type: ignore[attr-defined]
            list(f.competences)))
    for code in f.languages:
        if len(code) != 2 or not code.isalpha():
            raise InvalidInputError("language must be a two-letter code like sv", field="language")
        conditions.append(_language_clause(code.lower(), f.min_language_level))
    if f.verified_only:
        conditions.append(ProfessionalProfile.registration_status == "verified")
    if f.name:
        # autoescape: a typed % or _ is a character to find, not a wildcard matching everyone.
        conditions.append(User.full_name.icontains(f.name, autoescape=True))  # type: ignore[attr-defined]
    if f.onboarded_unit_id:
        await unit_for_staff(session, principal, f.onboarded_unit_id)
        conditions.append(exists().where(UnitOnboarding.user_id == User.id,
                                         UnitOnboarding.unit_id == f.onboarded_unit_id))
    if (f.available_from is None) != (f.available_to is None):
        raise InvalidInputError("give both available_from and available_to", field="available_to")
    if f.available_from and f.available_to:
        if f.available_to <= f.available_from:
            raise InvalidInputError("available_to must be after available_from",
                                    field="available_to")
        conditions.append(col(User.id).in_(
            await _available(session, f.available_from, f.available_to)))
    return conditions


async def _available(session: AsyncSession, start: datetime, end: datetime) -> list[uuid.UUID]:
    """Who has said they can work the whole of start..end (the one availability rule); those
    who said nothing are left out here: "any time" is no answer to "who is free then"."""
    stated = select(AvailabilityPattern.user_id).union(
        select(AvailabilityWindow.user_id).where(col(AvailabilityWindow.ends_at) > start))
    people = list(await session.scalars(stated))
    availability = await availability_of(session, people, since=start)
    return [u for u in people if is_available(availability[u], start, end)]


async def _onboarded_units(session: AsyncSession, principal: Principal,
                           user_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Onboarding the caller may know about: only units of their own area(s)."""
    rows = await session.execute(
        select(UnitOnboarding.user_id, UnitOnboarding.unit_id)
        .join(Unit, Unit.id == UnitOnboarding.unit_id)
        .where(UnitOnboarding.user_id.in_(user_ids), staff_unit_clause(principal)))  # type: ignore[attr-defined]
    result: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, unit_id in rows:
        result.setdefault(user_id, []).append(unit_id)
    return result


def _summary(user: User, profile: ProfessionalProfile,
             units: list[uuid.UUID]) -> ProfessionalSummary:
    return ProfessionalSummary(
        user_id=user.id, full_name=user.full_name, email=user.email,
        profession=profile.profession, registration_status=profile.registration_status,
        registration_valid_until=profile.registration_valid_until,
        specialties=profile.specialties,
        languages=[LanguageSkill.model_validate(x) for x in profile.languages],
        competences=profile.competences, onboarded_unit_ids=units,
        remote_only=profile.remote_only, max_hours_per_week=profile.max_hours_per_week,
        registration_number=profile.registration_number)


async def search_professionals(session: AsyncSession, principal: Principal,
                               filters: PoolFilters) -> Page[ProfessionalSummary]:
    conditions = await _conditions(session, principal, filters)
    base = select(User, ProfessionalProfile).join(
        ProfessionalProfile, ProfessionalProfile.user_id == User.id).where(*conditions)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = (await session.execute(base.order_by(User.full_name, User.id)
                                  .limit(filters.limit).offset(filters.offset))).all()
    units = await _onboarded_units(session, principal, [u.id for u, _ in rows])
    return Page(items=[_summary(u, p, units.get(u.id, [])) for u, p in rows], total=total,
                limit=filters.limit, offset=filters.offset)


async def _professional(session: AsyncSession, user_id: uuid.UUID, *,
                        for_update: bool = False) -> tuple[User, ProfessionalProfile]:
    user = await session.get(User, user_id)
    profile = await session.get(ProfessionalProfile, user_id, with_for_update=for_update)
    if user is None or profile is None or user.erased_at is not None:
        raise NotFoundError("No such professional")
    return user, profile


async def get_professional(session: AsyncSession, principal: Principal,
                           user_id: uuid.UUID) -> ProfessionalSummary:
    user, profile = await _professional(session, user_id)
    units = await _onboarded_units(session, principal, [user.id])
    return _summary(user, profile, units.get(user.id, []))


async def _onboarded_areas(session: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.scalars(select(Unit.organisation_id).join(
        UnitOnboarding, UnitOnboarding.unit_id == Unit.id).where(UnitOnboarding.user_id == user_id))
    return set(rows)


async def may_verify_registration(session: AsyncSession, principal: Principal,
                                  user_id: uuid.UUID) -> bool:
    """Whether this caller may record the registration check (the pages offer the form)."""
    return can_verify_registration(principal, await _onboarded_areas(session, user_id))


async def verify_registration(session: AsyncSession, principal: Principal, user_id: uuid.UUID,
                              data: RegistrationVerification) -> ProfessionalSummary:
    user, profile = await _professional(session, user_id, for_update=True)
    areas = await _onboarded_areas(session, user_id)
    if not can_verify_registration(principal, areas):
        raise PermissionDeniedError(
            "Only the platform operator or an admin of an area where the professional is "
            "onboarded may record the registration check")
    if profile.registration_number is None:
        raise InvalidInputError("The professional has not given a registration number",
                                field="registration_number")
    before = audit.snapshot(profile)
    profile.registration_status = data.status
    if data.registration_valid_until is not None:
        profile.registration_valid_until = data.registration_valid_until
    profile.registration_verified_by = principal.user_id
    profile.registration_verified_at = utcnow()
    await session.flush()
    # The area on whose behalf the check was made; none for the operator.
    on_behalf_of = min(principal.admin_organisations() & areas, default=None)
    audit.record(session, actor_id=principal.user_id, entity_type="profile", entity_id=user.id,
                 action=f"registration_{data.status}", before=before,
                 after=audit.snapshot(profile),
                 organisation_id=None if principal.is_operator else on_behalf_of)
    # The same view as GET /api/professionals/{id}: never more than the caller's area may see.
    return await get_professional(session, principal, user_id)
