"""Units' onboarding checklists and who has completed them.

Checklists are versioned: a new step either applies to those already onboarded (they are no
longer onboarded until they complete it) or not (the default: they stay onboarded and see it
as a to-do); steps can be edited and retired. Who counts as onboarded is decided by
`asta.profiles.rules.onboarding_complete`; `unit_onboardings` keeps its answer for lookups.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import unit_for_staff
from asta.profiles.models import (
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.profiles.rules import ChecklistStep, onboarding_complete
from asta.profiles.schemas import (
    OnboardingItemIn,
    OnboardingItemRead,
    OnboardingItemUpdate,
    OnboardingRecord,
    ProfessionalOnboarding,
)


async def _items(session: AsyncSession, unit_id: uuid.UUID, *,
                 retired: bool = False) -> list[OnboardingItem]:
    query = select(OnboardingItem).where(OnboardingItem.unit_id == unit_id)
    if not retired:
        query = query.where(OnboardingItem.retired_at.is_(None))  # type: ignore[union-attr]
    return list(await session.scalars(query.order_by(OnboardingItem.position,
                                                     OnboardingItem.title)))


def _steps(items: list[OnboardingItem]) -> list[ChecklistStep]:
    return [ChecklistStep(i.id, i.created_at, i.applies_to_onboarded) for i in items]


async def list_onboarding_items(session: AsyncSession, principal: Principal,
                                unit_id: uuid.UUID, *,
                                retired: bool = False) -> list[OnboardingItemRead]:
    """The active steps; with `retired`, the retired ones too (for the unit's staff)."""
    await unit_for_staff(session, principal, unit_id)
    return [OnboardingItemRead.model_validate(r)
            for r in await _items(session, unit_id, retired=retired)]


async def add_onboarding_item(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                              data: OnboardingItemIn) -> OnboardingItemRead:
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    item = OnboardingItem(unit_id=unit_id, created_at=utcnow(), **data.model_dump())
    session.add(item)
    if data.applies_to_onboarded:
        await session.execute(delete(UnitOnboarding).where(UnitOnboarding.unit_id == unit_id))
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="onboarding_item",
                 entity_id=item.id, action="create", after=audit.snapshot(item),
                 organisation_id=unit.organisation_id)
    return OnboardingItemRead.model_validate(item)


async def _item_of(session: AsyncSession, unit_id: uuid.UUID,
                   item_id: uuid.UUID) -> OnboardingItem:
    item = await session.get(OnboardingItem, item_id)
    if item is None or item.unit_id != unit_id:
        raise NotFoundError("No such onboarding step")
    return item


async def get_onboarding_item(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                              item_id: uuid.UUID) -> OnboardingItemRead:
    await unit_for_staff(session, principal, unit_id)
    return OnboardingItemRead.model_validate(await _item_of(session, unit_id, item_id))


async def update_onboarding_item(session: AsyncSession, principal: Principal,
                                 unit_id: uuid.UUID, item_id: uuid.UUID,
                                 data: OnboardingItemUpdate) -> OnboardingItemRead:
    """Edits a step's wording or order, or retires it; retiring may complete people."""
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    item = await _item_of(session, unit_id, item_id)
    before = audit.snapshot(item)
    changes = data.model_dump(exclude_unset=True, exclude={"retired"})
    for key, value in changes.items():
        if value is None:
            raise InvalidInputError(f"{key} cannot be null", field=key)
        setattr(item, key, value)
    action = "update"
    if data.retired is True and item.retired_at is None:
        item.retired_at, action = utcnow(), "retire"
    elif data.retired is False and item.retired_at is not None:
        raise InvalidInputError("A retired step cannot come back; add a new step instead",
                                field="retired")
    await session.flush()
    if action == "retire":
        await _complete_where_now_done(session, unit_id)
    audit.record(session, actor_id=principal.user_id, entity_type="onboarding_item",
                 entity_id=item.id, action=action, before=before, after=audit.snapshot(item),
                 organisation_id=unit.organisation_id)
    return OnboardingItemRead.model_validate(item)


async def _complete_where_now_done(session: AsyncSession, unit_id: uuid.UUID) -> None:
    """After a step is retired: those who have done every remaining step are onboarded."""
    steps = _steps(await _items(session, unit_id))
    if not steps:
        return
    onboarded = set(await session.scalars(select(UnitOnboarding.user_id).where(
        UnitOnboarding.unit_id == unit_id)))
    done: dict[uuid.UUID, set[uuid.UUID]] = {}
    for user_id, item_id in await session.execute(
            select(OnboardingCompletion.user_id, OnboardingCompletion.item_id).where(
                OnboardingCompletion.unit_id == unit_id)):
        done.setdefault(user_id, set()).add(item_id)
    for user_id, items in done.items():
        if user_id not in onboarded and onboarding_complete(steps, items, None):
            session.add(UnitOnboarding(user_id=user_id, unit_id=unit_id))
    await session.flush()


async def _onboarded_at(session: AsyncSession, unit_id: uuid.UUID,
                        user_id: uuid.UUID) -> datetime | None:
    return await session.scalar(select(UnitOnboarding.completed_at).where(
        UnitOnboarding.user_id == user_id, UnitOnboarding.unit_id == unit_id))


async def _professional_onboarding(session: AsyncSession, unit_id: uuid.UUID,
                                   user_id: uuid.UUID) -> ProfessionalOnboarding:
    items = [OnboardingItemRead.model_validate(r) for r in await _items(session, unit_id)]
    active = {i.id for i in items}
    done = [i for i in await session.scalars(select(OnboardingCompletion.item_id).where(
        OnboardingCompletion.user_id == user_id, OnboardingCompletion.unit_id == unit_id))
        if i in active]
    completed = await _onboarded_at(session, unit_id, user_id) is not None
    return ProfessionalOnboarding(unit_id=unit_id, user_id=user_id, items=items,
                                  completed_item_ids=done, completed=completed)


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
    unit: Unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    await _require_professional(session, user_id)
    before = await _professional_onboarding(session, unit_id, user_id)
    known = {item.id for item in before.items}
    unknown = set(data.completed_item_ids) - known
    if unknown:
        raise InvalidInputError(f"Not items of this unit's checklist: {sorted(map(str, unknown))}",
                                field="completed_item_ids")
    wanted = set(data.completed_item_ids)
    # Completions of retired steps stay for the record.
    stale = delete(OnboardingCompletion).where(
        OnboardingCompletion.user_id == user_id, OnboardingCompletion.unit_id == unit_id,
        OnboardingCompletion.item_id.in_(list(known - wanted)))  # type: ignore[attr-defined]
    await session.execute(stale)
    for item_id in wanted - set(before.completed_item_ids):
        session.add(OnboardingCompletion(user_id=user_id, item_id=item_id, unit_id=unit_id,
                                         recorded_by=principal.user_id))
    onboarded_at = await _onboarded_at(session, unit_id, user_id)
    steps = _steps(await _items(session, unit_id))
    if not onboarding_complete(steps, wanted, onboarded_at):
        await session.execute(delete(UnitOnboarding).where(
            UnitOnboarding.user_id == user_id, UnitOnboarding.unit_id == unit_id))
    elif onboarded_at is None:
        session.add(UnitOnboarding(user_id=user_id, unit_id=unit_id))
    await session.flush()
    after = await _professional_onboarding(session, unit_id, user_id)
    audit.record(session, actor_id=principal.user_id, entity_type="onboarding",
                 entity_id=f"{unit_id}:{user_id}", action="record",
                 before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
                 organisation_id=unit.organisation_id)
    return after

