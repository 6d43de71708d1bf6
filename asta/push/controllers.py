"""A professional's browsers that get push notifications; each person sees only their own."""

from __future__ import annotations

from litestar import Controller, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.push import services
from asta.push.schemas import PushSettings, PushSubscriptionIn, PushSubscriptionOut


class PushSubscriptionController(Controller):
    path = "/api/me/push"
    tags = ["me"]
    guards = [requires(Role.PROFESSIONAL)]

    @get("/", summary="The server's VAPID key for subscribing, and how many browsers I use")
    async def settings(self, db: AsyncSession, principal: Principal) -> PushSettings:
        return await services.push_settings(db, principal)

    @post("/subscriptions", status_code=204,
          summary="This browser shows my standby offers and bookings as notifications")
    async def subscribe(self, data: PushSubscriptionIn, db: AsyncSession,
                        principal: Principal) -> None:
        await services.subscribe(db, principal, data)

    @post("/subscriptions/remove", status_code=204, summary="This browser no longer does")
    async def unsubscribe(self, data: PushSubscriptionOut, db: AsyncSession,
                          principal: Principal) -> None:
        await services.unsubscribe(db, principal, data.endpoint)
