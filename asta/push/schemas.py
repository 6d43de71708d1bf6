from __future__ import annotations

from pydantic import BaseModel, Field


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=40, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(BaseModel):
    """What the browser's `PushSubscription.toJSON()` gives."""

    endpoint: str = Field(min_length=12, max_length=1000, pattern=r"^https?://")
    keys: PushKeys


class PushSubscriptionOut(BaseModel):
    endpoint: str = Field(min_length=12, max_length=1000)


class PushSettings(BaseModel):
    """What a page needs to subscribe: the server's key (None: push is off here)."""

    public_key: str | None
    subscriptions: int
