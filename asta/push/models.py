from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class PushSubscription(SQLModel, table=True):
    """One browser on one device that agreed to show Asta's notifications."""

    __tablename__ = "push_subscriptions"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(sa_column=sa.Column(
        sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True))
    # The push service's address for this browser: a capability URL, unique per browser.
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)  # the browser's public key (base64url)
    auth: str = Field(max_length=100)  # the browser's authentication secret (base64url)
    service: str = Field(max_length=40)  # its push service's circuit (asta.push.services)
    created_at: datetime = created_at_field()


class PushStatus:
    PENDING = "pending"  # see asta.core.outbox: due, failed and waiting, or in flight
    DONE = "done"
    DEAD = "dead"


class PushMessage(SQLModel, table=True):
    """A push to one subscription: written in the transaction that writes its e-mail."""

    __tablename__ = "push_messages"
    __table_args__ = (sa.UniqueConstraint("subscription_id", "dedup_key",
                                          name="uq_push_message_once"),
                      sa.Index("ix_push_messages_pending", "created_at",
                               postgresql_where=sa.text("status = 'pending'")))
    id: uuid.UUID = id_field()
    # A subscription that is removed (by its owner, or gone at the push service) takes its
    # pushes along: nobody is there to receive them.
    subscription_id: uuid.UUID = Field(sa_column=sa.Column(
        sa.Uuid, sa.ForeignKey("push_subscriptions.id", ondelete="CASCADE"), nullable=False,
        index=True))
    dedup_key: str = Field(max_length=200)  # the e-mail's: one push per device per notice
    service: str = Field(max_length=40)  # the subscription's: sweeps skip a service that is down
    payload: str  # JSON the service worker shows: title, body, url, tag
    created_at: datetime = created_at_field()
    status: str = Field(default=PushStatus.PENDING, max_length=10)
    sent_at: datetime | None = timestamp_field()
    attempts: int = 0
    next_attempt_at: datetime | None = timestamp_field()
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_until: datetime | None = timestamp_field()
    last_error: str | None = None
