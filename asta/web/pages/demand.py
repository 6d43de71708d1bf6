"""Schedulers post demand: explicit shifts, a weekly pattern, or a requirement curve / contact
forecast packaged into shifts (previewed with its coverage before it is published)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import AstaError
from asta.marketplace import services as marketplace
from asta.marketplace.schemas import ShiftBatchCreate
from asta.scheduling import services as scheduling
from asta.scheduling.schemas import PackagingRead, StaffingRead
from asta.web import demand_forms as df
from asta.web.charts import Chart, Series, line_chart
from asta.web.forms import Errors, FormAttempt, FormErrors, FormValues, service_errors
from asta.web.i18n import HELSINKI, N_, format_datetime, format_time, gettext
from asta.web.pages.forecast import forecast_chart
from asta.web.planning import form_values, unit_options, uuid_or_none
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
PREVIEW_TIME_LIMIT_S = 5.0
_BAD_INPUT = {"date": N_("Enter a date."), "time": N_("Enter a time, e.g. 08:00.")}


def _defaults(unit_id: str, units: list[tuple[str, str]]) -> FormValues:
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    week = (utcnow() + timedelta(days=7)).date()
    return {"unit_id": unit_id or (units[0][0] if units else ""), "profession": "doctor",
            "visibility": "", "day": tomorrow, "start": "08:00", "end": "16:00",
            "positions": "1", "publish": "on", "first_date": week.isoformat(),
            "last_date": (week + timedelta(days=27)).isoformat(), "blocks.0.start": "08:00",
            "blocks.0.end": "16:00", "blocks.0.headcount": "3", "blocks.1.start": "16:00",
            "blocks.1.end": "20:00", "blocks.1.headcount": "2", "weekdays": ["1", "2", "3", "4",
                                                                             "5"]}


async def _demand_page(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                       values: FormValues, shift_errors: Errors | None = None,
                       pattern_errors: Errors | None = None, status_code: int = 200) -> Template:
    return page(request, "demand.html", current="post_demand", values=values,
                units=await unit_options(db, principal), shift_errors=shift_errors or {},
                pattern_errors=FormErrors(pattern_errors or {}, "pattern"),
                status_code=status_code)


@get("/demand", name="post_demand", guards=[staff_only])
async def demand(request: AnyRequest, db: AsyncSession, principal: Principal,
                 unit_id: str = "") -> Template:
    units = await unit_options(db, principal)
    return await _demand_page(request, db, principal, values=_defaults(unit_id, units))


def _posted(unit_id: uuid.UUID, shifts: list[Any]) -> Redirect:
    first = min(s.starts_at for s in shifts).astimezone(HELSINKI).date().isoformat()
    return Redirect(f"/fill-board?unit_id={unit_id}&week={first}&posted={len(shifts)}",
                    status_code=303)


@post("/demand/shift", name="post_demand_shift", guards=[staff_only])
async def post_shift(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    form = await request.form()
    values = form_values(form, df.SHIFT_FIELDS)
    locale = request_locale(request)
    unit_id = uuid_or_none(values["unit_id"])
    _, bad = df.shift_data(values)
    errors: Errors = {name: gettext(locale, _BAD_INPUT[kind]) for name, kind in bad.items()}
    if unit_id is None:
        errors["unit_id"] = gettext(locale, "Choose one of the options.")
    if not errors and unit_id is not None:
        async with FormAttempt(db, locale, df.rename_shift) as attempt:
            shift = df.shift_create(values)
            posted = await marketplace.create_shifts(db, principal, unit_id, ShiftBatchCreate(
                shifts=[shift], publish=values["publish"] == "on"))
        errors = attempt.errors
        if not errors:
            return _posted(unit_id, posted)
    return await _demand_page(request, db, principal, values={**_defaults("", []), **values},
                              shift_errors=errors, status_code=422)


@post("/demand/pattern", name="post_demand_pattern", guards=[staff_only])
async def post_pattern(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    form = await request.form()
    values: FormValues = form_values(form, df.PATTERN_FIELDS)
    values["weekdays"] = [str(v) for v in form.getall("weekdays", [])]
    locale = request_locale(request)
    unit_id = uuid_or_none(values["unit_id"])
    errors: Errors = {}
    if unit_id is None:
        errors["unit_id"] = gettext(locale, "Choose one of the options.")
    else:
        async with FormAttempt(db, locale, df.rename_pattern) as attempt:
            posted = await marketplace.post_demand(db, principal, unit_id, df.pattern_create(
                values, values["weekdays"]))
        errors = attempt.errors
        if not errors:
            return _posted(unit_id, posted)
    return await _demand_page(request, db, principal, values={**_defaults("", []), **values},
                              pattern_errors=errors, status_code=422)


def coverage_chart(plan: PackagingRead, locale: str) -> Chart:
    span = plan.coverage[-1].ends_at - plan.coverage[0].starts_at if plan.coverage else None
    label = format_time if span is not None and span <= timedelta(hours=24) else format_datetime
    return line_chart(
        title=gettext(locale, "Required and packaged professionals per interval"),
        description=gettext(locale, "How many professionals each interval needs and how many "
                                    "the packaged shifts provide. The same numbers are in the "
                                    "table below."),
        labels=[label(c.starts_at, locale) for c in plan.coverage],
        series=[Series(gettext(locale, "Required"), [c.required for c in plan.coverage]),
                Series(gettext(locale, "Packaged"), [c.packaged for c in plan.coverage])],
        label_header=gettext(locale, "Interval starts"))


async def _packaging_page(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                          values: FormValues, errors: Errors | None = None,
                          plan: PackagingRead | None = None,
                          staffing: StaffingRead | None = None,
                          status_code: int = 200) -> Template:
    locale = request_locale(request)
    run_id = uuid_or_none(values.get("forecast_run", ""))
    # A preview of a stored forecast's staffing shows that forecast beside the shifts.
    run = (await scheduling.get_forecast_run(db, principal, run_id)
           if run_id is not None and plan is not None else None)
    return page(request, "packaging.html", current="packaging_preview", values=values,
                errors=errors or {}, units=await unit_options(db, principal), plan=plan,
                staffing=staffing, run=run,
                coverage=(forecast_chart(run, locale, plan) if run and plan
                          else coverage_chart(plan, locale) if plan else None),
                status_code=status_code)


@get("/demand/packaging", name="packaging_preview", guards=[staff_only])
async def packaging(request: AnyRequest, db: AsyncSession, principal: Principal,
                    unit_id: str = "") -> Template:
    units = await unit_options(db, principal)
    values = {**df.PACKAGING_DEFAULTS, "unit_id": unit_id or (units[0][0] if units else ""),
              "day": (utcnow() + timedelta(days=21)).date().isoformat(), "description": "",
              "sv_level": ""}
    return await _packaging_page(request, db, principal, values=values)


@post("/demand/packaging", name="packaging_run", guards=[staff_only])
async def preview(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    form = await request.form()
    values = form_values(form, df.PACKAGING_FIELDS)
    locale = request_locale(request)
    unit_id = uuid_or_none(values["unit_id"])
    if unit_id is None:
        return await _packaging_page(request, db, principal, values=values, status_code=422,
                                     errors={"unit_id": gettext(locale,
                                                                "Choose one of the options.")})
    async with FormAttempt(db, locale, df.rename_packaging) as attempt:
        plan_request = df.packaging_request(values, PREVIEW_TIME_LIMIT_S)
        plan = await scheduling.package_demand(db, principal, unit_id, plan_request)
        staffing = (await scheduling.staffing_for_forecast(db, principal, unit_id,
                                                           plan_request.forecast)
                    if plan_request.forecast is not None else None)
    errors = attempt.errors
    if not errors:
        return await _packaging_page(request, db, principal, values=values, plan=plan,
                                     staffing=staffing)
    return await _packaging_page(request, db, principal, values=values, errors=errors,
                                 status_code=422)


@post("/demand/packaging/publish", name="packaging_publish", guards=[staff_only])
async def publish_packaged(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    form = await request.form()
    values = df.publish_values(form)
    locale = request_locale(request)
    unit_id = uuid_or_none(values["unit_id"])
    try:
        if unit_id is None:
            raise ValueError
        batch = ShiftBatchCreate.model_validate({"publish": True, "shifts": [
            {**df.terms(values), **s} for s in df.packaged_shifts(form)]})
        posted = await marketplace.create_shifts(db, principal, unit_id, batch)
    except (ValueError, AstaError) as exc:  # ValidationError is a ValueError
        await db.rollback()
        message = (service_errors(exc, locale) if isinstance(exc, AstaError)
                   else {"": gettext(locale, "The preview could not be published. Preview it "
                                             "again and publish the new preview.")})
        return await _packaging_page(request, db, principal, status_code=422,
                                     values={**df.PACKAGING_DEFAULTS, **values, "day": ""},
                                     errors={"": next(iter(message.values()))})
    first = min(s.starts_at for s in posted).astimezone(HELSINKI)
    last = max(s.ends_at for s in posted).astimezone(HELSINKI)
    return Redirect(f"/matching-runs?unit_id={unit_id}&first={first.date().isoformat()}"
                    f"&last={last.date().isoformat()}&published={len(posted)}", status_code=303)


HANDLERS = [demand, post_shift, post_pattern, packaging, preview, publish_packaged]
