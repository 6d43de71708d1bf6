"""A unit's stored forecast runs, and each one against the contacts that came since."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core.auth import Principal
from asta.core.tenancy import unit_for_staff
from asta.scheduling import erlang, erlang_a
from asta.scheduling.forecast.compare import Interval, compare
from asta.scheduling.models import ContactHistory, ForecastRun
from asta.scheduling.schemas_forecast import (
    ForecastComparisonRead,
    ForecastRunListItem,
    ForecastRunRead,
    IntervalOutcomeRead,
)
from asta.scheduling.services.forecasting import get_forecast_run

MAX_RUNS = 100


async def list_forecast_runs(session: AsyncSession, principal: Principal,
                             unit_id: uuid.UUID) -> list[ForecastRunListItem]:
    """The unit's latest runs, newest day first."""
    await unit_for_staff(session, principal, unit_id)
    runs = await session.scalars(sa.select(ForecastRun).where(ForecastRun.unit_id == unit_id)
                                 .order_by(col(ForecastRun.day).desc(),
                                           col(ForecastRun.created_at).desc())
                                 .limit(MAX_RUNS))
    return [ForecastRunListItem(
        id=r.id, day=r.day, model=r.model, interval_minutes=r.interval_minutes,
        quantile=r.settings.get("quantile", 0.0),
        staff_hours=sum(i["required"] for i in r.intervals) * r.interval_minutes / 60,
        backtest_mae_relative=r.accuracy.get("mae_relative", 0.0), created_at=r.created_at)
        for r in runs]


def meets_target(run: ForecastRunRead, staff: int, contacts: float) -> bool:
    """Whether `staff` met the run's service target for `contacts`, by the queue model the
    run staffed with (Erlang A when it had a patience, else Erlang C)."""
    interval_s = run.interval_minutes * 60.0
    if run.patience_s is not None:
        level = erlang_a.queue(staff, contacts, interval_s, run.average_handling_time_s,
                               run.patience_s, run.target_answer_s).service_level
    else:
        level = erlang.staffing(staff, contacts, interval_s, run.average_handling_time_s,
                                run.target_answer_s).service_level
    return level >= run.service_level


async def _actual(session: AsyncSession, unit_id: uuid.UUID, starts: list[datetime],
                  minutes: int) -> dict[datetime, int]:
    """Contacts recorded per interval of the run (history rows may be shorter intervals)."""
    if not starts:
        return {}
    rows = await session.execute(
        sa.select(col(ContactHistory.starts_at), col(ContactHistory.contacts)).where(
            col(ContactHistory.unit_id) == unit_id,
            col(ContactHistory.starts_at) >= starts[0],
            col(ContactHistory.starts_at) < starts[-1] + timedelta(minutes=minutes)))
    found: dict[datetime, int] = defaultdict(int)
    for at, contacts in rows.all():
        start = max(s for s in starts if s <= at)
        found[start] += contacts
    return found


async def compare_forecast_run(session: AsyncSession, principal: Principal,
                               run_id: uuid.UUID) -> ForecastComparisonRead:
    run = await get_forecast_run(session, principal, run_id)  # checks the unit
    starts = [i.starts_at for i in run.intervals]
    actual = await _actual(session, run.unit_id, starts, run.interval_minutes)
    # A day with any recorded interval is recorded: its empty intervals had no contacts.
    recorded = bool(actual)
    outcomes = [IntervalOutcomeRead(**i.model_dump(),
                                    actual=actual.get(i.starts_at, 0) if recorded else None)
                for i in run.intervals]
    result = compare([Interval(o.forecast, o.low, o.high, o.required,
                               None if o.actual is None else float(o.actual)) for o in outcomes],
                     lambda staff, contacts: meets_target(run, staff, contacts))
    return ForecastComparisonRead(
        run=run, intervals=outcomes, intervals_compared=result.intervals,
        mae=None if result.mae is None else round(result.mae, 2),
        band_coverage=None if result.band_coverage is None else round(result.band_coverage, 3),
        target_met=None if result.target_met is None else round(result.target_met, 3),
        forecast_total=round(result.forecast_total, 1), actual_total=result.actual_total)
