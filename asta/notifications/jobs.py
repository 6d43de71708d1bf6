"""Deliver queued notifications. A lost enqueue is recovered by the periodic sweep."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import select

from asta.accounts.models import User
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every
from asta.notifications.mailer import send_email
from asta.notifications.models import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@actor(max_retries=5, min_backoff=1_000)
async def send_notification(notification_id: str) -> None:
    async with unit_of_work() as session:
        # The row lock makes two workers holding the same id send it once.
        notification = await session.scalar(
            select(Notification).where(Notification.id == uuid.UUID(notification_id))
            .with_for_update(skip_locked=True))
        if notification is None or notification.sent_at is not None:
            return
        user = await session.get(User, notification.user_id)
        if user is None or user.erased_at is not None:
            notification.sent_at = utcnow()
            notification.last_error = "recipient erased"
            return
        notification.attempts += 1
        try:
            await send_email(user.email, notification.subject, notification.body,
                             str(notification.id))
        except OSError as exc:
            notification.last_error = str(exc)[:500]
            log.warning("mail to %s failed: %s", user.email, exc)
            return
        notification.sent_at = utcnow()


@every(15)
@actor(max_retries=0)
async def dispatch_notifications() -> None:
    """Enqueue every unsent notification; sending is idempotent, so repeats are harmless."""
    async with unit_of_work() as session:
        ids = (await session.scalars(
            select(Notification.id)
            .where(Notification.sent_at.is_(None),  # type: ignore[union-attr]
                   Notification.attempts < MAX_ATTEMPTS,
                   Notification.created_at > utcnow() - timedelta(days=2))
            .order_by(Notification.created_at).limit(500))).all()
    for notification_id in ids:
        send_notification.send(str(notification_id))
