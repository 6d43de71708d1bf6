"""Units and their onboarding checklists, for schedulers and area admins."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.tenancy import can_administer
from asta.marketplace import services as marketplace
from asta.profiles import services as profiles
from asta.profiles.schemas import OnboardingItemIn, OnboardingRecord
from asta.profiles.services.pool import PoolFilters
from asta.web.forms import Errors, FormAttempt, FormValues, text
from asta.web.pages.home import units_by_area
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
CANDIDATES = 10


@get("/units", name="units", guards=[staff_only])
async def units(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    areas = await units_by_area(db, principal)
    for area in areas:
        area["can_manage"] = can_administer(principal, area["organisation"].id)
    return page(request, "units.html", current="units", areas=areas)


async def unit_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                    unit_id: uuid.UUID, values: FormValues, errors: Errors,
                    status_code: int = 200, **extra: Any) -> Template:
    """The unit, its checklist, who is onboarded, and its favourites and blocked people."""
    unit = await accounts.get_unit(db, principal, unit_id)
    onboarded = await profiles.search_professionals(
        db, principal, PoolFilters(onboarded_unit_id=unit_id, limit=200))
    find = str(extra.pop("find", "")).strip()
    candidates = (await profiles.search_professionals(db, principal, PoolFilters(
        name=find, limit=CANDIDATES))).items if find else []
    context: dict[str, Any] = {"added": False, "saved": "", "marked": "", "step": "", "mark_errors": {},
                               "mark_values": {"kind": "favourite", "reason": ""}, **extra}
    return page(request, "unit.html", current="units", unit=unit, values=values, errors=errors,
                items=await profiles.list_onboarding_items(db, principal, unit_id, retired=True),
                onboarded=onboarded, can_edit=can_administer(principal, unit.organisation_id),
                marks=await marketplace.list_marks(db, principal, unit_id), find=find,
                candidates=candidates, status_code=status_code, **context)


@get("/units/{unit_id:uuid}", name="unit", guards=[staff_only])
async def unit(request: AnyRequest, db: AsyncSession, principal: Principal,
               unit_id: uuid.UUID, added: bool = False, saved: str = "", marked: str = "",
               find: str = "", step: str = "") -> Template:
    return await unit_page(request, db, principal, unit_id, {"title": "", "description": ""},
                           {}, added=added, saved=saved, marked=marked, find=find, step=step)


@post("/units/{unit_id:uuid}/onboarding-items", name="onboarding_item_add", guards=[staff_only])
async def add_item(request: AnyRequest, db: AsyncSession, principal: Principal,
                   unit_id: uuid.UUID) -> Template | Redirect:
    form = await request.form()
    values = {"title": text(form, "title"), "description": text(form, "description"),
              "position": text(form, "position"),
              "applies_to_onboarded": "on" if text(form, "applies_to_onboarded") else ""}
    locale = request_locale(request)
    async with FormAttempt(db, locale) as attempt:
        data = OnboardingItemIn.model_validate(
            {k: v for k, v in values.items() if v.strip() or k == "title"}
            | {"applies_to_onboarded": bool(values["applies_to_onboarded"])})
        await profiles.add_onboarding_item(db, principal, unit_id, data)
    errors = attempt.errors
    if not errors:
        return Redirect(f"/units/{unit_id}?added=true", status_code=303)
    return await unit_page(request, db, principal, unit_id, values, errors, status_code=422)


@get("/units/{unit_id:uuid}/onboarding/{user_id:uuid}", name="onboarding_record",
     guards=[staff_only])
async def onboarding_record(request: AnyRequest, db: AsyncSession, principal: Principal,
                            unit_id: uuid.UUID, user_id: uuid.UUID,
                            saved: bool = False) -> Template:
    progress = await profiles.get_professional_onboarding(db, principal, unit_id, user_id)
    return page(request, "onboarding_record.html", current="units", progress=progress,
                unit=await accounts.get_unit(db, principal, unit_id),
                person=await profiles.get_professional(db, principal, user_id), saved=saved)


@post("/units/{unit_id:uuid}/onboarding/{user_id:uuid}", name="onboarding_record_save",
      guards=[staff_only])
async def save_onboarding_record(request: AnyRequest, db: AsyncSession, principal: Principal,
                                 unit_id: uuid.UUID, user_id: uuid.UUID) -> Redirect:
    form = await request.form()
    data = OnboardingRecord(completed_item_ids=[uuid.UUID(v) for v in form.getall("item", [])
                                                if _is_uuid(v)])
    await profiles.record_onboarding(db, principal, unit_id, user_id, data)
    return Redirect(f"/units/{unit_id}/onboarding/{user_id}?saved=true", status_code=303)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


HANDLERS = [units, unit, add_item, onboarding_record, save_onboarding_record]
