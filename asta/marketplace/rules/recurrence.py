"""Expanding a unit's demand pattern into concrete shifts.

- `weekdays` uses Python's numbering, 0 = Monday ... 6 = Sunday (`date.weekday()`,
  `calendar.MONDAY`).
- A block that ends at or before its start ends on the next day (a night shift); one
  whose start equals its end lasts 24 h of wall-clock time.
- DST: a local time skipped in spring moves forward to the first valid instant (03:30
  becomes 04:00); a time that happens twice in autumn takes the first occurrence. A
  block squeezed to nothing by the spring gap (03:00-04:00 that night) is dropped.
- `exclude_holidays` skips the dates in `holidays.finnish_holidays`, which includes
  Midsummer Eve and Christmas Eve.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from asta.marketplace.rules._time import HELSINKI, local_to_utc, zone
from asta.marketplace.rules.errors import RuleError
from asta.marketplace.rules.holidays import is_public_holiday

MAX_PATTERN_DAYS = 366
MAX_HEADCOUNT = 100


@dataclass(frozen=True, slots=True)
class Block:
    start_local: time
    end_local: time
    headcount: int = 1

    def __post_init__(self) -> None:
        for name in ("start_local", "end_local"):
            if getattr(self, name).tzinfo is not None:
                raise RuleError(name, f"{name} is a wall-clock time and takes no time zone")
        if isinstance(self.headcount, bool) or not 1 <= self.headcount <= MAX_HEADCOUNT:
            raise RuleError("headcount", f"Headcount must be between 1 and {MAX_HEADCOUNT}")


@dataclass(frozen=True)
class DemandPattern:
    first_date: date
    last_date: date
    weekdays: AbstractSet[int]
    blocks: Sequence[Block]
    exclude_holidays: bool = False

    def __post_init__(self) -> None:
        if self.last_date < self.first_date:
            raise RuleError("last_date", "The last date cannot be before the first date")
        if (self.last_date - self.first_date).days + 1 > MAX_PATTERN_DAYS:
            raise RuleError("last_date", f"A pattern can span at most {MAX_PATTERN_DAYS} days")
        if not self.weekdays:
            raise RuleError("weekdays", "Choose at least one weekday")
        if any(isinstance(d, bool) or not 0 <= d <= 6 for d in self.weekdays):
            raise RuleError("weekdays", "Weekdays are numbered 0 (Monday) to 6 (Sunday)")
        if not self.blocks:
            raise RuleError("blocks", "Add at least one block of hours")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "blocks", tuple(self.blocks))


@dataclass(frozen=True, slots=True)
class ExpandedShift:
    start_utc: datetime
    end_utc: datetime
    headcount: int
    local_date: date
    block_index: int


def expand_demand(pattern: DemandPattern, *, tz: str = HELSINKI) -> list[ExpandedShift]:
    """Concrete shifts in order of start, then block order."""
    zone_info = zone(tz)
    shifts: list[ExpandedShift] = []
    day = pattern.first_date
    while day <= pattern.last_date:
        if day.weekday() in pattern.weekdays and not (
            pattern.exclude_holidays and is_public_holiday(day)
        ):
            for index, block in enumerate(pattern.blocks):
                end_day = day + timedelta(days=1) if block.end_local <= block.start_local else day
                start = local_to_utc(day, block.start_local, zone_info)
                end = local_to_utc(end_day, block.end_local, zone_info)
                if end > start:
                    shifts.append(ExpandedShift(start, end, block.headcount, day, index))
        day += timedelta(days=1)
    return sorted(shifts, key=lambda s: (s.start_utc, s.block_index))
