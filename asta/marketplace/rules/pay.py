"""Shift pay: base rate per profession plus time-of-day and day-of-week supplements.

Choices (the areas' collective agreements decide the numbers; these are the mechanics):
- Supplements stack across the two families: an hour is evening OR night (night wins
  where the windows overlap) and, independently, Saturday OR Sunday/holiday (holiday
  wins over Saturday). A Sunday night hour earns base + night % + Sunday %.
- Pay follows real elapsed time: a night across the autumn DST change has one hour
  more, across the spring change one hour less. Segments are cut where the local wall
  clock crosses a window edge, midnight or a DST jump, and each is classed by its
  local time.
- Pay is by the minute: seconds of start and end are dropped.
- Breaks are unpaid. They come off plain base-rate minutes first, then off the
  minutes with the smallest total supplement, so a break never costs the
  professional a supplement while plain time is left to take it from.
- Every component is rounded half-up to whole cents; the total is their sum, so the
  breakdown always adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo

from asta.marketplace.rules._time import HELSINKI, as_utc, offset_changes, wall_crossings, zone
from asta.marketplace.rules.errors import RuleError
from asta.marketplace.rules.holidays import is_public_holiday

TimeOfDay = Literal["day", "evening", "night"]
DayKind = Literal["weekday", "saturday", "sunday_holiday"]
_SATURDAY, _SUNDAY = 5, 6


@dataclass(frozen=True)
class RateCard:
    """A unit's hourly base rates (cents) and supplements (% of base)."""

    base_hourly_cents: Mapping[str, int]
    evening_pct: int = 15
    night_pct: int = 30
    saturday_pct: int = 20
    sunday_holiday_pct: int = 100
    evening_start: time = time(18)
    evening_end: time = time(22)
    night_start: time = time(22)
    night_end: time = time(7)
    saturday_from: time = time(0)  # time(0) = the whole Saturday

    def __post_init__(self) -> None:
        if not self.base_hourly_cents:
            raise RuleError("base_hourly_cents", "The rate card needs at least one profession")
        for profession, cents in self.base_hourly_cents.items():
            if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
                raise RuleError(
                    "base_hourly_cents",
                    f"Base rate for {profession!r} must be a non-negative whole number of cents",
                )
        # A read-only copy: the card is a value, callers must not mutate it behind our back.
        rates = MappingProxyType(dict(self.base_hourly_cents))
        object.__setattr__(self, "base_hourly_cents", rates)
        for name in ("evening_pct", "night_pct", "saturday_pct", "sunday_holiday_pct"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise RuleError(name, f"{name} must be a non-negative whole percentage")
        for name in ("evening_start", "evening_end", "night_start", "night_end", "saturday_from"):
            value = getattr(self, name)
            if value.tzinfo is not None or value.second or value.microsecond:
                raise RuleError(name, f"{name} must be a local time in whole minutes")
        for start, end in (("evening_start", "evening_end"), ("night_start", "night_end")):
            if getattr(self, start) == getattr(self, end):
                raise RuleError(end, f"{end} must differ from {start}; set the % to 0 to disable")

    def time_of_day(self, at: time) -> TimeOfDay:
        if _in_window(at, self.night_start, self.night_end):
            return "night"
        if _in_window(at, self.evening_start, self.evening_end):
            return "evening"
        return "day"

    def day_kind(self, local: datetime) -> DayKind:
        if local.weekday() == _SUNDAY or is_public_holiday(local.date()):
            return "sunday_holiday"
        if local.weekday() == _SATURDAY and local.time() >= self.saturday_from:
            return "saturday"
        return "weekday"

    def supplement_pct(self, time_of_day: TimeOfDay, day_kind: DayKind) -> int:
        pct = {"day": 0, "evening": self.evening_pct, "night": self.night_pct}[time_of_day]
        return pct + {
            "weekday": 0,
            "saturday": self.saturday_pct,
            "sunday_holiday": self.sunday_holiday_pct,
        }[day_kind]


def _in_window(at: time, start: time, end: time) -> bool:
    if start < end:
        return start <= at < end
    return at >= start or at < end  # wraps past midnight


@dataclass(frozen=True, slots=True)
class PaySegment:
    """A stretch of real time with one pay class, before breaks are deducted."""

    start: datetime
    end: datetime
    time_of_day: TimeOfDay
    day_kind: DayKind

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60


@dataclass(frozen=True, slots=True)
class PayBreakdown:
    profession: str
    base_hourly_cents: int
    elapsed_minutes: int
    break_minutes: int
    paid_minutes: int
    base_cents: int
    evening_minutes: int
    evening_cents: int
    night_minutes: int
    night_cents: int
    saturday_minutes: int
    saturday_cents: int
    sunday_holiday_minutes: int
    sunday_holiday_cents: int
    total_cents: int
    segments: tuple[PaySegment, ...]

    @property
    def supplement_cents(self) -> int:
        return self.total_cents - self.base_cents


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def pay_segments(
    start: datetime, end: datetime, rate_card: RateCard, tz: ZoneInfo
) -> list[PaySegment]:
    """Cut [start, end) wherever the pay class can change and class each piece."""
    edges = {
        rate_card.evening_start,
        rate_card.evening_end,
        rate_card.night_start,
        rate_card.night_end,
        rate_card.saturday_from,
        time(0),
    }
    cuts = {start, end, *offset_changes(start, end, tz)}
    day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last_day:
        for edge in edges:
            cuts |= {u for u in wall_crossings(day, edge, tz) if start < u < end}
        day += timedelta(days=1)
    ordered = sorted(cuts)
    segments: list[PaySegment] = []
    for seg_start, seg_end in pairwise(ordered):
        # The midpoint avoids any doubt about which side of an edge a piece is on.
        local = (seg_start + (seg_end - seg_start) / 2).astimezone(tz)
        tod, kind = rate_card.time_of_day(local.time()), rate_card.day_kind(local)
        if segments and (segments[-1].time_of_day, segments[-1].day_kind) == (tod, kind):
            segments[-1] = PaySegment(segments[-1].start, seg_end, tod, kind)
        else:
            segments.append(PaySegment(seg_start, seg_end, tod, kind))
    return segments


def compute_shift_pay(
    start: datetime,
    end: datetime,
    profession: str,
    rate_card: RateCard,
    *,
    break_minutes: int = 0,
    tz: str = HELSINKI,
) -> PayBreakdown:
    zone_info = zone(tz)
    start = as_utc(start, "start").replace(second=0, microsecond=0)
    end = as_utc(end, "end").replace(second=0, microsecond=0)
    if end <= start:
        raise RuleError("end", "The shift must end after it starts")
    if profession not in rate_card.base_hourly_cents:
        raise RuleError("profession", f"The rate card has no base rate for {profession!r}")
    elapsed = int((end - start).total_seconds()) // 60
    if break_minutes < 0 or break_minutes >= elapsed:
        raise RuleError(
            "break_minutes", f"Break must be at least 0 and under the shift's {elapsed} minutes"
        )
    segments = pay_segments(start, end, rate_card, zone_info)

    minutes: dict[tuple[TimeOfDay, DayKind], int] = {}
    for segment in segments:
        key = (segment.time_of_day, segment.day_kind)
        minutes[key] = minutes.get(key, 0) + segment.minutes
    remaining_break = break_minutes
    for key in sorted(minutes, key=lambda k: rate_card.supplement_pct(*k)):
        taken = min(minutes[key], remaining_break)
        minutes[key] -= taken
        remaining_break -= taken

    rate = rate_card.base_hourly_cents[profession]

    def total(predicate: TimeOfDay | DayKind) -> int:
        return sum(m for key, m in minutes.items() if predicate in key)

    def cents(mins: int, pct: int) -> int:
        return _round_half_up(mins * rate * pct, 60 * 100)

    paid = elapsed - break_minutes
    evening, night = total("evening"), total("night")
    saturday, sunday = total("saturday"), total("sunday_holiday")
    parts = {
        "base": cents(paid, 100),
        "evening": cents(evening, rate_card.evening_pct),
        "night": cents(night, rate_card.night_pct),
        "saturday": cents(saturday, rate_card.saturday_pct),
        "sunday": cents(sunday, rate_card.sunday_holiday_pct),
    }
    return PayBreakdown(
        profession=profession,
        base_hourly_cents=rate,
        elapsed_minutes=elapsed,
        break_minutes=break_minutes,
        paid_minutes=paid,
        base_cents=parts["base"],
        evening_minutes=evening,
        evening_cents=parts["evening"],
        night_minutes=night,
        night_cents=parts["night"],
        saturday_minutes=saturday,
        saturday_cents=parts["saturday"],
        sunday_holiday_minutes=sunday,
        sunday_holiday_cents=parts["sunday"],
        total_cents=sum(parts.values()),
        segments=tuple(segments),
    )
