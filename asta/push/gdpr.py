"""A professional's browsers in their data export; erasure forgets them (and what waits)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.push.models import PushSubscription


async def export_push_subscriptions(session: AsyncSession, user_id: uuid.UUID) -> Any:
    rows = await session.scalars(select(PushSubscription).where(
        col(PushSubscription.user_id) == user_id).order_by(col(PushSubscription.created_at)))
    return [{"endpoint": r.endpoint, "created_at": r.created_at.isoformat()} for r in rows]


async def erase_push_subscriptions(session: AsyncSession, user_id: uuid.UUID) -> None:
    # The pushes waiting for these browsers go with them (ON DELETE CASCADE).
    await session.execute(delete(PushSubscription).where(col(PushSubscription.user_id) == user_id))
