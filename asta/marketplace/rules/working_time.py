"""Working Hours Act (872/2019) checks made when a professional claims a shift.

- Rest is checked pairwise between the new shift and each existing one, both sides.
- Weekly hours are checked per local calendar week (Monday 00:00 to Monday 00:00),
  in every week the new shift touches, in real elapsed hours (DST-safe). The Act's
  48 h is an average over a reference period; refusing any single week over the
  area's maximum is deliberately stricter, because a marketplace cannot know the
  professional's other work over the period. Overlapping intervals count once.
- The caller passes only non-cancelled shifts. An existing interval with the same
  `ref` as the new one is the same shift (a re-check) and is ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from asta.marketplace.rules._time import (
    HELSINKI,
    as_utc,
    local_to_utc,
    zone,
)
from asta.marketplace.rules.errors import RuleError
from asta.marketplace.rules.refusals import Param, Refusal

OVERLAP = "overlap"
MIN_REST = "min_rest"
WEEKLY_MAX = "weekly_max"
PERSONAL_WEEKLY_MAX = "personal_weekly_max"


@dataclass(frozen=True, slots=True)
class Interval:
    """A worked span, stored in UTC; `ref` is the caller's shift id, if any."""

    start: datetime
    end: datetime
    ref: Hashable | None = None

    def __post_init__(self) -> None:
        start, end = as_utc(self.start, "start"), as_utc(self.end, "end")
        if end <= start:
            raise RuleError("end", "A shift must end after it starts")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class RuleViolation:
    code: str
    params: Mapping[str, Param]
    conflicting: tuple[Interval, ...]

    @property
    def refusal(self) -> Refusal:
        return Refusal(self.code, self.params)

    @property
    def message(self) -> str:
        return self.refusal.message


def check_working_time(
    new: Interval,
    existing: Sequence[Interval],
    *,
    min_rest: timedelta = timedelta(hours=11),
    weekly_max_hours: float = 48,
    personal_weekly_max_hours: float | None = None,
    tz: str = HELSINKI,
) -> list[RuleViolation]:
    """Every rule the new shift would break, in a stable order (by rule, then time)."""
    zone_info = zone(tz)
    if min_rest < timedelta(0):
        raise RuleError("min_rest", "Minimum rest cannot be negative")
    if weekly_max_hours <= 0:
        raise RuleError("weekly_max_hours", "Weekly maximum must be positive")
    if personal_weekly_max_hours is not None and personal_weekly_max_hours <= 0:
        raise RuleError("personal_weekly_max_hours", "Personal weekly maximum must be positive")
    others = sorted(
        (e for e in existing if new.ref is None or e.ref != new.ref),
        key=lambda e: (e.start, e.end),
    )
    violations: list[RuleViolation] = []
    for other in others:
        if new.overlaps(other):
            local_start = other.start.astimezone(zone_info)
            span: dict[str, Param] = {"day": local_start.date(), "start": local_start.time(),
                                      "end": other.end.astimezone(zone_info).time()}
            violations.append(RuleViolation(OVERLAP, span, (other,)))
    for other in others:
        if new.overlaps(other):
            continue  # already reported as an overlap
        gap = new.start - other.end if other.end <= new.start else other.start - new.end
        if gap < min_rest:
            violations.append(
                RuleViolation(
                    MIN_REST,
                    {"rest_hours": _hours(gap.total_seconds() / 3600),
                     "required_hours": _hours(min_rest.total_seconds() / 3600)},
                    (other,),
                )
            )
    limits = [(WEEKLY_MAX, weekly_max_hours)]
    if personal_weekly_max_hours is not None:
        limits.append((PERSONAL_WEEKLY_MAX, personal_weekly_max_hours))
    for week_start, week_end in _weeks_touched(new, zone_info):
        in_week = tuple(o for o in others if o.start < week_end and week_start < o.end)
        worked = _union_hours([new, *in_week], week_start, week_end)
        monday = week_start.astimezone(zone_info).date()
        for code, limit in limits:
            if worked > limit + 1e-9:
                violations.append(
                    RuleViolation(
                        code,
                        {"hours": _hours(worked), "week_start": monday,
                         "limit_hours": _hours(limit)},
                        in_week,
                    )
                )
    return violations


def _hours(value: float) -> float | int:
    """9.5 stays 9.5, 11.0 becomes 11: messages read like a person wrote them."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _weeks_touched(new: Interval, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    local_start = new.start.astimezone(tz).date()
    monday = local_start - timedelta(days=local_start.weekday())
    weeks: list[tuple[datetime, datetime]] = []
    while True:
        week_start = local_to_utc(monday, time(0), tz)
        if week_start >= new.end:
            return weeks
        monday += timedelta(days=7)
        weeks.append((week_start, local_to_utc(monday, time(0), tz)))


def _union_hours(intervals: Sequence[Interval], lo: datetime, hi: datetime) -> float:
    """Hours covered by the intervals within [lo, hi), counting overlaps once."""
    clipped = sorted(
        (max(i.start, lo), min(i.end, hi)) for i in intervals if i.start < hi and lo < i.end
    )
    covered, reach = timedelta(0), datetime.min.replace(tzinfo=UTC)
    for start, end in clipped:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered.total_seconds() / 3600


def cancellation_is_late(now: datetime, shift_start: datetime, notice_hours: float) -> bool:
    """Late when less than `notice_hours` remain before the start (or it has begun)."""
    if notice_hours < 0:
        raise RuleError("notice_hours", "Notice period cannot be negative")
    remaining = as_utc(shift_start, "shift_start") - as_utc(now, "now")
    return remaining < timedelta(hours=notice_hours)


def cancel_counts_as_late(status: str, shift_start: datetime, notice_hours: float,
                          now: datetime) -> bool:
    """A professional's own cancellation counts as late only for a confirmed shift (a
    request was never a promise) inside the unit's notice period."""
    return status == "confirmed" and cancellation_is_late(now, shift_start, notice_hours)


def reliability_score(*, completed: int, late_cancelled: int, no_show: int) -> int | None:
    """0-100: completed / (completed + late cancellations + 2 x no-shows), rounded.

    A no-show weighs double because the unit learns of it too late to find cover.
    Cancellations in good time do not count at all: releasing a shift early is fine.
    None means no history yet, which a UI should show differently from a poor score.
    """
    for name, value in (
        ("completed", completed),
        ("late_cancelled", late_cancelled),
        ("no_show", no_show),
    ):
        if value < 0:
            raise RuleError(name, f"{name} cannot be negative")
    weighed = completed + late_cancelled + 2 * no_show
    if weighed == 0:
        return None
    return (200 * completed + weighed) // (2 * weighed)  # round half up
