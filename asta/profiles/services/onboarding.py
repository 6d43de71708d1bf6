"""Units' onboarding checklists and who has completed them."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import unit_for_staff
from asta.profiles.models import (
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.profiles.schemas import (
    OnboardingItemIn,
    OnboardingItemRead,
    OnboardingRecord,
    ProfessionalOnboarding,
)


async def list_onboarding_items(session: AsyncSession, principal: Principal,
                                unit_id: uuid.UUID) -> list[OnboardingItemRead]:
    await unit_for_staff(session, principal, unit_id)
    rows = await session.scalars(select(OnboardingItem).where(OnboardingItem.unit_id == unit_id)
                                 .order_by(OnboardingItem.position, OnboardingItem.title))
    return [OnboardingItemRead.model_validate(r) for r in rows]


async def add_onboarding_item(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                              data: OnboardingItemIn) -> OnboardingItemRead:
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    item = OnboardingItem(unit_id=unit_id, **data.model_dump())
    session.add(item)
    # A new step means nobody has completed the whole checklist any more.
    await session.execute(delete(UnitOnboarding).where(UnitOnboarding.unit_id == unit_id))
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="onboarding_item",
                 entity_id=item.id, action="create", after=audit.snapshot(item),
                 organisation_id=unit.organisation_id)
    return OnboardingItemRead.model_validate(item)


async def _professional_onboarding(session: AsyncSession, unit_id: uuid.UUID,
                                   user_id: uuid.UUID) -> ProfessionalOnboarding:
    items = [OnboardingItemRead.model_validate(r) for r in await session.scalars(
        select(OnboardingItem).where(OnboardingItem.unit_id == unit_id)
        .order_by(OnboardingItem.position, OnboardingItem.title))]
    done = list(await session.scalars(select(OnboardingCompletion.item_id).where(
        OnboardingCompletion.user_id == user_id, OnboardingCompletion.unit_id == unit_id)))
    completed = await session.scalar(select(func.count()).select_from(UnitOnboarding).where(
        UnitOnboarding.user_id == user_id, UnitOnboarding.unit_id == unit_id))
    return ProfessionalOnboarding(unit_id=unit_id, user_id=user_id, items=items,
                                  completed_item_ids=done, completed=bool(completed))


async def _require_professional(session: AsyncSession, user_id: uuid.UUID) -> None:
    user = await session.get(User, user_id)
    if user is None or user.erased_at or await session.get(ProfessionalProfile, user_id) is None:
        raise NotFoundError("No such professional")


async def get_professional_onboarding(session: AsyncSession, principal: Principal,
                                      unit_id: uuid.UUID,
                                      user_id: uuid.UUID) -> ProfessionalOnboarding:
    await unit_for_staff(session, principal, unit_id)
    await _require_professional(session, user_id)
    return await _professional_onboarding(session, unit_id, user_id)


async def record_onboarding(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                            user_id: uuid.UUID, data: OnboardingRecord) -> ProfessionalOnboarding:
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    await _require_professional(session, user_id)
    before = await _professional_onboarding(session, unit_id, user_id)
    known = {item.id for item in before.items}
    unknown = set(data.completed_item_ids) - known
    if unknown:
        raise InvalidInputError(f"Not items of this unit's checklist: {sorted(map(str, unknown))}",
                                field="completed_item_ids")
    wanted = set(data.completed_item_ids)
    stale = delete(OnboardingCompletion).where(OnboardingCompletion.user_id == user_id,
                                               OnboardingCompletion.unit_id == unit_id)
    if wanted:
        stale = stale.where(OnboardingCompletion.item_id.not_in(list(wanted)))  # type: ignore[attr-defined]
    await session.execute(stale)
    for item_id in wanted - set(before.completed_item_ids):
        session.add(OnboardingCompletion(user_id=user_id, item_id=item_id, unit_id=unit_id,
                                         recorded_by=principal.user_id))
    await session.execute(delete(UnitOnboarding).where(
        UnitOnboarding.user_id == user_id, UnitOnboarding.unit_id == unit_id))
    if known and wanted == known:
        session.add(UnitOnboarding(user_id=user_id, unit_id=unit_id))
    await session.flush()
    after = await _professional_onboarding(session, unit_id, user_id)
    audit.record(session, actor_id=principal.user_id, entity_type="onboarding",
                 entity_id=f"{unit_id}:{user_id}", action="record",
                 before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
                 organisation_id=unit.organisation_id)
    return after
