"""Working-time rules: per day, rest, successions, hour limits."""

from __future__ import annotations

from collections import defaultdict

from asta.scheduling._model import Model, Penalty
from asta.scheduling.problem import week_index


def one_shift_per_day(m: Model) -> list[Penalty]:
    if not m.problem.rules.one_shift_per_day:
        return []
    for pi in range(len(m.problem.professionals)):
        for day in m.days_of(pi):
            shifts = m.day_shifts(pi, day)
            if len(shifts) > 1:
                m.cp.add_at_most_one(m.x[pi, si] for si in shifts)
    return []


def min_rest_between_shifts(m: Model) -> list[Penalty]:
    """No overlap, and at least `min_rest_minutes` between one shift's end and the next start.

    Two shifts clash exactly when their intervals [start, end + rest) meet, so
    the clashes form an interval graph whose maximal cliques are found at the
    start points: one at-most-one per clique instead of a constraint per pair.
    """
    rest = m.problem.rules.min_rest_minutes
    shifts = m.problem.shifts
    for pi, mine in enumerate(m.shifts_of):
        active: list[int] = []
        added = False
        for si in mine:
            start = shifts[si].start
            # mine is sorted by start: whoever ends (plus rest) by now never clashes again.
            kept = [sj for sj in active if shifts[sj].end + rest > start]
            if len(kept) < len(active) and added:
                _at_most_one(m, pi, active)
                added = False
            active = [*kept, si]
            added = True
        if added:
            _at_most_one(m, pi, active)
    return []


def _at_most_one(m: Model, pi: int, shift_indices: list[int]) -> None:
    if len(shift_indices) > 1:
        m.cp.add_at_most_one(m.x[pi, si] for si in shift_indices)


def forbidden_successions(m: Model) -> list[Penalty]:
    """A kind on day d may not be followed by certain kinds on day d + 1."""
    pairs = m.problem.rules.forbidden_successions
    if not pairs:
        return []
    shifts = m.problem.shifts
    for pi in range(len(m.problem.professionals)):
        for day in m.days_of(pi):
            today: dict[str, list[int]] = defaultdict(list)
            tomorrow: dict[str, list[int]] = defaultdict(list)
            for si in m.day_shifts(pi, day):
                today[shifts[si].kind].append(si)
            for si in m.day_shifts(pi, day + 1):
                tomorrow[shifts[si].kind].append(si)
            for first, second in pairs:
                if first in today and second in tomorrow:
                    lhs = [m.x[pi, si] for si in today[first]]
                    rhs = [m.x[pi, si] for si in tomorrow[second]]
                    if len(lhs) == 1 and len(rhs) == 1:
                        m.cp.add_bool_or([lhs[0].Not(), rhs[0].Not()])
                    else:
                        m.cp.add(sum(lhs) + sum(rhs) <= 1)
    return []


def max_shifts_per_kind(m: Model) -> list[Penalty]:
    shifts = m.problem.shifts
    for pi, prof in enumerate(m.problem.professionals):
        by_kind: dict[str, list[int]] = defaultdict(list)
        for si in m.shifts_of[pi]:
            by_kind[shifts[si].kind].append(si)
        for kind, limit in prof.max_shifts_per_kind.items():
            mine = by_kind.get(kind, [])
            if len(mine) > limit:
                m.cp.add(sum(m.x[pi, si] for si in mine) <= limit)
    return []


def period_minute_limits(m: Model) -> list[Penalty]:
    """Minimum and maximum total minutes in the period."""
    shifts = m.problem.shifts
    for pi, prof in enumerate(m.problem.professionals):
        mine = m.shifts_of[pi]
        total = sum(shifts[si].minutes * m.x[pi, si] for si in mine)
        possible = sum(shifts[si].minutes for si in mine)
        if prof.max_minutes is not None and possible > prof.max_minutes:
            m.cp.add(total <= prof.max_minutes)
        if prof.min_minutes > 0:
            m.cp.add(total >= prof.min_minutes)
    return []


def weekly_hour_limit(m: Model) -> list[Penalty]:
    """At most `max_week_minutes` in each 7-day block from the period start."""
    shifts = m.problem.shifts
    for pi, prof in enumerate(m.problem.professionals):
        limit = prof.max_week_minutes
        if limit is None:
            continue
        by_week: dict[int, list[int]] = defaultdict(list)
        for si in m.shifts_of[pi]:
            by_week[week_index(shifts[si].day)].append(si)
        for mine in by_week.values():
            if sum(shifts[si].minutes for si in mine) > limit:
                m.cp.add(sum(shifts[si].minutes * m.x[pi, si] for si in mine) <= limit)
    return []
