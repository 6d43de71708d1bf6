"""Queue notifications inside the caller's transaction (outbox), so none is lost."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.clock import utcnow
from asta.notifications.models import Notification, NotificationStatus
from asta.notifications.rules import GAP_BATCHED, delivery

_NOTIFY = insert(Notification).values(
    {name: bindparam(name) for name in ("id", "user_id", "kind", "subject", "body", "dedup_key")},
).on_conflict_do_nothing(index_elements=["dedup_key"])


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
    connection = await session.connection()  # Core, and the statement built once
    await connection.execute(_NOTIFY, {"id": uuid.uuid4(), "user_id": user_id, "kind": kind,
                                       "subject": subject, "body": body,
                                       "dedup_key": dedup_key})


async def queue(session: AsyncSession, *, user_id: uuid.UUID, kind: str, subject: str,
                merged_subject: str, body: str, dedup_key: str, item: str,
                choices: dict[str, str]) -> None:
    """As the professional chose for this kind (rules.delivery): now, batched or not at all.

    A batched e-mail joins the one of its kind still waiting, or waits for its moment (a gap
    after the last new-shift e-mail, or the daily digest). `item` (e.g. the shift's link) is
    in the body, so a batched item already told is never told twice ("" where an item may
    be told again, e.g. a booking after its request).
    """
    mine = (Notification.user_id == user_id, Notification.kind == kind)
    # A round trip saved for every other kind (each claim's e-mails, for one).
    last = await session.scalar(select(func.max(func.coalesce(
        Notification.next_attempt_at, Notification.created_at))).where(*mine)) if (
        kind in GAP_BATCHED) else None
    plan = delivery(choices, kind, utcnow(), last)
    if not plan.send:
        return
    if not plan.batched:
        await notify(session, user_id=user_id, kind=kind, subject=subject, body=body,
                     dedup_key=dedup_key)
        return
    if item and await session.scalar(select(Notification.id).where(
            *mine, Notification.body.contains(item)).limit(1)) is not None:  # type: ignore[attr-defined]
        return
    # The waiting e-mail is locked until this transaction ends; one that another transaction
    # holds is skipped (a new one is made), so concurrent claims on one unit's shifts never
    # queue behind their scheduler's digest.
    open_one = (select(Notification.id).where(
        *mine, Notification.status == NotificationStatus.PENDING.value,
        Notification.claimed_by.is_(None), Notification.attempts == 0)  # type: ignore[union-attr]
        .limit(1).with_for_update(skip_locked=True).scalar_subquery())
    waiting = (await session.execute(
        update(Notification).where(Notification.id == open_one)
        .values(body=Notification.body + "\n\n" + body, subject=merged_subject)
        .returning(Notification.id))).first()
    if waiting is None:
        await session.execute(insert(Notification).values(
            id=uuid.uuid4(), user_id=user_id, kind=kind, subject=subject, body=body,
            next_attempt_at=plan.at))
