"""When a professional is available: the one rule that the board's "fits my preferences",
the pool's availability filter and the matching optimiser all ask.

A professional states weekly times (weekday, from, to in Finnish time; an end at or before the
start runs past midnight into the next day), dated times, and days off (the weekly times do
not hold on them). Weekly times are wall-clock times, so a change to or from summer time
neither moves them nor breaks one that crosses the night of the change. With nothing stated
any time goes, except a day off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
Span = tuple[datetime, datetime]
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    weekday: int  # 1 = Monday ... 7 = Sunday, the day the time starts on
    starts: time
    ends: time  # at or before `starts`: the next day's

    @property
    def crosses_midnight(self) -> bool:
        return self.ends <= self.starts

    def on(self, day: date) -> Span:
        end_day = day + _DAY if self.crosses_midnight else day
        return (datetime.combine(day, self.starts, HELSINKI),
                datetime.combine(end_day, self.ends, HELSINKI))


@dataclass(frozen=True, slots=True)
class Availability:
    weekly: tuple[WeeklyTime, ...] = ()
    days_off: frozenset[date] = frozenset()
    dated: tuple[Span, ...] = ()

    @property
    def stated(self) -> bool:
        """Whether the person has said when they can work (not only when they cannot)."""
        return bool(self.weekly or self.dated)


def weekly_windows(weekly: Iterable[WeeklyTime], days_off: Iterable[date], first: date,
                   last: date) -> list[Span]:
    """The weekly times that start on the days first..last, except on days off."""
    skip = set(days_off)
    by_day: dict[int, list[WeeklyTime]] = {}
    for w in weekly:
        by_day.setdefault(w.weekday, []).append(w)
    windows = []
    day = first
    while day <= last:
        if day not in skip:
            windows += [w.on(day) for w in sorted(by_day.get(day.isoweekday(), []),
                                                  key=lambda w: w.starts)]
        day += _DAY
    return windows


def available_spans(a: Availability, first: date, last: date) -> list[Span]:
    """Every moment from the start of `first` to the end of `last` (Finnish days) when the
    person is available, as sorted spans with neighbours merged (so Monday 18-24 and Tuesday
    0-6 hold a night shift)."""
    if not a.stated:
        spans = _days_between(first, last, a.days_off)
    else:
        spans = [*weekly_windows(a.weekly, a.days_off, first - _DAY, last), *a.dated]
    return _merged(spans)


def is_available(a: Availability, start: datetime, end: datetime) -> bool:
    """The whole of start..end falls inside one of the person's available spans."""
    first = start.astimezone(HELSINKI).date()
    last = end.astimezone(HELSINKI).date()
    return any(s <= start and end <= e for s, e in available_spans(a, first, last))


def _days_between(first: date, last: date, days_off: frozenset[date]) -> list[Span]:
    spans: list[Span] = []
    day = first
    while day <= last:
        if day not in days_off:
            spans.append((datetime.combine(day, time(0), HELSINKI),
                          datetime.combine(day + _DAY, time(0), HELSINKI)))
        day += _DAY
    return spans


def _merged(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
