"""A unit's stored forecasts, and each one beside the contacts that came."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.scheduling import services as scheduling
from asta.scheduling.schemas_forecast import ForecastComparisonRead
from asta.web.charts import Chart, Series, line_chart
from asta.web.i18n import format_time, gettext
from asta.web.planning import unit_options, uuid_or_none
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)


def outcome_chart(result: ForecastComparisonRead, locale: str) -> Chart:
    """Forecast, its band and the contacts that came; the staff on the right scale."""
    rows = result.intervals
    return line_chart(
        title=gettext(locale, "Forecast and the contacts that came"),
        description=gettext(locale, "Contacts on the left scale: the forecast, its 80 % band "
                                    "and the contacts recorded. Professionals staffed on the "
                                    "right scale. The same numbers are in the table below."),
        labels=[format_time(i.starts_at, locale) for i in rows],
        series=[Series(gettext(locale, "Forecast"), [i.forecast for i in rows]),
                Series(gettext(locale, "Came"),
                       [None if i.actual is None else float(i.actual) for i in rows])],
        secondary=[Series(gettext(locale, "Required"), [float(i.required) for i in rows])],
        band=(Series(gettext(locale, "Band low"), [i.low for i in rows]),
              Series(gettext(locale, "Band high"), [i.high for i in rows])),
        label_header=gettext(locale, "Interval starts"))


@get("/demand/forecast/runs", name="forecast_runs", guards=[staff_only])
async def forecast_runs(request: AnyRequest, db: AsyncSession, principal: Principal,
                        unit_id: str = "") -> Template:
    units = await unit_options(db, principal)
    chosen = uuid_or_none(unit_id) or (uuid.UUID(units[0][0]) if units else None)
    runs = await scheduling.list_forecast_runs(db, principal, chosen) if chosen else []
    return page(request, "forecast_runs.html", current="contact_forecast", units=units,
                values={"unit_id": str(chosen or "")}, errors={}, runs=runs)


@get("/demand/forecast/runs/{run_id:uuid}", name="forecast_run", guards=[staff_only])
async def forecast_run(request: AnyRequest, db: AsyncSession, principal: Principal,
                       run_id: uuid.UUID) -> Template:
    result = await scheduling.compare_forecast_run(db, principal, run_id)
    return page(request, "forecast_run.html", current="contact_forecast", result=result,
                run=result.run, outcome_chart=outcome_chart(result, request_locale(request)))


HANDLERS = [forecast_runs, forecast_run]
