"""My reliability score with its history, through the service of `GET /api/me/reliability`."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.marketplace import services as marketplace
from asta.web.rendering import page

AnyRequest = Request[Any, Any, Any]


@get("/me/reliability", name="my_reliability", guards=[requires(Role.PROFESSIONAL)])
async def my_reliability(request: AnyRequest, db: AsyncSession,
                         principal: Principal) -> Template:
    return page(request, "reliability.html", current="my_reliability",
                reliability=await marketplace.my_reliability(db, principal))


HANDLERS = [my_reliability]
