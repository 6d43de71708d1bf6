from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"  # to send: due, failed and waiting, or in flight (see asta.core.outbox)
    DONE = "done"
    DEAD = "dead"  # refused for good, or failing for too long: operators see it


class Notification(SQLModel, table=True):
    """An e-mail to send: written in the same transaction as the change that causes it."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_pending", "created_at",
                               postgresql_where=sa.text("status = 'pending'")),
                      sa.CheckConstraint("user_id IS NOT NULL OR to_address IS NOT NULL",
                                         name="ck_notification_recipient"))
    id: uuid.UUID = id_field()
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    # For someone with no account yet (an invitee); otherwise the user's current address.
    to_address: str | None = Field(default=None, max_length=320)
    kind: str = Field(max_length=60)
    # Makes "remind once" and "warn once a day" hold even if the same job runs twice.
    dedup_key: str | None = Field(default=None, max_length=200, unique=True)
    subject: str = Field(max_length=300)
    body: str
    created_at: datetime = created_at_field()
    status: str = Field(default=NotificationStatus.PENDING.value, max_length=10)
    sent_at: datetime | None = timestamp_field()
    attempts: int = 0
    next_attempt_at: datetime | None = timestamp_field()
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_until: datetime | None = timestamp_field()
    last_error: str | None = None
