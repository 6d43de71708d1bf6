"""The scheduler's fill board (per unit and week) and who is on duty now."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.marketplace import services as marketplace
from asta.web.i18n import HELSINKI
from asta.web.planning import fill_state, local, unit_options, uuid_or_none, week_start
from asta.web.rendering import page

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
MAX_SHIFTS = 500


@get("/fill-board", name="fill_board", guards=[staff_only])
async def fill_board(request: AnyRequest, db: AsyncSession, principal: Principal,
                     unit_id: str = "", week: str = "", posted: int = 0) -> Template:
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
                next=monday + timedelta(days=7), posted=posted, truncated=board.total > MAX_SHIFTS)


@get("/on-duty", name="on_duty", guards=[staff_only])
async def on_duty(request: AnyRequest, db: AsyncSession, principal: Principal,
                  unit_id: str = "") -> Template:
    units = await unit_options(db, principal)
    chosen = uuid_or_none(unit_id)
    ids = [chosen] if chosen else [uuid_or_none(u) for u, _ in units]
    duty = [await marketplace.on_duty(db, principal, i) for i in ids if i is not None]
    return page(request, "on_duty.html", current="on_duty", duty=duty, units=units,
                unit_id=unit_id if chosen else "")


HANDLERS = [fill_board, on_duty]
