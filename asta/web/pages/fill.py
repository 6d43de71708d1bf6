"""The scheduler's fill board (per unit and week) and who is on duty now."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError
from asta.marketplace import services as marketplace
from asta.marketplace.lifecycle import fill_state
from asta.web.forms import FormAttempt, text
from asta.web.i18n import HELSINKI
from asta.web.planning import local, unit_options, uuid_or_none, week_start
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
MAX_SHIFTS = 500


@get("/fill-board", name="fill_board", guards=[staff_only])
async def fill_board(request: AnyRequest, db: AsyncSession, principal: Principal,
                     unit_id: str = "", week: str = "", posted: int = 0,
                     published: int = 0, copied: int = 0, already: int = 0) -> Template:
    return await _board(request, db, principal, unit_id, week, posted=posted,
                        published=published, copied=copied, already=already)


@post("/fill-board/publish", name="fill_publish", guards=[staff_only])
async def publish_many(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    """Publish the drafts ticked on the fill board: all of them, or none and the reason."""
    form = await request.form()
    unit_id, week = text(form, "unit_id"), text(form, "week")
    chosen = [i for i in (uuid_or_none(v) for v in form.getall("shift_ids", [])) if i]
    async with FormAttempt(db, request_locale(request)) as attempt:
        if not chosen:
            raise InvalidInputError("Tick the drafts to publish", field="shift_ids")
        await marketplace.publish(db, principal, chosen)
    if not attempt.errors:
        return Redirect(f"/fill-board?unit_id={unit_id}&week={week}&published={len(chosen)}",
                        status_code=303)
    return await _board(request, db, principal, unit_id, week, errors=attempt.errors,
                        status_code=422)


async def _board(request: AnyRequest, db: AsyncSession, principal: Principal, unit_id: str,
                 week: str, *, status_code: int = 200, **extra: Any) -> Template:
    now = utcnow()
    monday = week_start(week, now.astimezone(HELSINKI).date())
    start = local(monday, time(0))
    chosen = uuid_or_none(unit_id)
    board = await marketplace.list_shifts(db, principal, marketplace.BoardFilters(
        unit_id=chosen, starts_from=start, starts_to=start + timedelta(days=7),
        limit=MAX_SHIFTS))
    states = [fill_state(s.status, s.positions, s.filled, s.starts_at, now) for s in board.items]
    rows = [{"shift": s, "state": state} for s, state in zip(board.items, states, strict=True)]
    live = [s for s in board.items if s.status not in ("draft", "cancelled")]
    totals: dict[str, int] = {
        "positions": sum(s.positions for s in live), "filled": sum(s.filled for s in live),
        "standby": sum(s.standby or 0 for s in live),
        "requested": sum(s.requested or 0 for s in live),
        **{f"state_{k}": n for k, n in Counter(states).items()}}
    return page(request, "fill_board.html", current="fill_board", rows=rows, totals=totals,
                units=await unit_options(db, principal), unit_id=unit_id if chosen else "",
                monday=monday, previous=monday - timedelta(days=7),
                next=monday + timedelta(days=7), truncated=board.total > MAX_SHIFTS,
                status_code=status_code,
                **{"posted": 0, "published": 0, "copied": 0, "already": 0, "errors": {}, **extra})


@get("/on-duty", name="on_duty", guards=[staff_only])
async def on_duty(request: AnyRequest, db: AsyncSession, principal: Principal,
                  unit_id: str = "") -> Template:
    units = await unit_options(db, principal)
    chosen = uuid_or_none(unit_id)
    ids = [chosen] if chosen else [uuid_or_none(u) for u, _ in units]
    duty = [await marketplace.on_duty(db, principal, i) for i in ids if i is not None]
    return page(request, "on_duty.html", current="on_duty", duty=duty, units=units,
                unit_id=unit_id if chosen else "")


HANDLERS = [fill_board, publish_many, on_duty]
