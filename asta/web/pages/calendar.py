"""My calendar feed: the private address to copy into a calendar app, and renewing it (the
old address stops working), through the services of `POST /api/me/calendar-token`."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.marketplace import services as marketplace
from asta.web.rendering import page

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)


@get("/me/calendar", name="my_calendar", guards=[professionals_only])
async def my_calendar(request: AnyRequest, db: AsyncSession, principal: Principal,
                      renewed: bool = False) -> Template:
    feed = await marketplace.my_calendar_feed(db, principal)
    return page(request, "calendar_feed.html", current="my_calendar", renewed=renewed,
                feed_url=feed.url if feed else None)


@post("/me/calendar/renew", name="my_calendar_renew", guards=[professionals_only])
async def renew(db: AsyncSession, principal: Principal) -> Redirect:
    await marketplace.rotate_token(db, principal)
    return Redirect("/me/calendar?renewed=true", status_code=303)


HANDLERS = [my_calendar, renew]
