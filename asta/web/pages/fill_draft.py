"""From the fill board: edit a draft before it is published, and copy a unit's week to the
next week as drafts (the API's services)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError
from asta.marketplace import services as marketplace
from asta.web import draft_form
from asta.web.forms import Errors, FormAttempt, FormValues, text
from asta.web.i18n import HELSINKI, N_, gettext
from asta.web.planning import uuid_or_none, week_start
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
_BAD_INPUT = {"date": N_("Enter a date."), "time": N_("Enter a time, e.g. 08:00.")}


async def _form(request: AnyRequest, db: AsyncSession, principal: Principal,
                shift_id: uuid.UUID, values: FormValues | None = None,
                errors: Errors | None = None, status_code: int = 200) -> Template:
    bench = await marketplace.shift_workbench(db, principal, shift_id)
    return page(request, "draft_form.html", current="fill_board", shift=bench.shift,
                editable="edit" in bench.actions,
                values=values or draft_form.values_of(bench.shift), errors=errors or {},
                status_code=status_code)


@get("/fill-board/shifts/{shift_id:uuid}/edit", name="draft_edit", guards=[staff_only])
async def edit_draft(request: AnyRequest, db: AsyncSession, principal: Principal,
                     shift_id: uuid.UUID) -> Template:
    return await _form(request, db, principal, shift_id)


@post("/fill-board/shifts/{shift_id:uuid}/edit", name="draft_save", guards=[staff_only])
async def save_draft(request: AnyRequest, db: AsyncSession, principal: Principal,
                     shift_id: uuid.UUID) -> Template | Redirect:
    values = draft_form.typed(await request.form())
    locale = request_locale(request)
    errors: Errors = {name: gettext(locale, _BAD_INPUT[kind])
                      for name, kind in draft_form.bad_inputs(values).items()}
    if not errors:
        async with FormAttempt(db, locale, draft_form.rename) as attempt:
            await marketplace.edit_draft(db, principal, shift_id,
                                         draft_form.shift_create(values))
        errors = attempt.errors
    if errors:
        return await _form(request, db, principal, shift_id, values, errors, status_code=422)
    return Redirect(f"/fill-board/shifts/{shift_id}?done=edit", status_code=303)


@post("/fill-board/copy-week", name="fill_copy_week", guards=[staff_only])
async def copy_week(request: AnyRequest, db: AsyncSession, principal: Principal) -> Redirect:
    """Copies the shown week of the chosen unit; the board then shows the next week."""
    form = await request.form()
    monday = week_start(text(form, "week"), utcnow().astimezone(HELSINKI).date())
    unit_id = uuid_or_none(text(form, "unit_id"))
    if unit_id is None:
        raise InvalidInputError("Choose a unit to copy its week", field="unit_id")
    copied = await marketplace.copy_week(db, principal, unit_id, monday)
    following = (monday + timedelta(days=7)).isoformat()
    return Redirect(f"/fill-board?unit_id={unit_id}&week={following}&copied="
                    f"{len(copied.copied)}&already={copied.already_there}", status_code=303)


HANDLERS = [edit_draft, save_draft, copy_week]
