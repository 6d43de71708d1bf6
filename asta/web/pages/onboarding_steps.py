"""Editing and retiring a step of a unit's onboarding checklist (the API's service)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.profiles import services as profiles
from asta.profiles.schemas import OnboardingItemUpdate
from asta.web.forms import Errors, FormAttempt, FormValues, text
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
PATH = "/units/{unit_id:uuid}/onboarding-items/{item_id:uuid}"


async def _form(request: AnyRequest, db: AsyncSession, principal: Principal,
                unit_id: uuid.UUID, item_id: uuid.UUID, values: FormValues | None = None,
                errors: Errors | None = None, status_code: int = 200) -> Template:
    item = await profiles.get_onboarding_item(db, principal, unit_id, item_id)
    shown = values or {"title": item.title, "description": item.description,
                       "position": str(item.position)}
    return page(request, "onboarding_step.html", current="units", item=item,
                unit=await accounts.get_unit(db, principal, unit_id), values=shown,
                errors=errors or {}, status_code=status_code)


@get(PATH, name="onboarding_step", guards=[staff_only])
async def step(request: AnyRequest, db: AsyncSession, principal: Principal,
               unit_id: uuid.UUID, item_id: uuid.UUID) -> Template:
    return await _form(request, db, principal, unit_id, item_id)


@post(PATH, name="onboarding_step_save", guards=[staff_only])
async def save(request: AnyRequest, db: AsyncSession, principal: Principal,
               unit_id: uuid.UUID, item_id: uuid.UUID) -> Template | Redirect:
    form = await request.form()
    values = {n: text(form, n) for n in ("title", "description", "position")}
    retire = text(form, "action") == "retire"
    async with FormAttempt(db, request_locale(request)) as attempt:
        data = (OnboardingItemUpdate(retired=True) if retire else
                OnboardingItemUpdate.model_validate(values | {
                    "position": values["position"].strip() or "0"}))
        await profiles.update_onboarding_item(db, principal, unit_id, item_id, data)
    if attempt.errors:
        return await _form(request, db, principal, unit_id, item_id, values, attempt.errors,
                           status_code=422)
    done = "retired" if retire else "updated"
    return Redirect(f"/units/{unit_id}?step={done}#checklist-heading", status_code=303)


HANDLERS = [step, save]
