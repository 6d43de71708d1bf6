"""Time-zone helpers: storage is UTC, local rules are judged on the wall clock of a zone."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asta.marketplace.rules.errors import RuleError

HELSINKI = "Europe/Helsinki"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RuleError("tz", f"Unknown time zone {name!r}") from exc


def as_utc(value: datetime, field: str) -> datetime:
    """Naive datetimes are refused: guessing their zone is how DST bugs start."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleError(field, f"{field} must be timezone-aware")
    return value.astimezone(UTC)


def wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive local wall-clock time of an instant."""
    return instant.astimezone(tz).replace(tzinfo=None)


def _first_true(lo: datetime, hi: datetime, ok: Callable[[datetime], bool]) -> datetime:
    """First whole second in (lo, hi] where `ok` holds; `ok` is false at lo, true at hi."""
    lo_s, hi_s = math.floor(lo.timestamp()), math.ceil(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if ok(datetime.fromtimestamp(mid, UTC)):
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """UTC instant of a local wall time.

    A time skipped by spring-forward maps to the first valid instant after it (the
    moment the clocks jump); a time repeated by fall-back maps to its first occurrence.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=tz).astimezone(UTC)
    if wall(first, tz) == naive:
        return first  # exists; fold=0 is the earlier occurrence when ambiguous
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    # The wall clock jumps over `naive` somewhere between the two readings.
    return _first_true(min(first, other), max(first, other), lambda u: wall(u, tz) >= naive)


def wall_crossings(day: date, at: time, tz: ZoneInfo) -> set[datetime]:
    """Every UTC instant that could be where the wall clock passes `at` on `day`."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return {
        naive.replace(tzinfo=tz, fold=0).astimezone(UTC),
        naive.replace(tzinfo=tz, fold=1).astimezone(UTC),
        local_to_utc(day, at, tz),
    }


def offset_changes(start: datetime, end: datetime, tz: ZoneInfo) -> list[datetime]:
    """UTC instants in (start, end] at which the zone's UTC offset changes (DST)."""
    found: list[datetime] = []
    cursor, offset = start, start.astimezone(tz).utcoffset()
    while cursor < end:
        step = min(cursor + timedelta(hours=1), end)
        step_offset = step.astimezone(tz).utcoffset()
        if step_offset != offset:
            found.append(_first_true(cursor, step, _offset_is(step_offset, tz)))
        cursor, offset = step, step_offset
    return found


def _offset_is(offset: timedelta | None, tz: ZoneInfo) -> Callable[[datetime], bool]:
    return lambda instant: instant.astimezone(tz).utcoffset() == offset


def format_hours(hours: float) -> str:
    """9.5 -> '9.5', 11.0 -> '11': messages read like a person wrote them."""
    return f"{round(hours, 2):g}"


def format_local(instant: datetime, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def format_span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() == local_end.date():
        return f"{local_start:%Y-%m-%d %H:%M}-{local_end:%H:%M}"
    return f"{local_start:%Y-%m-%d %H:%M}-{local_end:%Y-%m-%d %H:%M}"
