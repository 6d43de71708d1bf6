"""An area admin tunes the area: savings model and split, payouts and invoicing, and how
the matching optimiser weighs its goals; the page shows the effect on this year's savings."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import NotFoundError
from asta.metrics import services as metrics
from asta.metrics.area_settings import AreaSettings
from asta.metrics.schemas import SavingsRead
from asta.metrics.settings_service import get_area_settings, put_area_settings
from asta.scheduling.schemas_runs import MatchingWeights
from asta.web.forms import FormAttempt, FormValues, text
from asta.web.i18n import HELSINKI
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
admins_only = requires(*ADMIN_ROLES)
EURO_FIELDS = ("agency_reference_cents_per_month", "platform_fee_cents_per_hour")
WEIGHTS = tuple(MatchingWeights.model_fields)
FIELDS = tuple(n for n in AreaSettings.model_fields if n != "matching_weights")


def _values(settings: AreaSettings) -> FormValues:
    values: FormValues = {}
    for name in FIELDS:
        value = getattr(settings, name)
        values[name] = f"{Decimal(value) / 100:f}" if name in EURO_FIELDS else f"{value:g}" \
            if isinstance(value, float) else str(value)
    values.update({f"matching_weights.{n}": str(getattr(settings.matching_weights, n))
                   for n in WEIGHTS})
    return values


def _cents(value: str) -> int | str:
    try:
        return int((Decimal(value.replace(",", ".").strip()) * 100).to_integral_value())
    except InvalidOperation:
        return value  # the schema names the field and says what is wrong


def _data(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {n: _cents(text(form, n)) if n in EURO_FIELDS else
                            text(form, n).replace(",", ".") for n in FIELDS}
    data["matching_weights"] = {n: text(form, f"matching_weights.{n}") for n in WEIGHTS}
    return data


async def _area(db: AsyncSession, principal: Principal, organisation_id: str) -> Any:
    areas = await accounts.list_organisations(db, principal)
    chosen = next((a for a in areas if str(a.id) == organisation_id), areas[0] if areas else None)
    if chosen is None:
        raise NotFoundError("No such organisation")
    return chosen, areas


async def _savings(db: AsyncSession, principal: Principal, area: uuid.UUID) -> SavingsRead:
    today = utcnow().astimezone(HELSINKI).date()
    query = metrics.MetricsQuery(area, None, date(today.year, 1, 1), today)
    return (await metrics.summary(db, principal, query)).flows.savings


async def _page(request: AnyRequest, db: AsyncSession, principal: Principal, area: Any,
                areas: list[Any], values: FormValues, **context: Any) -> Template:
    return page(request, "area_settings.html", current="area_settings", area=area, areas=areas,
                values=values, weights=WEIGHTS, savings=await _savings(db, principal, area.id),
                **{"errors": {}, "before": None, "saved": False, **context})


@get("/settings", name="area_settings", guards=[admins_only])
async def area_settings(request: AnyRequest, db: AsyncSession, principal: Principal,
                        organisation_id: str = "") -> Template:
    area, areas = await _area(db, principal, organisation_id)
    settings = await get_area_settings(db, principal, area.id)
    return await _page(request, db, principal, area, areas, _values(settings))


@post("/settings", name="area_settings_save", guards=[admins_only])
async def save(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    """Saves, then shows this year's savings before and after the change side by side."""
    form = await request.form()
    area, areas = await _area(db, principal, text(form, "organisation_id"))
    before = await _savings(db, principal, area.id)
    async with FormAttempt(db, request_locale(request)) as attempt:
        await put_area_settings(db, principal, area.id,
                                        AreaSettings.model_validate(_data(form)))
    values = {k: text(form, k) for k in form}
    if attempt.errors:
        return await _page(request, db, principal, area, areas, values,
                           errors=attempt.errors, status_code=422)
    return await _page(request, db, principal, area, areas, values, saved=True, before=before)


HANDLERS = [area_settings, save]
