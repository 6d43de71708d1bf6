"""Daily warnings of registrations and certificates about to expire."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role, RoleAssignment, Unit
from asta.core import clock
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every
from asta.notifications.services import notify
from asta.profiles.models import Certificate, ProfessionalProfile, UnitOnboarding
from asta.profiles.rules import EXPIRY_WARNING_DAYS

HOUR = 3600


async def _schedulers_relying_on(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Schedulers of the units where the professional is onboarded."""
    units = select(UnitOnboarding.unit_id).where(UnitOnboarding.user_id == user_id)
    rows = await session.scalars(
        select(RoleAssignment.user_id).distinct().join(
            Unit, or_(RoleAssignment.unit_id == Unit.id,
                      (RoleAssignment.unit_id.is_(None))  # type: ignore[union-attr]
                      & (RoleAssignment.organisation_id == Unit.organisation_id)))
        .where(RoleAssignment.role == Role.SCHEDULER.value, Unit.id.in_(units)))  # type: ignore[attr-defined]
    return list(rows)


async def _warn(session: AsyncSession, user_id: uuid.UUID, what: str, expires: object,
                key: str) -> None:
    body = (f"{what} expires on {expires}. Renew it in time so that you can keep taking "
            "shifts through Asta.")
    await notify(session, user_id=user_id, kind="credential_expiring",
                 subject=f"Expiring soon: {what}", body=body, dedup_key=f"{key}:{user_id}")
    for scheduler_id in await _schedulers_relying_on(session, user_id):
        await notify(session, user_id=scheduler_id,
                     kind="credential_expiring_staff",
                     subject=f"A professional's {what} expires on {expires}",
                     body=f"{what} of a professional onboarded to your unit expires on {expires}.",
                     dedup_key=f"{key}:{scheduler_id}")


@every(HOUR)
@actor(max_retries=3)
async def warn_expiring_credentials() -> None:
    """Idempotent: each credential is warned about once per expiry date."""
    today = clock.today()
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    async with unit_of_work() as session:
        certificates = await session.scalars(select(Certificate).where(
            Certificate.expires_on.between(today, horizon),  # type: ignore[union-attr]
            Certificate.warned_on.is_(None)))  # type: ignore[union-attr]
        for cert in certificates:
            await _warn(session, cert.user_id, f"certificate '{cert.name}'", cert.expires_on,
                        f"certificate:{cert.id}:{cert.expires_on}")
            cert.warned_on = today
        profiles = await session.scalars(select(ProfessionalProfile).where(
            ProfessionalProfile.registration_valid_until.between(  # type: ignore[union-attr]
                today, horizon),
            ProfessionalProfile.registration_warned_on.is_(None)))  # type: ignore[union-attr]
        for profile in profiles:
            await _warn(session, profile.user_id, "professional registration",
                        profile.registration_valid_until,
                        f"registration:{profile.user_id}:{profile.registration_valid_until}")
            profile.registration_warned_on = today
