"""Delivering the outbox to the real test SMTP server at once, and reading links back."""

from __future__ import annotations

import re
import uuid
from email.header import decode_header, make_header
from email.message import Message

from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.outbox import claim_due
from asta.notifications.jobs import NOTIFICATIONS, send_notifications
from asta.notifications.models import Notification
from tests.integration.mail import Inbox

LINK = re.compile(r"(https?://\S+?)(/[\w-]+)\?token=([\w-]+)")


async def deliver(inbox: Inbox) -> list[Message]:
    """What the delivery jobs would do, run here instead of waiting for a worker: the batches
    the identity e-mails were claimed in, then anything else due."""
    swept = uuid.uuid4().hex
    async with unit_of_work() as session:
        await claim_due(session, NOTIFICATIONS, utcnow(), limit=100, token=swept)
        batches = set(await session.scalars(select(Notification.claimed_by).where(
            Notification.status == "pending", Notification.claimed_by.is_not(None))))  # type: ignore[union-attr]
    for batch in batches:
        # The actor's coroutine itself (Dramatiq wraps it to run on its own loop thread).
        await send_notifications.fn.__wrapped__(batch)
    return inbox.messages


def body(message: Message) -> str:
    """The plain-text part (e-mails also carry an HTML part)."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def subject(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def link_in(message: Message) -> tuple[str, str]:
    """(page path, token) of the one link the e-mail carries."""
    found = LINK.search(body(message))
    assert found, body(message)
    return found.group(2), found.group(3)


def to(messages: list[Message], address: str) -> list[Message]:
    return [m for m in messages if m["To"] == address]
