"""Queue notifications inside the caller's transaction (outbox), so none is lost."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.notifications.models import Notification


async def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kind: str,
    subject: str,
    body: str,
    dedup_key: str | None = None,
) -> None:
    """Record an e-mail to send; a repeated dedup_key is ignored (already queued)."""
    statement = insert(Notification).values(
        id=uuid.uuid4(), user_id=user_id, kind=kind, subject=subject, body=body,
        dedup_key=dedup_key,
    ).on_conflict_do_nothing(index_elements=["dedup_key"])
    await session.execute(statement)
