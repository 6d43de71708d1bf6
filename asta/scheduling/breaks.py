"""Which hard rules one more shift would break on top of a person's roster.

The evaluator decides; this module only chooses what to show it. Adding a shift on day d
can change the verdict on the runs of work and rest around d, on d's week and on the few
days a rest break reaches, and on the period totals (minutes, shifts per kind, weekends).
So the evaluator is shown those days of the roster, and the person with each period limit
reduced by what the rest of the roster already uses: every rule then gains the same number
of breaks as it would on the whole roster. Runs cut at the edges of the shown days break
the same rules with and without the shift, so they cancel. On a 52-week roster this is
a few weeks of shifts instead of a year of them for every person tried on every open shift.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import ceil

from asta.scheduling.evaluator import person_violations
from asta.scheduling.problem import (
    DAYS_PER_WEEK,
    MINUTES_PER_DAY,
    Problem,
    Professional,
    Shift,
    is_weekend,
    weekend_index,
)


@dataclass(frozen=True, slots=True)
class _Totals:
    minutes: int
    kinds: Counter[str]
    weekends: Counter[int]
    """Weekend index -> shifts worked in it."""

    @classmethod
    def of(cls, problem: Problem, shifts: Sequence[Shift]) -> _Totals:
        rules = problem.rules
        return cls(
            sum(s.minutes for s in shifts),
            Counter(s.kind for s in shifts),
            Counter(weekend_index(rules, s.day) for s in shifts if is_weekend(rules, s.day)),
        )


@dataclass(frozen=True, slots=True)
class Roster:
    """One person's shifts, indexed by day, with the period totals the limits count."""

    shifts: tuple[Shift, ...]
    """Sorted by day."""
    days: tuple[int, ...]
    """The shifts' days, in the same order."""
    totals: _Totals
    views: dict[tuple[int, int], _View] = field(default_factory=dict)
    """(first, last) day shown -> what is shown of the roster, and its verdict."""

    @classmethod
    def of(cls, problem: Problem, shifts: Sequence[Shift]) -> Roster:
        ordered = tuple(sorted(shifts, key=lambda s: s.day))
        return cls(ordered, tuple(s.day for s in ordered), _Totals.of(problem, ordered))


def rest_reach(problem: Problem) -> int:
    """Days apart two shifts can be and still break the rest rule or a succession."""
    offsets = [(s.start - s.day * MINUTES_PER_DAY, s.end - s.day * MINUTES_PER_DAY)
               for s in problem.shifts]
    if not offsets:
        return 1
    spread = max(end for _, end in offsets) - min(start for start, _ in offsets)
    return max(1, ceil((spread + problem.rules.min_rest_minutes) / MINUTES_PER_DAY))


@dataclass(frozen=True, slots=True)
class _View:
    shifts: list[Shift]
    person: Professional
    """With the period limits reduced by what the shifts not shown use."""
    broken: Counter[str]
    """Rule -> how often the shown shifts break it."""


def new_breaks(problem: Problem, prof: Professional, roster: Roster, shift: Shift, reach: int) -> set[str]:
    """Rules (evaluator names) that break more often once `shift` is added to `roster`."""
    days = _days_shown(problem, roster.days, shift.day, reach)
    view = roster.views.get(days)
    if view is None:
        first, last = days
        shown = list(roster.shifts[bisect_left(roster.days, first):bisect_right(roster.days, last)])
        person = _limited_by(prof, roster.totals, _Totals.of(problem, shown))
        broken = Counter(v.rule for v in person_violations(problem, person, shown))
        view = roster.views[days] = _View(shown, person, broken)
    after = Counter(v.rule for v in person_violations(problem, view.person, [*view.shifts, shift]))
    return {rule for rule, n in after.items() if n > view.broken[rule]}


def _days_shown(problem: Problem, days: Sequence[int], day: int, reach: int) -> tuple[int, int]:
    """From the first day of the work run left of `day` to the last of the one right of it
    (one more shift on `day` can join them or split the rest between them; the days beyond
    are off, shown or not), widened to `day`'s whole week and the rest rule's reach, and
    never cutting a weekend in two."""
    i = bisect_right(days, day - 1) - 1
    while i > 0 and days[i - 1] >= days[i] - 1:
        i -= 1
    first = days[i] if i >= 0 else day
    j = bisect_left(days, day + 1)
    while 0 <= j < len(days) - 1 and days[j + 1] <= days[j] + 1:
        j += 1
    last = days[j] if j < len(days) else day
    week = day - day % DAYS_PER_WEEK
    first = max(0, min(first, week, day - reach))
    horizon = problem.horizon_days
    last = min(horizon - 1, max(last, week + DAYS_PER_WEEK - 1, day + reach))
    if first > 0 and _same_weekend(problem, first - 1, first):
        first -= 1
    if last < horizon - 1 and _same_weekend(problem, last, last + 1):
        last += 1
    return first, last


def _same_weekend(problem: Problem, a: int, b: int) -> bool:
    rules = problem.rules
    return (is_weekend(rules, a) and is_weekend(rules, b)
            and weekend_index(rules, a) == weekend_index(rules, b))


def _limited_by(prof: Professional, whole: _Totals, shown: _Totals) -> Professional:
    """`prof` with each period limit reduced by what the shifts not shown use."""
    minutes = whole.minutes - shown.minutes
    weekends = sum(1 for w, n in whole.weekends.items() if n > shown.weekends[w])
    return replace(
        prof,
        min_minutes=max(0, prof.min_minutes - minutes),
        max_minutes=None if prof.max_minutes is None else prof.max_minutes - minutes,
        max_shifts_per_kind={k: n - whole.kinds[k] + shown.kinds[k]
                             for k, n in prof.max_shifts_per_kind.items()},
        max_weekends=None if prof.max_weekends is None else prof.max_weekends - weekends,
    )
