"""Schedulers search the national professional pool (asta.profiles.services)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import ADMIN_ROLES, STAFF_ROLES, Principal, requires
from asta.core.errors import AstaError, PermissionDeniedError
from asta.profiles import services as profiles
from asta.profiles.rules import LANGUAGE_LEVELS, PROFESSIONS
from asta.profiles.schemas import RegistrationVerification
from asta.profiles.services.pool import PoolFilters
from asta.web.forms import FORM, Errors, FormAttempt, FormValues, service_errors, tags, text
from asta.web.i18n import HELSINKI, N_, gettext
from asta.web.labels import LANGUAGE_CODES
from asta.web.pages.home import units_by_area
from asta.web.profile_form import LOCAL_DATETIME
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
PAGE_SIZE = 25
FIELDS = ("name", "profession", "specialty", "competence", "language", "min_language_level",
          "onboarded_unit_id", "available_from", "available_to", "verified_only")
BAD_DATETIME = N_("Enter a date and time.")
BAD_CHOICE = N_("Choose one of the options.")


def _when(values: FormValues, name: str, errors: Errors, locale: str) -> datetime | None:
    raw = str(values.get(name, "")).strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, LOCAL_DATETIME).replace(tzinfo=HELSINKI)
    except ValueError:
        errors[name] = gettext(locale, BAD_DATETIME)
        return None


def filters_from(values: FormValues, offset: int, locale: str) -> tuple[PoolFilters, Errors]:
    errors: Errors = {}
    unit_id = None
    if raw_unit := str(values.get("onboarded_unit_id", "")):
        try:
            unit_id = uuid.UUID(raw_unit)
        except ValueError:
            errors["onboarded_unit_id"] = gettext(locale, BAD_CHOICE)
    level = str(values.get("min_language_level") or "basic")
    if level not in LANGUAGE_LEVELS:
        errors["min_language_level"], level = gettext(locale, BAD_CHOICE), "basic"
    language = str(values.get("language", "")).strip().lower()
    filters = PoolFilters(
        profession=str(values.get("profession", "")) or None,
        specialties=tuple(tags(str(values.get("specialty", "")))),
        competences=tuple(tags(str(values.get("competence", "")))),
        languages=(language,) if language else (), min_language_level=level,
        onboarded_unit_id=unit_id,
        available_from=_when(values, "available_from", errors, locale),
        available_to=_when(values, "available_to", errors, locale),
        verified_only=values.get("verified_only") == "on",
        name=str(values.get("name", "")).strip()[:100] or None,
        limit=PAGE_SIZE, offset=max(0, offset))
    return filters, errors


@get("/pool", name="pool", guards=[requires(*STAFF_ROLES)])
async def pool(request: AnyRequest, db: AsyncSession, principal: Principal,
               offset: int = 0) -> Template:
    locale = request_locale(request)
    values: FormValues = {name: request.query_params.get(name, "") for name in FIELDS}
    filters, errors = filters_from(values, offset, locale)
    result = None
    if not errors:
        try:
            result = await profiles.search_professionals(db, principal, filters)
        except AstaError as exc:
            errors = service_errors(exc, locale)
    query = urlencode([(k, v) for k, v in request.query_params.items() if k != "offset"])
    htmx = request.headers.get("hx-request") == "true"
    template = "pool_results.html" if htmx else "pool.html"
    return page(request, template, current="pool", values=values, errors=errors, result=result,
                form_error=errors.get(FORM), query=query, page_size=PAGE_SIZE,
                areas=await units_by_area(db, principal), professions=PROFESSIONS,
                levels=LANGUAGE_LEVELS, language_codes=LANGUAGE_CODES,
                status_code=422 if errors and not htmx else 200)


async def _professional_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                             user_id: uuid.UUID, *, checked: str = "",
                             values: FormValues | None = None, errors: Errors | None = None,
                             status_code: int = 200) -> Template:
    return page(request, "professional.html", current="pool",
                person=await profiles.get_professional(db, principal, user_id),
                areas=await units_by_area(db, principal),
                can_check=await profiles.may_verify_registration(db, principal, user_id),
                checked=checked if checked in ("verified", "rejected") else "",
                values=values or {"status": "verified"}, errors=errors or {},
                status_code=status_code)


@get("/pool/{user_id:uuid}", name="professional", guards=[requires(*STAFF_ROLES)])
async def professional(request: AnyRequest, db: AsyncSession, principal: Principal,
                       user_id: uuid.UUID, checked: str = "") -> Template:
    return await _professional_page(request, db, principal, user_id, checked=checked)


@post("/pool/{user_id:uuid}/registration", name="professional_registration",
      guards=[requires(*ADMIN_ROLES)])
async def check_registration(request: AnyRequest, db: AsyncSession, principal: Principal,
                             user_id: uuid.UUID) -> Template | Redirect:
    """The admin records what Valvira's register says (the API's registration-verification)."""
    form = await request.form()
    values = {name: text(form, name) for name in ("status", "registration_valid_until")}
    if not await profiles.may_verify_registration(db, principal, user_id):
        raise PermissionDeniedError("Only the platform operator or an admin of an area where "
                                    "the professional is onboarded may record the check")
    async with FormAttempt(db, request_locale(request)) as attempt:
        data = RegistrationVerification.model_validate(
            {k: v for k, v in values.items() if v.strip()})
        await profiles.verify_registration(db, principal, user_id, data)
    if attempt.errors:
        return await _professional_page(request, db, principal, user_id, values=values,
                                        errors=attempt.errors, status_code=422)
    return Redirect(f"/pool/{user_id}?checked={data.status}", status_code=303)


HANDLERS = [pool, professional, check_registration]
