"""Schedulers approve the hours professionals report, as sent or corrected."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from types import SimpleNamespace
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.marketplace import services as marketplace
from asta.marketplace.schemas import TimesheetApproval
from asta.web.forms import Errors, FormAttempt, text
from asta.web.i18n import HELSINKI
from asta.web.planning import (
    local,
    local_input,
    parse_local_datetime,
    unit_options,
    uuid_or_none,
    week_start,
)
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
LOOK_BACK = timedelta(days=31)
MAX_ROWS = 120


async def _pending(db: AsyncSession, principal: Principal, unit_id: uuid.UUID | None,
                   monday: date | None) -> list[dict[str, Any]]:
    """Submitted timesheets of the chosen week, or of the last month's shifts; oldest first."""
    since, until = ((local(monday, time(0)), local(monday + timedelta(days=7), time(0)))
                    if monday else (utcnow() - LOOK_BACK, None))
    sheets = await marketplace.pending_timesheets(db, principal, unit_id=unit_id, since=since,
                                                  until=until, limit=MAX_ROWS)
    return [{"a": SimpleNamespace(id=p.assignment_id, professional_name=p.professional_name),
             "shift": SimpleNamespace(unit_name=p.unit_name, starts_at=p.shift_starts_at,
                                      ends_at=p.shift_ends_at),
             "sheet": p.timesheet} for p in sheets]


async def _page(request: AnyRequest, db: AsyncSession, principal: Principal, unit_id: str,
                *, week: str = "", approved: int = 0, errors: dict[str, Errors] | None = None,
                values: dict[str, dict[str, str]] | None = None,
                status_code: int = 200) -> Template:
    chosen = uuid_or_none(unit_id)
    monday = week_start(week, utcnow().astimezone(HELSINKI).date()) if week else None
    rows = await _pending(db, principal, chosen, monday)
    shown = values or {}
    for row in rows:
        key = str(row["a"].id)
        shown.setdefault(key, {"actual_start": local_input(row["sheet"].actual_start),
                               "actual_end": local_input(row["sheet"].actual_end),
                               "break_minutes": str(row["sheet"].break_minutes),
                               "correction_note": ""})
    return page(request, "timesheets.html", current="timesheets", rows=rows,
                units=await unit_options(db, principal), unit_id=unit_id if chosen else "",
                monday=monday, week=monday.isoformat() if monday else "",
                today_week=week_start("", utcnow().astimezone(HELSINKI).date()).isoformat(),
                previous=monday - timedelta(days=7) if monday else None,
                next=monday + timedelta(days=7) if monday else None,
                approved=approved, errors=errors or {}, values=shown, status_code=status_code)


@get("/timesheets", name="timesheets", guards=[staff_only])
async def timesheets(request: AnyRequest, db: AsyncSession, principal: Principal,
                     unit_id: str = "", week: str = "", approved: int = 0) -> Template:
    return await _page(request, db, principal, unit_id, week=week, approved=approved)


@post("/timesheets/approve", name="timesheets_approve_many", guards=[staff_only])
async def approve_many(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    """Approve the ticked timesheets as reported: all of them, or none and the reason."""
    form = await request.form()
    unit_id, week = text(form, "unit_id"), text(form, "week")
    chosen = [i for i in (uuid_or_none(v) for v in form.getall("assignment_ids", [])) if i]
    async with FormAttempt(db, request_locale(request)) as attempt:
        await marketplace.approve_many(db, principal, chosen)
    if not attempt.errors:
        return Redirect(f"/timesheets?unit_id={unit_id}&week={week}&approved={len(chosen)}",
                        status_code=303)
    return await _page(request, db, principal, unit_id, week=week, status_code=422,
                       errors={"": attempt.errors})


@post("/timesheets/{assignment_id:uuid}/approve", name="timesheet_approve",
      guards=[staff_only])
async def approve(request: AnyRequest, db: AsyncSession, principal: Principal,
                  assignment_id: uuid.UUID) -> Any:
    form = await request.form()
    values = {k: text(form, k) for k in ("actual_start", "actual_end", "break_minutes",
                                         "correction_note", "original_start", "original_end",
                                         "original_break")}
    locale = request_locale(request)
    corrected = (values["actual_start"], values["actual_end"], values["break_minutes"]) != (
        values["original_start"], values["original_end"], values["original_break"])
    data: dict[str, Any] = {}
    if corrected:
        data = {"actual_start": parse_local_datetime(values["actual_start"]),
                "actual_end": parse_local_datetime(values["actual_end"]),
                "break_minutes": values["break_minutes"] or "0",
                "correction_note": values["correction_note"] or None}
    async with FormAttempt(db, locale, lambda n: n or "actual_end", lambda name: name) as attempt:
        await marketplace.approve(db, principal, assignment_id,
                                  TimesheetApproval.model_validate(data))
    errors = attempt.errors
    if not errors:
        return Redirect(f"/timesheets?unit_id={text(form, 'unit_id')}"
                        f"&week={text(form, 'week')}&approved=1", status_code=303)
    return await _page(request, db, principal, text(form, "unit_id"), status_code=422,
                       errors={str(assignment_id): errors},
                       values={str(assignment_id): values})


HANDLERS = [timesheets, approve_many, approve]
