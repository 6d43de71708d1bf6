"""GDPR: a professional's data export and erasure.

Domains that keep personal data register an exporter and an eraser here, so the export
stays complete as the product grows.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import second_factor
from asta.accounts.models import RoleAssignment, User
from asta.core import audit
from asta.core.audit import AuditEvent
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.security import verify_password
from asta.marketplace import gdpr as marketplace_gdpr
from asta.notifications.models import Notification
from asta.payments.gdpr import export_payout_account, export_payouts, export_transfers
from asta.profiles.models import (
    AvailabilityException,
    AvailabilityPattern,
    AvailabilityWindow,
    Certificate,
    OnboardingCompletion,
    ProfessionalProfile,
)
from asta.push.gdpr import erase_push_subscriptions, export_push_subscriptions
from asta.surveys.gdpr import erase_survey_comments, export_surveys

Exporter = Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]
Eraser = Callable[[AsyncSession, uuid.UUID], Awaitable[None]]
EXPORTERS: dict[str, Exporter] = {}
ERASERS: list[Eraser] = []


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [audit.snapshot(r) or {} for r in rows]


async def _export_account(session: AsyncSession, user_id: uuid.UUID) -> Any:
    return audit.snapshot(await session.get(User, user_id))


async def _export_profile(session: AsyncSession, user_id: uuid.UUID) -> Any:
    return audit.snapshot(await session.get(ProfessionalProfile, user_id))


def _table_exporter(model: Any) -> Exporter:
    async def export(session: AsyncSession, user_id: uuid.UUID) -> Any:
        return _rows(await session.scalars(select(model).where(model.user_id == user_id)))
    return export


async def _export_audit(session: AsyncSession, user_id: uuid.UUID) -> Any:
    rows = await session.scalars(select(AuditEvent).where(
        (AuditEvent.actor_id == user_id) | (AuditEvent.entity_id == str(user_id)))
        .order_by(AuditEvent.at))
    return _rows(rows)


EXPORTERS.update({
    "account": _export_account,
    "profile": _export_profile,
    "roles": _table_exporter(RoleAssignment),
    "certificates": _table_exporter(Certificate),
    "availability": _table_exporter(AvailabilityWindow),
    "weekly_availability": _table_exporter(AvailabilityPattern),
    "unavailable_days": _table_exporter(AvailabilityException),
    "onboarding": _table_exporter(OnboardingCompletion),
    "notifications": _table_exporter(Notification),
    "audit_events": _export_audit,
    "payout_account": export_payout_account,
    "transfers": export_transfers,
    "payouts": export_payouts,
    "surveys": export_surveys,
})


async def export_my_data(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    return {"exported_at": utcnow().isoformat(),
            **{name: await fn(session, principal.user_id) for name, fn in EXPORTERS.items()}}


async def _erase_profile(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(Certificate).where(Certificate.user_id == user_id))
    await session.execute(delete(AvailabilityWindow).where(AvailabilityWindow.user_id == user_id))
    await session.execute(delete(AvailabilityPattern).where(AvailabilityPattern.user_id == user_id))
    await session.execute(delete(AvailabilityException).where(
        AvailabilityException.user_id == user_id))
    profile = await session.get(ProfessionalProfile, user_id)
    if profile is not None:
        # Profession stays: worked-hours history is kept for accounting and statistics.
        profile.registration_number = None
        profile.registration_valid_until = None
        profile.specialties, profile.languages, profile.competences = [], [], []
        profile.bio, profile.home_municipality = "", None
        profile.preferred_unit_ids = []
    await session.execute(update(Notification).where(Notification.user_id == user_id)
                          .values(subject="(erased)", body="(erased)"))
    # Keep who-did-what-when, drop the personal data the snapshots held.
    await session.execute(update(AuditEvent).where(AuditEvent.entity_id == str(user_id))
                          .values(before=None, after=None))


ERASERS.append(_erase_profile)
EXPORTERS.update(marketplace_gdpr.EXPORTERS)
ERASERS.append(marketplace_gdpr.erase_marketplace_data)
ERASERS.append(erase_survey_comments)
ERASERS.append(second_factor.erase)
EXPORTERS["push_subscriptions"] = export_push_subscriptions
ERASERS.append(erase_push_subscriptions)


async def erase_me(session: AsyncSession, principal: Principal) -> None:
    user = await session.get(User, principal.user_id, with_for_update=True)
    if user is None or user.erased_at is not None:
        raise NotFoundError("No such account")
    for eraser in ERASERS:
        await eraser(session, user.id)
    user.email = f"erased-{user.id}@erased.invalid"
    user.full_name, user.phone = "Erased user", None
    user.password_hash, user.calendar_token = None, None
    user.is_active = False
    user.erased_at = utcnow()
    audit.record(session, actor_id=user.id, entity_type="user", entity_id=user.id,
                 action="erase")


async def erase_me_confirmed(session: AsyncSession, principal: Principal, password: str) -> None:
    """The pages' erasure: a session cookie alone must not be enough to erase an account."""
    user = await session.get(User, principal.user_id)
    if user is None or not verify_password(user.password_hash, password):
        raise InvalidInputError("The password is not right", field="password")
    await erase_me(session, principal)
