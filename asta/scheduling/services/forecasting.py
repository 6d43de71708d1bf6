"""A unit's contact history, and forecasts staffed from it (stored runs, with their backtest)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core.auth import Principal
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import unit_for_staff
from asta.scheduling import erlang, erlang_a
from asta.scheduling.forecast import MODEL_NAME, finnish_holiday_dates, forecast
from asta.scheduling.forecast.backtest import Backtest, backtest, enough_history
from asta.scheduling.forecast.series import bin_of, interval_starts, local_history
from asta.scheduling.history_csv import HistoryFileError, HistoryRow, parse_history
from asta.scheduling.models import ContactHistory, ForecastRun
from asta.scheduling.schemas_forecast import (
    BacktestRead,
    ForecastIntervalRead,
    ForecastRequest,
    ForecastRunRead,
    HistoryImportRead,
    HistorySummaryRead,
)
from asta.scheduling.worked_contacts import (
    FROM_IMPORT,
    FROM_SHIFTS,
    rebuild_worked_contacts,
)

HISTORY_WEEKS = 26  # older history no longer tells the level or the profile
DEFAULT_AHT_S = 300.0
BAND = (0.1, 0.9)
_CHUNK = 2000


class Recorded(Protocol):
    """An interval of contact history: a stored row, or a parsed file's row."""

    @property
    def starts_at(self) -> datetime: ...
    @property
    def contacts(self) -> int: ...
    @property
    def handled(self) -> int | None: ...
    @property
    def abandoned(self) -> int | None: ...
    @property
    def average_handling_time_s(self) -> float | None: ...


class HistoryTooShortError(InvalidInputError):
    code = "history_too_short"


def _fields(row: HistoryRow) -> tuple[int, int | None, int | None, float | None]:
    return row.contacts, row.handled, row.abandoned, row.average_handling_time_s


async def import_history(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                         text: str) -> HistoryImportRead:
    """Store every row of the file or none; a row already stored with the same values is
    left as it is, so importing the same file twice changes nothing."""
    await unit_for_staff(session, principal, unit_id)
    try:
        parsed = parse_history(text)
    except HistoryFileError as exc:
        raise InvalidInputError(
            "The file has errors; nothing was imported", field="csv",
            problems=[{"line": p.line, "column": p.column, "code": p.code, "message": p.message,
                       "params": p.params}
                      for p in exc.problems]) from exc
    rows = parsed.rows
    stored_interval = await session.scalar(
        sa.select(ContactHistory.interval_minutes).where(
            ContactHistory.unit_id == unit_id, ContactHistory.source == FROM_IMPORT).limit(1))
    if stored_interval is not None and stored_interval != parsed.interval_minutes:
        raise InvalidInputError(
            f"The unit's history is in {stored_interval}-minute intervals; this file has "
            f"{parsed.interval_minutes}-minute intervals", field="csv")
    # A row from worked shifts is replaced: the file's count is the telephony system's.
    existing = {r.starts_at: (r.contacts, r.handled, r.abandoned, r.average_handling_time_s)
                for r in await session.scalars(sa.select(ContactHistory).where(
                    ContactHistory.unit_id == unit_id, ContactHistory.source == FROM_IMPORT,
                    col(ContactHistory.starts_at).between(rows[0].starts_at, rows[-1].starts_at)))}
    new = [r for r in rows if r.starts_at not in existing]
    changed = [r for r in rows if r.starts_at in existing and existing[r.starts_at] != _fields(r)]
    for part in range(0, len(new) + len(changed), _CHUNK):
        batch = (new + changed)[part:part + _CHUNK]
        statement = insert(ContactHistory).values([{
            "unit_id": unit_id, "starts_at": r.starts_at,
            "interval_minutes": parsed.interval_minutes, "contacts": r.contacts,
            "handled": r.handled, "abandoned": r.abandoned,
            "average_handling_time_s": r.average_handling_time_s, "source": FROM_IMPORT}
            for r in batch])
        excluded = statement.excluded
        await session.execute(statement.on_conflict_do_update(
            index_elements=["unit_id", "starts_at"],
            set_={"contacts": excluded.contacts, "handled": excluded.handled,
                  "abandoned": excluded.abandoned,
                  "average_handling_time_s": excluded.average_handling_time_s,
                  "interval_minutes": excluded.interval_minutes, "source": excluded.source}))
    if stored_interval is None and await session.scalar(sa.select(sa.func.count()).where(
            ContactHistory.unit_id == unit_id, ContactHistory.source == FROM_SHIFTS,
            ContactHistory.interval_minutes != parsed.interval_minutes)):
        await rebuild_worked_contacts(session, unit_id)
    return HistoryImportRead(rows=len(rows), added=len(new), changed=len(changed),
                             unchanged=len(rows) - len(new) - len(changed),
                             interval_minutes=parsed.interval_minutes,
                             first=rows[0].starts_at, last=rows[-1].starts_at)


async def _recent_rows(session: AsyncSession, unit_id: uuid.UUID,
                       before: datetime | None = None) -> list[ContactHistory]:
    last = await session.scalar(sa.select(sa.func.max(ContactHistory.starts_at)).where(
        ContactHistory.unit_id == unit_id))
    if last is None:
        return []
    query = sa.select(ContactHistory).where(
        ContactHistory.unit_id == unit_id,
        ContactHistory.starts_at >= last - timedelta(weeks=HISTORY_WEEKS))
    if before is not None:
        query = query.where(ContactHistory.starts_at < before)
    return list(await session.scalars(query.order_by(ContactHistory.starts_at)))


async def history_summary(session: AsyncSession, principal: Principal,
                          unit_id: uuid.UUID) -> HistorySummaryRead:
    await unit_for_staff(session, principal, unit_id)
    count, first, last, interval = (await session.execute(sa.select(
        sa.func.count(), sa.func.min(ContactHistory.starts_at),
        sa.func.max(ContactHistory.starts_at), sa.func.max(ContactHistory.interval_minutes))
        .where(ContactHistory.unit_id == unit_id))).one()
    from_shifts = await session.scalar(sa.select(sa.func.count()).where(
        ContactHistory.unit_id == unit_id, ContactHistory.source == FROM_SHIFTS)) or 0
    enough = bool(first and last and (last - first) >= timedelta(days=27))
    return HistorySummaryRead(intervals=count, interval_minutes=interval, first=first, last=last,
                              enough_for_forecast=enough, from_shifts=from_shifts)


def _backtest_read(result: Backtest) -> BacktestRead:
    return BacktestRead(weeks=result.weeks, intervals=result.intervals,
                        mae=round(result.mae, 2),
                        mae_same_weekday_last_week=round(result.mae_same_weekday_last_week, 2),
                        mae_relative=round(result.mae_relative, 3),
                        band_coverage=round(result.band_coverage, 3))


def abandon_share(rows: Sequence[Recorded]) -> float | None:
    """Share of contacts that hung up, over the intervals that record both counts."""
    pairs = [(r.handled, r.abandoned) for r in rows
             if r.handled is not None and r.abandoned is not None]
    total = sum(h + a for h, a in pairs)
    return sum(a for _, a in pairs) / total if total else None


def _patience(history_counts: np.ndarray, share: float | None, aht: float,
              request: ForecastRequest) -> float | None:
    """Mean patience from the share that hung up, at the history's typical open interval."""
    open_ = history_counts[history_counts > 0]
    if share is None or not open_.size:
        return None
    return erlang_a.patience_from_history(
        share, float(np.mean(open_)), request.interval_minutes * 60.0, aht,
        request.service_level, request.target_answer_s)


def _required(contacts: float, interval_s: float, aht: float, patience: float | None,
              request: ForecastRequest) -> int:
    """Erlang A where the history records hang-ups, else Erlang C."""
    if patience is not None:
        return erlang_a.required_agents(contacts, interval_s, aht, patience,
                                        request.service_level, request.target_answer_s).agents
    return erlang.required_agents(contacts, interval_s, aht, request.service_level,
                                  request.target_answer_s).agents


def _compute(rows: list[tuple[datetime, float]], aht: float, share: float | None,
             request: ForecastRequest
             ) -> tuple[Backtest, list[ForecastIntervalRead], float | None]:
    """The numeric part, off the event loop: fit, backtest, forecast, Erlang C or A."""
    history = local_history(rows, request.interval_minutes)
    if not history.days or not enough_history(history):
        raise HistoryTooShortError(
            "The history is too short to forecast from: four weeks before the day are needed. "
            "Give the expected contacts by hand instead.", field="day")
    holidays = finnish_holiday_dates(history.days[0], request.day + timedelta(days=8))
    trust = backtest(history, holidays)
    if trust is None:
        raise HistoryTooShortError("The history is too short to test a forecast on.",
                                   field="day")
    fc = forecast(history, [request.day], holidays)
    mean, low, high = fc.mean[0], fc.quantile(BAND[0])[0], fc.quantile(BAND[1])[0]
    staffed = fc.quantile(request.quantile)[0]
    step = timedelta(minutes=request.interval_minutes)
    patience = _patience(history.counts, share, aht, request)
    intervals = []
    for start in interval_starts(request.day, request.interval_minutes):
        b = bin_of(start, request.interval_minutes)
        need = _required(float(staffed[b]), step.total_seconds(), aht, patience, request)
        intervals.append(ForecastIntervalRead(
            starts_at=start, ends_at=start + step, forecast=round(float(mean[b]), 1),
            low=round(float(low[b]), 1), high=round(float(high[b]), 1),
            staffed_for=round(float(staffed[b]), 1), required=need))
    return trust, intervals, patience


def _run_read(run: ForecastRun) -> ForecastRunRead:
    intervals = [ForecastIntervalRead.model_validate(i) for i in run.intervals]
    return ForecastRunRead(
        id=run.id, unit_id=run.unit_id, model=run.model, history_first=run.history_first,
        history_last=run.history_last, day=run.day, interval_minutes=run.interval_minutes,
        backtest=BacktestRead.model_validate(run.accuracy), intervals=intervals,
        staff_hours=sum(i.required for i in intervals) * run.interval_minutes / 60,
        created_at=run.created_at, **run.settings)


async def run_forecast(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                       request: ForecastRequest) -> ForecastRunRead:
    await unit_for_staff(session, principal, unit_id)
    # Only what was known before the day: a past day can be forecast to compare with it.
    stored = await _recent_rows(session, unit_id, before=interval_starts(request.day, 60)[0])
    interval = stored[0].interval_minutes if stored else request.interval_minutes
    return await store_forecast_run(session, unit_id, principal.user_id, stored, interval,
                                    request)


async def store_forecast_run(session: AsyncSession, unit_id: uuid.UUID,
                             requested_by: uuid.UUID | None, stored: Sequence[Recorded],
                             history_interval: int, request: ForecastRequest
                             ) -> ForecastRunRead:
    """Forecast, backtest and staff `request.day` from `stored` (the history before the day
    in `history_interval`-minute rows, oldest first) and keep the run. The caller has checked
    who may do so."""
    if request.interval_minutes % history_interval:
        raise InvalidInputError(
            f"The history is in {history_interval}-minute intervals: forecast in "
            "intervals of that length or a multiple of it", field="interval_minutes")
    handling = [r.average_handling_time_s for r in stored if r.average_handling_time_s]
    aht = request.average_handling_time_s or (
        float(np.average(handling)) if handling else DEFAULT_AHT_S)
    rows = [(r.starts_at, float(r.contacts)) for r in stored]
    if not rows:
        raise HistoryTooShortError("The unit has no contact history before the day. Give the "
                                   "expected contacts by hand instead.", field="day")
    trust, intervals, patience = await asyncio.to_thread(
        _compute, rows, aht, abandon_share(stored), request)
    run = ForecastRun(
        unit_id=unit_id, model=MODEL_NAME, history_first=stored[0].starts_at,
        history_last=stored[-1].starts_at, day=request.day,
        interval_minutes=request.interval_minutes,
        settings={"average_handling_time_s": round(aht, 1),
                  "service_level": request.service_level,
                  "target_answer_s": request.target_answer_s, "quantile": request.quantile,
                  "patience_s": None if patience is None else round(patience, 1)},
        accuracy=_backtest_read(trust).model_dump(),
        intervals=[i.model_dump(mode="json") for i in intervals],
        requested_by=requested_by)
    session.add(run)
    await session.flush()
    return _run_read(run)


async def get_forecast_run(session: AsyncSession, principal: Principal,
                           run_id: uuid.UUID) -> ForecastRunRead:
    run = await session.get(ForecastRun, run_id)
    if run is None:
        raise NotFoundError("No such forecast run")
    await unit_for_staff(session, principal, run.unit_id)
    return _run_read(run)
