"""The area administrator's dashboard: the plan's measures as charts (each with its table),
filtered by unit and period, with the metrics API's CSV downloads."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import AstaError
from asta.metrics import services as metrics
from asta.web.dashboard_charts import charts, period_text
from asta.web.forms import Errors, service_errors
from asta.web.i18n import HELSINKI, gettext
from asta.web.planning import parse_date, unit_options, uuid_or_none
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
admins_only = requires(*ADMIN_ROLES)
_RENAME = {"from": "first", "to": "last"}


def _default_first(today: date) -> date:
    """The first day of the month eleven months back: a year of whole months."""
    index = today.year * 12 + today.month - 1 - 11
    return date(index // 12, index % 12 + 1, 1)


@get("/dashboard", name="dashboard", guards=[admins_only])
async def dashboard(request: AnyRequest, db: AsyncSession, principal: Principal,
                    unit_id: str = "", first: str = "", last: str = "") -> Template:
    locale = request_locale(request)
    today = utcnow().astimezone(HELSINKI).date()
    values = {"unit_id": unit_id, "first": first or _default_first(today).isoformat(),
              "last": last or today.isoformat()}
    errors: Errors = {}
    parsed = {k: parse_date(values[k]) for k in ("first", "last")}
    for key, value in parsed.items():
        if isinstance(value, str):
            errors[key] = gettext(locale, "Enter a date.")
    unit = uuid_or_none(unit_id)
    context: dict[str, Any] = {}
    if not errors:
        start, end = parsed["first"], parsed["last"]
        assert isinstance(start, date) and isinstance(end, date)
        query = metrics.MetricsQuery(None, unit, start, end)
        try:
            summary = await metrics.summary(db, principal, query)
            months = await metrics.timeseries(db, principal, query, "month")
            quarters = await metrics.timeseries(db, principal, query, "quarter")
        except AstaError as exc:
            await db.rollback()
            errors = service_errors(exc, locale, lambda n: _RENAME.get(n, n))
        else:
            params = {"from": start.isoformat(), "to": end.isoformat(),
                      **({"unit_id": str(unit)} if unit else {})}
            context = {"summary": summary, "charts": charts(summary, months, quarters, locale),
                       "period": period_text(summary, locale),
                       "csv": {"summary": f"/api/metrics/summary.csv?{urlencode(params)}",
                               "month": "/api/metrics/timeseries.csv?"
                                        f"{urlencode({**params, 'bucket': 'month'})}",
                               "quarter": "/api/metrics/timeseries.csv?"
                                          f"{urlencode({**params, 'bucket': 'quarter'})}"}}
    return page(request, "dashboard.html", current="dashboard", values=values, errors=errors,
                units=await unit_options(db, principal), status_code=422 if errors else 200,
                **context)


HANDLERS = [dashboard]
