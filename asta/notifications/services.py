"""Queue notifications inside the caller's transaction (outbox), so none is lost."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.clock import utcnow
from asta.notifications.models import Notification, NotificationStatus
from asta.notifications.rules import batch_send_at


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


async def notify_batched(session: AsyncSession, *, user_id: uuid.UUID, kind: str, subject: str,
                         merged_subject: str, body: str, item: str) -> None:
    """At most one e-mail of this kind per gap: a new item joins the one still waiting, or
    waits a gap after the last one sent. `item` (e.g. the shift's link) is in the body, so an
    item already told is never told twice."""
    mine = (Notification.user_id == user_id, Notification.kind == kind)
    told = await session.scalar(select(Notification.id).where(
        *mine, Notification.body.contains(item)).limit(1))  # type: ignore[attr-defined]
    if told is not None:
        return
    waiting = (await session.execute(
        update(Notification).where(
            *mine, Notification.status == NotificationStatus.PENDING.value,
            Notification.claimed_by.is_(None), Notification.attempts == 0)  # type: ignore[union-attr]
        .values(body=Notification.body + "\n\n" + body, subject=merged_subject)
        .returning(Notification.id))).first()
    if waiting is not None:
        return
    last = await session.scalar(select(func.max(func.coalesce(
        Notification.next_attempt_at, Notification.created_at))).where(*mine))
    await session.execute(insert(Notification).values(
        id=uuid.uuid4(), user_id=user_id, kind=kind, subject=subject, body=body,
        next_attempt_at=batch_send_at(utcnow(), last)))
