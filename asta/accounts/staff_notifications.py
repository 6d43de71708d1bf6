"""A scheduler's choice of how e-mails about their units arrive (instant, daily, off)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.accounts.schemas import StaffNotificationChoices
from asta.core import audit
from asta.core.auth import Principal
from asta.core.errors import NotFoundError
from asta.notifications.rules import STAFF_DEFAULTS


async def _me(session: AsyncSession, principal: Principal) -> User:
    user = await session.get(User, principal.user_id)
    if user is None:
        raise NotFoundError("No such user")
    return user


async def get_choices(session: AsyncSession, principal: Principal) -> StaffNotificationChoices:
    user = await _me(session, principal)
    return StaffNotificationChoices.model_validate({**STAFF_DEFAULTS,
                                                    **user.staff_notifications})


async def put_choices(session: AsyncSession, principal: Principal,
                      data: StaffNotificationChoices) -> StaffNotificationChoices:
    user = await _me(session, principal)
    before = {"staff_notifications": dict(user.staff_notifications)}
    user.staff_notifications = data.model_dump()
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="user", entity_id=user.id,
                 action="staff_notifications", before=before,
                 after={"staff_notifications": user.staff_notifications})
    return data
