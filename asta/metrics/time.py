"""Local time for measurement: days, weeks and months are Europe/Helsinki's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
TIMEZONE = "Europe/Helsinki"  # for SQL: date_trunc(..., ts AT TIME ZONE TIMEZONE)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), HELSINKI)


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in Helsinki time, as aware instants."""
    return local_midnight(first), local_midnight(last + timedelta(days=1))


def local_today(now: datetime) -> date:
    return now.astimezone(HELSINKI).date()
