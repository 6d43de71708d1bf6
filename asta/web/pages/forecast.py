"""Schedulers import a unit's contact history, forecast a day from it with the forecast's
backtest beside it, and take the staffing on to the packaging preview."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import today
from asta.core.errors import AstaError
from asta.scheduling import services as scheduling
from asta.scheduling.history_csv import DEMO_HISTORY, MESSAGES
from asta.scheduling.schemas import PackagingRead
from asta.scheduling.schemas_forecast import (
    ForecastRequest,
    ForecastRunRead,
    HistoryImportRead,
    HistorySummaryRead,
)
from asta.web.charts import Chart, Series, line_chart
from asta.web.forms import Errors, FormAttempt, FormValues, service_errors
from asta.web.i18n import HELSINKI, N_, format_time, gettext
from asta.web.planning import form_values, unit_options, uuid_or_none
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
FIELDS = ["unit_id", "day", "interval_minutes", "average_handling_minutes", "service_level_pct",
          "target_answer_s", "quantile"]
MAX_UPLOAD_BYTES = 8_000_000
# The CSV problems' texts (asta.scheduling.history_csv.MESSAGES), marked for translation.
PROBLEM_TEXTS = (
    N_("column missing"), N_("unknown column"), N_("more than {limit} rows"),
    N_("not a date and time such as 2026-11-02T08:00+02:00"),
    N_("not a number of seconds between 0 and 7200"),
    N_("not a whole number of contacts (0 or more)"), N_("the same interval as line {other}"),
    N_("more than the contacts"), N_("no rows"),
    N_("intervals must be 5, 15, 30 or 60 minutes long (this row starts {minutes} minutes after "
       "the one before)"),
    N_("does not start on a {minutes}-minute boundary"),
)
_NAMES = {"average_handling_time_s": "average_handling_minutes",
          "service_level": "service_level_pct"}


def _defaults(unit_id: str, summary: HistorySummaryRead | None) -> FormValues:
    day = today() + timedelta(days=1)
    if summary is not None and summary.last is not None:
        day = max(day, summary.last.astimezone(HELSINKI).date() + timedelta(days=1))
    return {"unit_id": unit_id, "day": day.isoformat(), "interval_minutes": "30",
            "average_handling_minutes": "", "service_level_pct": "80", "target_answer_s": "20",
            "quantile": "0.85"}


def forecast_chart(run: ForecastRunRead, locale: str,
                   plan: PackagingRead | None = None) -> Chart:
    """Forecast, its band and the staff on one chart; with a packaging, the shifts' cover too."""
    if plan is not None:
        by_start = {i.starts_at: i for i in run.intervals}
        times = [c.starts_at for c in plan.coverage]
        rows = [by_start.get(t) for t in times]
        staff = [Series(gettext(locale, "Required"), [c.required for c in plan.coverage]),
                 Series(gettext(locale, "Packaged"), [c.packaged for c in plan.coverage])]
    else:
        times = [i.starts_at for i in run.intervals]
        rows = list(run.intervals)
        staff = [Series(gettext(locale, "Required"), [i.required for i in run.intervals])]

    def values(name: str) -> list[float]:
        return [getattr(r, name) if r is not None else 0.0 for r in rows]

    return line_chart(
        title=gettext(locale, "Forecast contacts with the 80 % band, and the professionals"),
        description=gettext(locale, "Contacts on the left scale: the forecast, the shaded band "
                                    "they fall in four times out of five and the contacts "
                                    "staffed for. Professionals on the right scale. The same "
                                    "numbers are in the table below."),
        labels=[format_time(t, locale) for t in times],
        series=[Series(gettext(locale, "Forecast"), values("forecast")),
                Series(gettext(locale, "Staffed for"), values("staffed_for"))],
        secondary=staff,
        band=(Series(gettext(locale, "Band low"), values("low")),
              Series(gettext(locale, "Band high"), values("high"))),
        label_header=gettext(locale, "Interval starts"))


def packaging_values(run: ForecastRunRead) -> FormValues:
    """The packaging preview's inputs for the run's staffing, from the day's first open hour."""
    busy = [i for i in run.intervals if i.required > 0] or run.intervals
    first = busy[0].starts_at.astimezone(HELSINKI).hour
    last = busy[-1].ends_at.astimezone(HELSINKI)
    end_hour = last.hour + (1 if last.minute else 0) or 24
    hours = list(range(first, max(first + 1, end_hour - 3)))
    return {"unit_id": str(run.unit_id), "day": run.day.isoformat(), "source": "required",
            "first_hour": "00:00", "interval_minutes": str(run.interval_minutes),
            "required": ", ".join(str(i.required) for i in run.intervals),
            "forecast_run": str(run.id), "start_hours": ", ".join(map(str, hours[::2])),
            "lengths_h": "4, 6, 8"}


async def _page(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                values: FormValues, errors: Errors | None = None,
                imported: HistoryImportRead | None = None,
                problems: list[str] | None = None, run: ForecastRunRead | None = None,
                too_short: bool = False, status_code: int = 200) -> Template:
    locale = request_locale(request)
    units = await unit_options(db, principal)
    unit_id = uuid_or_none(values.get("unit_id", "")) or (
        uuid.UUID(units[0][0]) if units else None)
    summary = (await scheduling.history_summary(db, principal, unit_id)
               if unit_id is not None else None)
    values = {**_defaults(str(unit_id or ""), summary), **{k: v for k, v in values.items() if v}}
    return page(request, "forecast.html", current="contact_forecast", values=values,
                errors=errors or {}, units=units, summary=summary, imported=imported,
                problems=problems or [], run=run, too_short=too_short,
                contacts_chart=forecast_chart(run, locale) if run else None,
                packaging=packaging_values(run) if run else None, status_code=status_code)


@get("/demand/forecast", name="contact_forecast", guards=[staff_only])
async def forecast_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                        unit_id: str = "") -> Template:
    return await _page(request, db, principal, values={"unit_id": unit_id})


@get("/demand/forecast/example.csv", name="contact_history_example", guards=[staff_only],
     media_type="text/csv")
async def example_history() -> Response[bytes]:
    """The demo unit's history: the format by example, and a file to try the forecast with."""
    return Response(DEMO_HISTORY.read_bytes(), media_type="text/csv", headers={
        "Content-Disposition": 'attachment; filename="kaiku24_contact_history.csv"'})


@post("/demand/forecast/history", name="contact_history_import", guards=[staff_only])
async def import_history(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    form = await request.form()
    locale = request_locale(request)
    values = form_values(form, ["unit_id"])
    unit_id = uuid_or_none(values["unit_id"])
    upload = form.get("file")
    errors: Errors = {}
    if unit_id is None:
        errors["unit_id"] = gettext(locale, "Choose one of the options.")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = gettext(locale, "Choose a CSV file.")
    if errors or unit_id is None or not isinstance(upload, UploadFile):
        return await _page(request, db, principal, values=values, errors=errors,
                           status_code=422)
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        if len(content) > MAX_UPLOAD_BYTES:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "too large")
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return await _page(request, db, principal, values=values, status_code=422, errors={
            "file": gettext(locale, "The file must be a UTF-8 CSV file of at most 8 MB.")})
    try:
        imported = await scheduling.import_history(db, principal, unit_id, text)
    except AstaError as exc:
        await db.rollback()
        problems = [gettext(locale, "Line {line}, column {column}: {problem}", line=p["line"],
                            column=p["column"], problem=gettext(locale, MESSAGES[p["code"]])
                            .format(**p["params"]))
                    for p in exc.details.get("problems", [])]
        message = (gettext(locale, "The file has errors; nothing was imported.") if problems
                   else next(iter(service_errors(exc, locale).values())))
        return await _page(request, db, principal, values=values, problems=problems,
                           errors={"file": message}, status_code=422)
    return await _page(request, db, principal, values=values, imported=imported)


@post("/demand/forecast", name="contact_forecast_run", guards=[staff_only])
async def run_forecast(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    form = await request.form()
    locale = request_locale(request)
    values = form_values(form, FIELDS)
    unit_id = uuid_or_none(values["unit_id"])
    if unit_id is None:
        return await _page(request, db, principal, values=values, status_code=422,
                           errors={"unit_id": gettext(locale, "Choose one of the options.")})
    run = None
    too_short = False
    async with FormAttempt(db, locale, lambda n: _NAMES.get(n, n)) as attempt:
        try:
            run = await scheduling.run_forecast(db, principal, unit_id, _request(values))
        except scheduling.HistoryTooShortError:
            too_short = True  # said on the page, with the way to the manual form
    if run is None:
        return await _page(request, db, principal, values=values, errors=attempt.errors,
                           too_short=too_short, status_code=422)
    return await _page(request, db, principal, values=values, run=run)


def _request(values: FormValues) -> ForecastRequest:
    def number(text: str, scale: float = 1.0) -> Any:
        try:
            return float(text.replace(",", ".")) * scale
        except ValueError:
            return text
    aht = values["average_handling_minutes"].strip()
    return ForecastRequest.model_validate({
        "day": values["day"],
        "interval_minutes": (int(values["interval_minutes"])
                             if values["interval_minutes"].isdigit() else values["interval_minutes"]),
        "average_handling_time_s": number(aht, 60) if aht else None,
        "service_level": number(values["service_level_pct"], 0.01),
        "target_answer_s": number(values["target_answer_s"]),
        "quantile": number(values["quantile"])})


HANDLERS = [forecast_page, example_history, import_history, run_forecast]
