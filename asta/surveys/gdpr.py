"""A professional's survey answers for the GDPR export and erasure."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core import audit
from asta.surveys.models import Survey


async def export_surveys(session: AsyncSession, user_id: uuid.UUID) -> Any:
    rows = await session.scalars(select(Survey).where(col(Survey.user_id) == user_id)
                                 .order_by(col(Survey.asked_at)))
    return [audit.snapshot(r) for r in rows]


async def erase_survey_comments(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Free-text comments may identify the person; the scores stay for the statistics."""
    await session.execute(update(Survey).where(col(Survey.user_id) == user_id).values(comment=None))
