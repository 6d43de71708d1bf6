"""A professional's shift board and own shifts, through asta.marketplace.services."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import MultiDict
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.core.clock import HELSINKI
from asta.core.errors import AstaError
from asta.marketplace import services as marketplace
from asta.web.board_form import BoardForm
from asta.web.board_form import parse as parse_board_form
from asta.web.forms import text
from asta.web.i18n import N_
from asta.web.i18n.service_messages import translate_error
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)
PAGE_SIZE = 30
WEEK_LIMIT = 200  # a week view shows the whole week at once
REFUSED_VIEW = parse_board_form(MultiDict({"show_all": "true"}))  # the refused shift is listed
DONE = {
    "claimed": N_("Done: the shift is in your shifts."),
    "waitlisted": N_("You are standing by for the shift. You will be offered it if a position "
                     "frees up."),
    "cancelled": N_("The shift has been cancelled."),
    "offer_taken": N_("Done: you took the offered shift. It is in your shifts."),
    "offer_declined": N_("You declined the offer. It passes to the next in line."),
}


async def _board(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                 form: BoardForm, offset: int, error: str | None = None,
                 status_code: int = 200) -> Template:
    week = form.week_start is not None
    board = await marketplace.list_shifts(db, principal, marketplace.BoardFilters(
        **form.filters, limit=WEEK_LIMIT if week else PAGE_SIZE, offset=0 if week else max(0, offset)))
    by_day: dict[date, list[Any]] = defaultdict(list)
    for shift in board.items if week else ():
        by_day[shift.starts_at.astimezone(HELSINKI).date()].append(shift)
    return page(request, "shift_board.html", current="shift_board", board=board, form=form,
                by_day=by_day,
                units=[(str(i), name) for i, name in await marketplace.board_units(db, principal)],
                error=error,
                page_size=PAGE_SIZE, status_code=status_code)


@get("/shifts", name="shift_board", guards=[professionals_only])
async def shift_board(request: AnyRequest, db: AsyncSession, principal: Principal,
                      offset: int = 0) -> Template:
    """Filters live in the URL (see asta.web.board_form); a bad one is marked in place."""
    form = parse_board_form(request.query_params)
    return await _board(request, db, principal, form=form, offset=offset,
                        status_code=422 if form.errors else 200)


@post("/shifts/{shift_id:uuid}/claim", name="shift_claim", guards=[professionals_only])
async def claim(request: AnyRequest, db: AsyncSession, principal: Principal,
                shift_id: uuid.UUID) -> Template | Redirect:
    return await _act(request, db, principal, "claimed",
                      marketplace.claim(db, principal, shift_id))


@post("/shifts/{shift_id:uuid}/waitlist", name="shift_waitlist", guards=[professionals_only])
async def waitlist(request: AnyRequest, db: AsyncSession, principal: Principal,
                   shift_id: uuid.UUID) -> Template | Redirect:
    return await _act(request, db, principal, "waitlisted",
                      marketplace.join(db, principal, shift_id))


async def _act(request: AnyRequest, db: AsyncSession, principal: Principal, done: str,
               action: Any) -> Template | Redirect:
    try:
        await action
    except AstaError as exc:
        await db.rollback()
        return await _board(request, db, principal, form=REFUSED_VIEW, offset=0,
                            error=translate_error(request_locale(request), exc),
                            status_code=exc.status)
    return Redirect(f"/my-shifts?done={done}", status_code=303)


@get("/shifts/{shift_id:uuid}", name="shift_page", guards=[professionals_only])
async def shift_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                     shift_id: uuid.UUID) -> Template:
    """What e-mails and the calendar link to: the terms, the pay and the one action."""
    return page(request, "shift.html", current="shift_board",
                shift=await marketplace.shift_detail(db, principal, shift_id), error=None)


@post("/standby/{entry_id:uuid}/accept", name="standby_accept", guards=[professionals_only])
async def accept_offer(request: AnyRequest, db: AsyncSession, principal: Principal,
                       entry_id: uuid.UUID) -> Template | Redirect:
    return await _answer(request, db, principal, "offer_taken",
                         marketplace.accept(db, principal, entry_id))


@post("/standby/{entry_id:uuid}/decline", name="standby_decline", guards=[professionals_only])
async def decline_offer(request: AnyRequest, db: AsyncSession, principal: Principal,
                        entry_id: uuid.UUID) -> Template | Redirect:
    return await _answer(request, db, principal, "offer_declined",
                         marketplace.decline_or_leave(db, principal, entry_id, leave=False))


async def _answer(request: AnyRequest, db: AsyncSession, principal: Principal, done: str,
                  action: Any) -> Template | Redirect:
    try:
        await action
    except AstaError as exc:
        await db.rollback()
        return await _my_shifts(request, db, principal, status_code=exc.status,
                                error=translate_error(request_locale(request), exc))
    return Redirect(f"/my-shifts?done={done}", status_code=303)


async def _my_shifts(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                     done: str | None = None, error: str | None = None, status_code: int = 200) -> Template:
    return page(request, "my_shifts.html", current="my_shifts",
                assignments=await marketplace.my_assignments(db, principal, upcoming_only=True),
                entries=await marketplace.my_entries(db, principal),
                done=DONE.get(done or ""), error=error,
                status_code=status_code)


@get("/my-shifts", name="my_shifts", guards=[professionals_only])
async def my_shifts(request: AnyRequest, db: AsyncSession, principal: Principal,
                    done: str | None = None) -> Template:
    return await _my_shifts(request, db, principal, done=done)


@post("/my-shifts/{assignment_id:uuid}/cancel", name="my_shift_cancel",
      guards=[professionals_only])
async def cancel(request: AnyRequest, db: AsyncSession, principal: Principal,
                 assignment_id: uuid.UUID) -> Template | Redirect:
    reason = text(await request.form(), "reason").strip()
    try:
        await marketplace.cancel_assignment(db, principal, assignment_id, reason or "-")
    except AstaError as exc:
        await db.rollback()
        return await _my_shifts(request, db, principal, status_code=exc.status,
                                error=translate_error(request_locale(request), exc))
    return Redirect("/my-shifts?done=cancelled", status_code=303)


HANDLERS = [shift_board, shift_page, claim, waitlist, accept_offer, decline_offer, my_shifts,
            cancel]
