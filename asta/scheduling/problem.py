"""The matching problem as plain, frozen data: no ORM, no settings, no ortools.

Time is integer minutes from the start of the period (day 0, 00:00, naive local
time); turning aware datetimes into minutes is the caller's job (see
`minutes_from`). One `Problem` type serves both Asta's marketplace matching and
the Curtois & Qu rostering benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

MINUTES_PER_DAY = 1440
DAYS_PER_WEEK = 7
SATURDAY = 5
SUNDAY = 6


def minutes_from(period_start: datetime, moment: datetime) -> int:
    """Whole minutes from the period start; both naive or both aware."""
    return int((moment - period_start).total_seconds() // 60)


class _FrozenMap(Mapping[str, int]):
    """Read-only, and unlike `MappingProxyType` it pickles: pricing processes get the problem."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, int]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> int:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift with `positions` identical open positions (demand)."""

    id: str
    day: int
    start: int
    end: int
    kind: str
    unit: str = ""
    organisation: str = ""
    positions: int = 1
    under_weight: int = 1
    """Penalty per unfilled position (priority)."""
    over_weight: int = 0
    """Penalty per staff beyond `positions`, where over-cover is allowed at all."""
    max_staff: int | None = None
    """Upper limit on staff; None means exactly `positions` at most (Asta's norm)."""
    series: str | None = None
    """Recurring series: assigning one person to the whole series earns continuity."""

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def capacity(self) -> int:
        return self.positions if self.max_staff is None else max(self.max_staff, self.positions)


@dataclass(frozen=True, slots=True)
class Request:
    """A wish to work (shift-on) or not to work (shift-off) on a day.

    `kind` None means any shift on that day.
    """

    day: int
    kind: str | None
    weight: int


@dataclass(frozen=True, slots=True)
class Professional:
    id: str
    eligible: frozenset[str] | None = None
    """Shift ids this person may take (profession, registration, languages,
    competences and onboarding are judged by the caller); None = every shift."""
    availability: tuple[tuple[int, int], ...] | None = None
    """Windows (start, end) in period minutes; a shift must lie inside one. None = always."""
    max_shifts_per_kind: Mapping[str, int] = field(default_factory=lambda: _FrozenMap({}))
    min_minutes: int = 0
    max_minutes: int | None = None
    max_week_minutes: int | None = None
    """Per 7-day block from the period start; a shift counts in the block of its day."""
    max_consecutive_days: int | None = None
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    days_off: frozenset[int] = frozenset()
    shift_on_requests: tuple[Request, ...] = ()
    shift_off_requests: tuple[Request, ...] = ()
    preferred_units: frozenset[str] = frozenset()
    home_organisation: str | None = None
    hourly_cost: int = 0
    """Cost per hour in cents; used by the cost goal."""
    wants_minutes: int | None = None
    """Hours this person would like in the period (fairness target); None = no target."""


@dataclass(frozen=True, slots=True)
class Rules:
    """Rules that hold for everybody.

    Horizon edges follow the Curtois & Qu convention: the days just before and
    after the period count as days off for maximum-consecutive and successions,
    and a work or rest block touching an edge is exempt from its minimum length.
    """

    min_rest_minutes: int = 0
    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    """(kind on day d, kind on day d+1) pairs nobody may work."""
    one_shift_per_day: bool = True
    first_weekday: int = 0
    """Weekday of day 0, Monday = 0; weekends are Saturday and Sunday."""


@dataclass(frozen=True, slots=True)
class Weights:
    """Multipliers of the soft goals; the objective is minimised.

    fill: per unfilled position, times the shift's `under_weight`.
    over_cover: per extra staff, times the shift's `over_weight`.
    requests: per violated shift-on/shift-off request, times its weight.
    preferred_unit: per assignment outside a person's preferred units (only for
        people who named some).
    continuity: per extra person used in a series beyond the first.
    fairness: per whole hour of |assigned - wanted| for people with a target.
    own_pool: per assignment outside the person's home organisation.
    cost: per euro of hourly cost (hourly_cost cents * minutes / 6000, floored).
    """

    fill: int = 1
    over_cover: int = 1
    requests: int = 1
    preferred_unit: int = 0
    continuity: int = 0
    fairness: int = 0
    own_pool: int = 0
    cost: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    shifts: tuple[Shift, ...]
    professionals: tuple[Professional, ...]
    rules: Rules = Rules()
    weights: Weights = Weights()
    days: int = 0
    """Length of the period in days; 0 means up to the last shift's day."""
    fixed: frozenset[tuple[str, str]] = frozenset()
    """(professional id, shift id) pairs already agreed (claimed shifts); kept as is."""
    horizon_days: int = field(init=False, repr=False, compare=False)
    """`days`, or up to the last shift's day if later. Worked out once: every rule check asks
    for it (explaining a 52-week roster asked 8,364 times in 30 s, each a pass over the shifts)."""

    def __post_init__(self) -> None:
        last = max((s.day for s in self.shifts), default=-1) + 1
        object.__setattr__(self, "horizon_days", max(self.days, last))

    def shift_by_id(self) -> dict[str, Shift]:
        return {s.id: s for s in self.shifts}

    def professional_by_id(self) -> dict[str, Professional]:
        return {p.id: p for p in self.professionals}


def is_weekend(rules: Rules, day: int) -> bool:
    return (rules.first_weekday + day) % DAYS_PER_WEEK in (SATURDAY, SUNDAY)


def weekend_index(rules: Rules, day: int) -> int:
    return (rules.first_weekday + day) // DAYS_PER_WEEK


def week_index(day: int) -> int:
    return day // DAYS_PER_WEEK


def hourly_cost_units(professional: Professional, shift: Shift) -> int:
    """Euros (floored) that `professional` costs for `shift`."""
    return professional.hourly_cost * shift.minutes // 6000
