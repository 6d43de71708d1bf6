"""Sign-ins in the audit log, under the area the person works for (so its admins see them)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import RoleAssignment, User
from asta.core import audit
from asta.core.db import unit_of_work


async def _home_area(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(col(RoleAssignment.organisation_id)).where(
            col(RoleAssignment.user_id) == user_id,
            col(RoleAssignment.organisation_id).is_not(None))
        .order_by(col(RoleAssignment.created_at)).limit(1))


async def record(session: AsyncSession, user: User | None, *, succeeded: bool) -> None:
    """A success lands with the sign-in; a failure in its own transaction, because the
    request that refuses it rolls back."""
    if user is not None and succeeded:
        audit.record(session, actor_id=user.id, entity_type="user", entity_id=user.id,
                     action="sign_in", organisation_id=await _home_area(session, user.id))
        return
    async with unit_of_work() as own:
        area = await _home_area(own, user.id) if user else None
        audit.record(own, actor_id=None, entity_type="user",
                     entity_id=user.id if user else "unknown", action="sign_in_failed",
                     organisation_id=area)
