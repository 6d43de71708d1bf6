from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.core import audit, clock
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import NotFoundError
from asta.profiles.models import (
    AvailabilityException,
    AvailabilityPattern,
    AvailabilityWindow,
    Certificate,
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.profiles.rules import expires_soon
from asta.profiles.schemas import (
    AvailabilityWindowIn,
    CertificateRead,
    LanguageSkill,
    OnboardingStatus,
    ProfileRead,
    ProfileUpdate,
    ShiftPreferences,
    WeeklyAvailability,
)

PREFERENCE_FIELDS = tuple(ShiftPreferences.model_fields)


async def onboarding_statuses(session: AsyncSession, user_id: object) -> list[OnboardingStatus]:
    """Progress on each unit's checklist the professional has started."""
    active = OnboardingItem.retired_at.is_(None)  # type: ignore[union-attr]
    done = (select(OnboardingCompletion.unit_id, func.count().label("completed"))
            .join(OnboardingItem, OnboardingItem.id == OnboardingCompletion.item_id)
            .where(OnboardingCompletion.user_id == user_id, active)
            .group_by(OnboardingCompletion.unit_id).subquery())
    totals = (select(OnboardingItem.unit_id, func.count().label("total")).where(active)
              .group_by(OnboardingItem.unit_id).subquery())
    onboarded = select(UnitOnboarding.unit_id).where(UnitOnboarding.user_id == user_id)
    rows = await session.execute(
        select(Unit.id, Unit.name, totals.c.total, done.c.completed,
               Unit.id.in_(onboarded).label("onboarded"))  # type: ignore[attr-defined]
        .join(done, done.c.unit_id == Unit.id).join(totals, totals.c.unit_id == Unit.id)
        .order_by(Unit.name))
    # Onboarded is the unit's answer (a step added later may be a to-do, not a condition).
    return [OnboardingStatus(unit_id=r.id, unit_name=r.name, items_total=r.total,
                             items_completed=r.completed, completed=r.onboarded)
            for r in rows]


async def profile_read(session: AsyncSession, user: User, profile: ProfessionalProfile) -> ProfileRead:
    today = clock.today()
    certificates = await session.scalars(select(Certificate).where(
        Certificate.user_id == user.id).order_by(Certificate.name))
    windows = await session.scalars(select(AvailabilityWindow).where(
        AvailabilityWindow.user_id == user.id).order_by(AvailabilityWindow.starts_at))
    return ProfileRead(
        user_id=user.id, email=user.email, full_name=user.full_name, phone=user.phone,
        locale=user.locale, profession=profile.profession,
        registration_number=profile.registration_number,
        registration_valid_until=profile.registration_valid_until,
        registration_status=profile.registration_status,
        registration_verified_by=profile.registration_verified_by,
        registration_verified_at=profile.registration_verified_at,
        specialties=profile.specialties,
        languages=[LanguageSkill.model_validate(x) for x in profile.languages],
        competences=profile.competences,
        certificates=[CertificateRead(id=c.id, name=c.name, competence=c.competence,
                                      issued_on=c.issued_on, expires_on=c.expires_on,
                                      expires_soon=expires_soon(c.expires_on, today))
                      for c in certificates],
        availability=[AvailabilityWindowIn(starts_at=w.starts_at, ends_at=w.ends_at)
                      for w in windows],
        weekly_availability=[WeeklyAvailability(weekday=w.weekday, starts=w.starts, ends=w.ends)
                             for w in await session.scalars(select(AvailabilityPattern).where(
                                 AvailabilityPattern.user_id == user.id).order_by(
                                 AvailabilityPattern.weekday, AvailabilityPattern.starts))],
        unavailable_days=list(await session.scalars(select(AvailabilityException.day).where(
            AvailabilityException.user_id == user.id).order_by(AvailabilityException.day))),
        preferences=ShiftPreferences.model_validate(
            {k: getattr(profile, k) for k in PREFERENCE_FIELDS}),
        onboarding=await onboarding_statuses(session, user.id),
        bio=profile.bio, home_municipality=profile.home_municipality,
        updated_at=profile.updated_at,
    )


async def _mine(session: AsyncSession, principal: Principal,
                *, for_update: bool = False) -> tuple[User, ProfessionalProfile]:
    user = await session.get(User, principal.user_id)
    profile = await session.get(ProfessionalProfile, principal.user_id, with_for_update=for_update)
    if user is None or profile is None:
        raise NotFoundError("You have no professional profile")
    return user, profile


async def get_my_profile(session: AsyncSession, principal: Principal) -> ProfileRead:
    user, profile = await _mine(session, principal)
    return await profile_read(session, user, profile)


async def update_my_profile(session: AsyncSession, principal: Principal,
                            data: ProfileUpdate) -> ProfileRead:
    user, profile = await _mine(session, principal, for_update=True)
    before = (await profile_read(session, user, profile)).model_dump(mode="json")
    registration_changed = (data.registration_number != profile.registration_number
                            or data.registration_valid_until != profile.registration_valid_until)
    user.full_name, user.phone, user.locale = data.full_name, data.phone, data.locale
    profile.profession = data.profession
    profile.registration_number = data.registration_number
    profile.registration_valid_until = data.registration_valid_until
    if registration_changed:
        # A changed registration must be checked against Valvira's register again.
        profile.registration_status = "unverified"
        profile.registration_verified_by = None
        profile.registration_verified_at = None
        profile.registration_warned_on = None
    profile.specialties = sorted(set(data.specialties))
    profile.languages = [skill.model_dump() for skill in data.languages]
    profile.competences = sorted(set(data.competences))
    for key in PREFERENCE_FIELDS:
        setattr(profile, key, getattr(data.preferences, key))
    profile.bio, profile.home_municipality = data.bio, data.home_municipality
    profile.updated_at = utcnow()
    await session.execute(delete(Certificate).where(Certificate.user_id == user.id))
    await session.execute(delete(AvailabilityWindow).where(AvailabilityWindow.user_id == user.id))
    session.add_all([Certificate(user_id=user.id, **c.model_dump()) for c in data.certificates])
    session.add_all([AvailabilityWindow(user_id=user.id, **w.model_dump())
                     for w in data.availability])
    await session.execute(delete(AvailabilityPattern).where(AvailabilityPattern.user_id == user.id))
    await session.execute(delete(AvailabilityException).where(
        AvailabilityException.user_id == user.id))
    session.add_all([AvailabilityPattern(user_id=user.id, **w.model_dump())
                     for w in data.weekly_availability])
    session.add_all([AvailabilityException(user_id=user.id, day=day)
                     for day in sorted(set(data.unavailable_days))])
    await session.flush()
    after = await profile_read(session, user, profile)
    audit.record(session, actor_id=principal.user_id, entity_type="profile", entity_id=user.id,
                 action="update", before=before, after=after.model_dump(mode="json"))
    return after
