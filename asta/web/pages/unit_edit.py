"""Area admins create units and edit their rules and rate card (the API's services)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.accounts.schemas import UnitCreate, UnitUpdate
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.web import unit_form
from asta.web.forms import Errors, FormAttempt, FormValues
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
admins_only = requires(*ADMIN_ROLES)


def _form(request: AnyRequest, *, area: Any, unit: Any, values: FormValues,
          errors: Errors | None = None, status_code: int = 200) -> Template:
    return page(request, "unit_form.html", current="units", area=area, unit=unit,
                values=values, errors=errors or {}, professions=unit_form.PROFESSIONS,
                languages=unit_form.LANGUAGES, status_code=status_code)


@get("/areas/{organisation_id:uuid}/units/new", name="unit_new", guards=[admins_only])
async def new_unit(request: AnyRequest, db: AsyncSession, principal: Principal,
                   organisation_id: uuid.UUID) -> Template:
    area = await accounts.get_organisation(db, principal, organisation_id)
    return _form(request, area=area, unit=None, values=unit_form.blank())


@post("/areas/{organisation_id:uuid}/units/new", name="unit_create", guards=[admins_only])
async def create_unit(request: AnyRequest, db: AsyncSession, principal: Principal,
                      organisation_id: uuid.UUID) -> Template | Redirect:
    area = await accounts.get_organisation(db, principal, organisation_id)
    values = unit_form.typed(await request.form())
    async with FormAttempt(db, request_locale(request)) as attempt:
        unit = await accounts.create_unit(db, principal, organisation_id,
                                          UnitCreate.model_validate(unit_form.data(values)))
    if attempt.errors:
        return _form(request, area=area, unit=None, values=values, errors=attempt.errors,
                     status_code=422)
    return Redirect(f"/units/{unit.id}?saved=created", status_code=303)


@get("/units/{unit_id:uuid}/edit", name="unit_edit", guards=[admins_only])
async def edit_unit(request: AnyRequest, db: AsyncSession, principal: Principal,
                    unit_id: uuid.UUID) -> Template:
    unit = await accounts.unit_for_editing(db, principal, unit_id)
    area = await accounts.get_organisation(db, principal, unit.organisation_id)
    return _form(request, area=area, unit=unit, values=unit_form.values_of(unit))


@post("/units/{unit_id:uuid}/edit", name="unit_update", guards=[admins_only])
async def update_unit(request: AnyRequest, db: AsyncSession, principal: Principal,
                      unit_id: uuid.UUID) -> Template | Redirect:
    unit = await accounts.unit_for_editing(db, principal, unit_id)
    area = await accounts.get_organisation(db, principal, unit.organisation_id)
    values = unit_form.typed(await request.form())
    async with FormAttempt(db, request_locale(request)) as attempt:
        await accounts.update_unit(db, principal, unit_id,
                                   UnitUpdate.model_validate(unit_form.data(values)))
    if attempt.errors:
        return _form(request, area=area, unit=unit, values=values, errors=attempt.errors,
                     status_code=422)
    return Redirect(f"/units/{unit_id}?saved=updated", status_code=303)


HANDLERS = [new_unit, create_unit, edit_unit, update_unit]
