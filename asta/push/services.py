"""Subscriptions per user, and pushes queued next to their e-mail (outbox)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy import bindparam, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.errors import NotFoundError
from asta.push.errors import PushNotConfiguredError
from asta.push.keys import public_key
from asta.push.models import PushMessage, PushStatus, PushSubscription
from asta.push.schemas import PushSettings, PushSubscriptionIn

SERVICE_PREFIX = "push:"


def service_of(endpoint: str) -> str:
    """The circuit of the push service a browser uses (FCM, Mozilla's, Apple's, ...): one
    that is down holds back only its own browsers' pushes."""
    return (SERVICE_PREFIX + urlsplit(endpoint).netloc)[:40]


# The e-mail kinds that are pushed too: standby offers and bookings.
PUSHED_KINDS = frozenset({"standby_offer", "direct_offer", "shift_assigned", "shift_cancelled"})


async def push_settings(session: AsyncSession, principal: Principal) -> PushSettings:
    key = get_settings().vapid_private_key
    count = await session.scalar(select(func.count()).select_from(PushSubscription).where(
        PushSubscription.user_id == principal.user_id)) or 0
    return PushSettings(public_key=public_key(key) if key else None, subscriptions=count)


async def subscribe(session: AsyncSession, principal: Principal,
                    data: PushSubscriptionIn) -> None:
    """This browser now gets the caller's pushes; a browser that was someone else's (a shared
    device, another account) is theirs no longer."""
    if not get_settings().vapid_private_key:
        raise PushNotConfiguredError("Push notifications are not set up on this server")
    await session.execute(insert(PushSubscription).values(
        id=uuid.uuid4(), user_id=principal.user_id, endpoint=data.endpoint,
        p256dh=data.keys.p256dh, auth=data.keys.auth, service=service_of(data.endpoint),
    ).on_conflict_do_update(index_elements=["endpoint"], set_={
        "user_id": principal.user_id, "p256dh": data.keys.p256dh, "auth": data.keys.auth}))


async def unsubscribe(session: AsyncSession, principal: Principal, endpoint: str) -> None:
    removed = await session.scalar(delete(PushSubscription).where(
        PushSubscription.user_id == principal.user_id, PushSubscription.endpoint == endpoint,
    ).returning(PushSubscription.id))
    if removed is None:
        raise NotFoundError("No such push subscription")


# Built once (a claim queues one per winner): each call binds its values.
_PUSH = insert(PushMessage).from_select(
    ["subscription_id", "service", "id", "dedup_key", "payload", "created_at", "status",
     "attempts"],
    select(PushSubscription.id, PushSubscription.service, func.gen_random_uuid(),
           bindparam("dedup_key", type_=sa.String), bindparam("payload", type_=sa.String),
           bindparam("now", type_=sa.DateTime(timezone=True)), literal(PushStatus.PENDING),
           literal(0)).where(PushSubscription.user_id == bindparam("user_id", type_=sa.Uuid)),
).on_conflict_do_nothing(constraint="uq_push_message_once")


async def queue_push(session: AsyncSession, *, user_id: uuid.UUID, dedup_key: str, title: str,
                     body: str, url: str, tag: str) -> None:
    """One push per device the user subscribed, in the caller's transaction; a repeated
    dedup key (the e-mail's) is ignored, so a notice is pushed once."""
    payload = json.dumps({"title": title, "body": body, "url": url, "tag": tag},
                         ensure_ascii=False)
    connection = await session.connection()  # Core: one row per subscription, no ORM bulk
    await connection.execute(_PUSH, {"user_id": user_id, "dedup_key": dedup_key,
                                     "payload": payload, "now": utcnow()})
