"""The scheduler's workbench for one shift (reached from the fill board): who holds it, who
waits, its history, and the actions that will succeed now; plus publishing many drafts."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.errors import InvalidInputError, NotFoundError
from asta.marketplace import services as marketplace
from asta.profiles import services as profiles
from asta.profiles.services.pool import PoolFilters
from asta.web.forms import Errors, FormAttempt, text
from asta.web.i18n import HELSINKI
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
CANDIDATES = 10
Action = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[Any]]

ASSIGNMENT_ACTIONS: dict[str, Action] = {
    "approve": marketplace.approve_request,
    "decline": marketplace.decline_request,
    "no_show": marketplace.mark_no_show,
}


async def _page(request: AnyRequest, db: AsyncSession, principal: Principal,
                shift_id: uuid.UUID, *, done: str = "", errors: Errors | None = None,
                reason: str = "", find: str = "", status_code: int = 200) -> Template:
    bench = await marketplace.shift_workbench(db, principal, shift_id)
    candidates = []
    if find.strip() and "offer" in bench.actions:
        candidates = (await profiles.search_professionals(db, principal, PoolFilters(
            name=find.strip(), profession=bench.shift.profession, limit=CANDIDATES))).items
    week = bench.shift.starts_at.astimezone(HELSINKI).date().isoformat()
    return page(request, "fill_shift.html", current="fill_board", bench=bench,
                shift=bench.shift, week=week, done=done, errors=errors or {}, reason=reason,
                find=find, candidates=candidates, status_code=status_code)


@get("/fill-board/shifts/{shift_id:uuid}", name="fill_shift", guards=[staff_only])
async def fill_shift(request: AnyRequest, db: AsyncSession, principal: Principal,
                     shift_id: uuid.UUID, done: str = "", find: str = "") -> Template:
    return await _page(request, db, principal, shift_id, done=done, find=find)


@post("/fill-board/shifts/{shift_id:uuid}/{action:str}", name="fill_shift_action",
      guards=[staff_only])
async def shift_action(request: AnyRequest, db: AsyncSession, principal: Principal,
                       shift_id: uuid.UUID, action: str) -> Any:
    form = await request.form()
    reason = text(form, "reason").strip()
    async with FormAttempt(db, request_locale(request)) as attempt:
        if action == "publish":
            await marketplace.publish(db, principal, [shift_id])
        elif action == "unpublish":
            await marketplace.unpublish(db, principal, shift_id)
        elif action == "cancel":
            await marketplace.cancel_shift(db, principal, shift_id, _required(reason))
        elif action == "offer":
            await marketplace.offer_directly(db, principal, shift_id,
                                             _professional(text(form, "professional_id")))
        else:
            raise NotFoundError("No such action")
    if not attempt.errors:
        return Redirect(f"/fill-board/shifts/{shift_id}?done={action}", status_code=303)
    return await _page(request, db, principal, shift_id, errors=attempt.errors, reason=reason,
                       status_code=422)


def _required(reason: str) -> str:
    if not reason:
        raise InvalidInputError("Give a reason: the professionals are told it", field="reason")
    return reason


def _professional(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInputError("Choose a professional", field="professional_id") from None


@post("/fill-board/shifts/{shift_id:uuid}/assignments/{assignment_id:uuid}/{action:str}",
      name="fill_assignment_action", guards=[staff_only])
async def assignment_action(request: AnyRequest, db: AsyncSession, principal: Principal,
                            shift_id: uuid.UUID, assignment_id: uuid.UUID, action: str) -> Any:
    service = ASSIGNMENT_ACTIONS.get(action)
    if service is None:
        raise NotFoundError("No such action")
    async with FormAttempt(db, request_locale(request)) as attempt:
        await service(db, principal, assignment_id)
    if not attempt.errors:
        return Redirect(f"/fill-board/shifts/{shift_id}?done={action}", status_code=303)
    return await _page(request, db, principal, shift_id, errors=attempt.errors,
                       status_code=422)


HANDLERS = [fill_shift, shift_action, assignment_action]
