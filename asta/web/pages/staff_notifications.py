"""A scheduler chooses how they hear about their units' claims, late cancellations,
requests and submitted timesheets: as they happen, in a daily summary, or not at all."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.accounts.schemas import StaffNotificationChoices
from asta.accounts.staff_notifications import get_choices, put_choices
from asta.core.auth import Principal, requires
from asta.web.forms import FormAttempt, text
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
KINDS = tuple(StaffNotificationChoices.model_fields)


def _page(request: AnyRequest, values: dict[str, Any], **context: Any) -> Template:
    return page(request, "staff_notifications.html", current="staff_notifications",
                values=values, **{"errors": {}, "saved": False, **context})


@get("/notifications", name="staff_notifications", guards=[requires(Role.SCHEDULER)])
async def staff_notifications(request: AnyRequest, db: AsyncSession,
                              principal: Principal) -> Template:
    return _page(request, (await get_choices(db, principal)).model_dump())


@post("/notifications", name="staff_notifications_save", guards=[requires(Role.SCHEDULER)])
async def save(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    form = await request.form()
    values = {kind: text(form, kind) for kind in KINDS}
    async with FormAttempt(db, request_locale(request)) as attempt:
        await put_choices(db, principal, StaffNotificationChoices.model_validate(values))
    if attempt.errors:
        return _page(request, values, errors=attempt.errors, status_code=422)
    return _page(request, values, saved=True)


HANDLERS = [staff_notifications, save]
