"""Contact history imports and forecast runs, as the API and pages see them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from asta.core.schemas import Schema

MAX_CSV_CHARS = 8_000_000


class HistoryImport(Schema):
    """A CSV file: interval_start, contacts[, handled, abandoned, average_handling_time_s]."""

    csv: str = Field(min_length=1, max_length=MAX_CSV_CHARS)


class HistoryImportRead(Schema):
    rows: int
    added: int
    changed: int
    unchanged: int
    interval_minutes: int
    first: datetime
    last: datetime


class HistorySummaryRead(Schema):
    intervals: int
    interval_minutes: int | None
    first: datetime | None
    last: datetime | None
    enough_for_forecast: bool
    from_shifts: int = Field(default=0, description="Intervals recorded from the contacts "
                             "handled on worked shifts (an imported row for the same interval "
                             "wins)")


class ForecastRequest(Schema):
    """The day to staff, the service target and how cautious to be."""

    day: date
    interval_minutes: Literal[15, 30, 60] = 30
    average_handling_time_s: float | None = Field(
        default=None, gt=0, le=7200, description="Default: the history's own, else 300 s")
    service_level: float = Field(default=0.8, gt=0, lt=1)
    target_answer_s: float = Field(default=20, gt=0, le=86_400)
    quantile: float = Field(default=0.85, ge=0.5, le=0.99,
                            description="The forecast quantile to staff for")


class BacktestRead(Schema):
    weeks: int
    intervals: int
    mae: float
    mae_same_weekday_last_week: float
    mae_relative: float
    band_coverage: float


class ForecastIntervalRead(Schema):
    starts_at: datetime
    ends_at: datetime
    forecast: float
    low: float
    high: float
    staffed_for: float
    required: int


class ForecastRunRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    model: str
    history_first: datetime
    history_last: datetime
    day: date
    interval_minutes: int
    average_handling_time_s: float
    service_level: float
    target_answer_s: float
    quantile: float
    patience_s: float | None = Field(
        default=None, description="Mean patience estimated from the history's hang-ups; "
        "set when the staffing used Erlang A, empty for Erlang C")
    backtest: BacktestRead
    intervals: list[ForecastIntervalRead]
    staff_hours: float
    created_at: datetime


class ForecastRunListItem(Schema):
    id: uuid.UUID
    day: date
    model: str
    interval_minutes: int
    quantile: float
    staff_hours: float
    backtest_mae_relative: float
    created_at: datetime


class IntervalOutcomeRead(ForecastIntervalRead):
    actual: int | None = Field(description="Contacts recorded for the interval; empty: none yet")


class ForecastComparisonRead(Schema):
    """A stored run against the contacts recorded since for its day."""

    run: ForecastRunRead
    intervals: list[IntervalOutcomeRead]
    intervals_compared: int
    mae: float | None
    band_coverage: float | None
    target_met: float | None = Field(
        description="Share of intervals whose staff met the service target for the contacts "
        "that came")
    forecast_total: float
    actual_total: float
