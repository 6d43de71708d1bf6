from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class Notification(SQLModel, table=True):
    """An e-mail to send: written in the same transaction as the change that causes it."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_unsent", "created_at",
                               postgresql_where=sa.text("sent_at IS NULL")),)
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=60)
    # Makes "remind once" and "warn once a day" hold even if the same job runs twice.
    dedup_key: str | None = Field(default=None, max_length=200, unique=True)
    subject: str = Field(max_length=300)
    body: str
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
    attempts: int = 0
    last_error: str | None = None
