"""From stored intervals (UTC instants) to the model's days x wall-clock bins, and back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from asta.scheduling.forecast.model import History

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_history(rows: Iterable[tuple[datetime, float]], interval_minutes: int) -> History:
    """Sum contacts into local wall-clock bins of `interval_minutes` (a recorded interval
    length that divides it). On the autumn DST night the repeated hour adds into one bin."""
    bins = 1440 // interval_minutes
    by_day: dict[date, np.ndarray] = {}
    for starts_at, contacts in rows:
        local = starts_at.astimezone(HELSINKI)
        row = by_day.setdefault(local.date(), np.zeros(bins))
        row[(local.hour * 60 + local.minute) // interval_minutes] += contacts
    days = tuple(sorted(by_day))
    counts = np.array([by_day[d] for d in days], dtype=np.float64).reshape(len(days), bins)
    return History(interval_minutes, days, counts)


def interval_starts(day: date, interval_minutes: int) -> list[datetime]:
    """The day's interval starts in UTC, stepping in elapsed time (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=HELSINKI).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=HELSINKI).astimezone(UTC)
    step = timedelta(minutes=interval_minutes)
    return [start + i * step for i in range(int((end - start) / step))]


def bin_of(moment: datetime, interval_minutes: int) -> int:
    local = moment.astimezone(HELSINKI)
    return (local.hour * 60 + local.minute) // interval_minutes
