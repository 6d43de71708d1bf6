"""After the shift, for professionals: report hours and outcome, follow earnings and payouts,
answer the eNPS survey when one is due."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import NotFoundError
from asta.marketplace import services as marketplace
from asta.marketplace.schemas import MyAssignment, TimesheetRead, TimesheetSubmit
from asta.payments import services as payments
from asta.surveys import services as surveys
from asta.surveys.schemas import SurveyAnswer
from asta.web.forms import Errors, FormAttempt, FormValues, text
from asta.web.planning import form_values, local_input, parse_local_datetime
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)
SHEET_FIELDS = ["actual_start", "actual_end", "break_minutes", "contacts_handled",
                "resolved_remotely", "referred_to_health_station", "notes"]
RECENT = 20


async def _worked(db: AsyncSession, principal: Principal) -> list[MyAssignment]:
    now = utcnow()
    mine = await marketplace.my_assignments(db, principal, upcoming_only=False)
    return [a for a in mine if a.status == "confirmed" and a.starts_at <= now][-RECENT:][::-1]


async def _sheet(db: AsyncSession, principal: Principal, a: MyAssignment) -> TimesheetRead | None:
    try:
        return await marketplace.get_timesheet(db, principal, a.id)
    except NotFoundError:
        return None


@get("/my-shifts/worked", name="worked_shifts", guards=[professionals_only])
async def worked(request: AnyRequest, db: AsyncSession, principal: Principal,
                 sent: bool = False) -> Template:
    rows = [{"a": a, "sheet": await _sheet(db, principal, a)}
            for a in await _worked(db, principal)]
    return page(request, "worked.html", current="worked_shifts", rows=rows, sent=sent)


async def _sheet_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                      assignment_id: uuid.UUID, values: FormValues, errors: Errors,
                      status_code: int = 200) -> Template:
    mine = {a.id: a for a in await _worked(db, principal)}
    if assignment_id not in mine:
        raise NotFoundError("No such assignment")
    return page(request, "timesheet_form.html", current="worked_shifts",
                a=mine[assignment_id], values=values, errors=errors, status_code=status_code)


@get("/my-shifts/{assignment_id:uuid}/timesheet", name="timesheet_form",
     guards=[professionals_only])
async def timesheet_form(request: AnyRequest, db: AsyncSession, principal: Principal,
                         assignment_id: uuid.UUID) -> Template:
    mine = {a.id: a for a in await _worked(db, principal)}
    a = mine.get(assignment_id)
    values = {"actual_start": local_input(a.starts_at) if a else "",
              "actual_end": local_input(a.ends_at) if a else "", "break_minutes": "0",
              "contacts_handled": "0", "resolved_remotely": "0",
              "referred_to_health_station": "0", "notes": ""}
    return await _sheet_page(request, db, principal, assignment_id, values, {})


@post("/my-shifts/{assignment_id:uuid}/timesheet", name="timesheet_submit",
      guards=[professionals_only])
async def submit_timesheet(request: AnyRequest, db: AsyncSession, principal: Principal,
                           assignment_id: uuid.UUID) -> Template | Redirect:
    values = form_values(await request.form(), SHEET_FIELDS)
    locale = request_locale(request)
    async with FormAttempt(db, locale, lambda n: n or "actual_end", lambda name: name) as attempt:
        data = TimesheetSubmit.model_validate({
            **values, "actual_start": parse_local_datetime(values["actual_start"]),
            "actual_end": parse_local_datetime(values["actual_end"])})
        await marketplace.submit(db, principal, assignment_id, data)
    errors = attempt.errors
    if not errors:
        return Redirect("/my-shifts/worked?sent=true", status_code=303)
    return await _sheet_page(request, db, principal, assignment_id, values, errors, 422)


@get("/earnings", name="earnings", guards=[professionals_only])
async def earnings(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    return page(request, "earnings.html", current="earnings",
                earnings=await payments.my_earnings(db, principal, None, None))


async def _surveys_page(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                        values: FormValues, errors: Errors, answered: bool = False,
                        status_code: int = 200) -> Template:
    return page(request, "surveys.html", current="surveys", values=values, errors=errors,
                surveys=await surveys.my_surveys(db, principal), answered=answered,
                status_code=status_code)


@get("/surveys", name="surveys", guards=[professionals_only])
async def my_surveys(request: AnyRequest, db: AsyncSession, principal: Principal,
                     answered: bool = False) -> Template:
    return await _surveys_page(request, db, principal, values={}, errors={},
                               answered=answered)


@post("/surveys/{survey_id:uuid}", name="survey_answer", guards=[professionals_only])
async def answer(request: AnyRequest, db: AsyncSession, principal: Principal,
                 survey_id: uuid.UUID) -> Template | Redirect:
    form = await request.form()
    values = {k: text(form, k) for k in ("score", "satisfaction", "comment")}
    locale = request_locale(request)
    async with FormAttempt(db, locale) as attempt:
        data = SurveyAnswer.model_validate({k: v for k, v in values.items() if v.strip()})
        await surveys.answer_survey(db, principal, survey_id, data)
    errors = attempt.errors
    if not errors:
        return Redirect("/surveys?answered=true", status_code=303)
    return await _surveys_page(request, db, principal, values=values, errors=errors,
                               status_code=422)


HANDLERS = [worked, timesheet_form, submit_timesheet, earnings, my_surveys, answer]
