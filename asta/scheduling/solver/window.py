"""A roster's time window as a problem of its own, for window LNS on long horizons.

The LNS on the whole CP-SAT model clones and presolves every variable of the
horizon for each step (50 people x 52 weeks: seconds per step). A window
instead becomes a small `Problem` over the days [start, end): the free cells
(people x days to re-roster) keep their candidates, every other cell of the
window is pinned to the roster (a `fixed` pair, or no candidate on a day off),
and rules that reach beyond the window are narrowed by what the roster does
outside it (minutes, weekends and per-kind counts left). People with no free
cell are left out of the window: their staff on its shifts is taken off the
shifts' positions and capacity, which keeps cover priced exactly (up to a
constant) in a model a fraction of the size. A margin of pinned
days, at least as long as the longest run rule, around the free days means no
run, rest or succession clause of the whole model links a free cell with a day
outside the window, and the edges' exemptions only touch pinned days: a
solution of the window is then legal in the whole roster, and its objective
differs from the whole one by a constant. Days are renumbered from `start`,
which is a multiple of 7 so that weeks and weekends keep their blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from asta.scheduling.problem import (
    DAYS_PER_WEEK,
    MINUTES_PER_DAY,
    Problem,
    Professional,
    Request,
    Shift,
    is_weekend,
    weekend_index,
)

Values = dict[tuple[int, int], int]


def windowable(problem: Problem) -> bool:
    """Whether every goal splits over days (series continuity and fairness do not)."""
    w = problem.weights
    if w.continuity and any(s.series for s in problem.shifts):
        return False
    if w.fairness and any(p.wants_minutes is not None for p in problem.professionals):
        return False
    return problem.rules.one_shift_per_day and problem.rules.min_rest_minutes < MINUTES_PER_DAY


def margin(problem: Problem) -> int:
    """Pinned days needed beside free ones: the longest clause of a run rule (and rest)."""
    longest = 2
    for p in problem.professionals:
        longest = max(longest, p.min_consecutive_days, p.min_consecutive_days_off)
        if p.max_consecutive_days is not None:
            longest = max(longest, p.max_consecutive_days)
    return longest


@dataclass(frozen=True)
class Window:
    problem: Problem
    start: int
    end: int
    shift_of: list[int]
    """Whole-problem shift index of each window shift."""
    local: dict[int, int]
    """Window shift index of each whole-problem shift inside the window."""
    person_of: list[int]
    """Whole-problem person index of each window person (those with free cells)."""

    def assigned(self, found: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
        """Whole-problem (person, shift) indices of a window roster's assignments."""
        person = {p.id: self.person_of[k] for k, p in enumerate(self.problem.professionals)}
        shift = {s.id: k for k, s in enumerate(self.problem.shifts)}
        return [(person[pid], self.shift_of[shift[sid]]) for pid, sid in found]


def span(problem: Problem, first: int, last: int) -> tuple[int, int]:
    """Window days [start, end) around free days [first, last): margins, weeks aligned."""
    pad = margin(problem)
    horizon = problem.horizon_days
    start = max(0, (first - pad) // DAYS_PER_WEEK * DAYS_PER_WEEK)
    end = min(horizon, -(-(last + pad) // DAYS_PER_WEEK) * DAYS_PER_WEEK)
    return start, end


def cut(
    problem: Problem,
    shifts_of: list[list[int]],
    values: Values,
    first: int,
    last: int,
    free_person: Callable[[int], bool] = lambda _: True,
) -> Window:
    """The window around free days [first, last) for the people `free_person` accepts."""
    start, end = span(problem, first, last)
    shifts = problem.shifts
    inside = [si for si, s in enumerate(shifts) if start <= s.day < end]
    kept = [pi for pi in range(len(problem.professionals)) if free_person(pi)]
    pinned_staff = _staff_left_out(problem, shifts_of, values, set(kept), start, end)
    offset = start * MINUTES_PER_DAY
    moved = {
        si: _narrowed(replace(shifts[si], day=shifts[si].day - start, start=shifts[si].start - offset,
                              end=shifts[si].end - offset), pinned_staff[si])
        for si in inside
    }
    rules = problem.rules
    fixed: set[tuple[str, str]] = set()
    people: list[Professional] = []
    for pi in kept:
        prof = problem.professionals[pi]
        worked = [si for si in shifts_of[pi] if values.get((pi, si), 0)]
        outside = [si for si in worked if not start <= shifts[si].day < end]
        eligible: set[str] = set()
        for si in shifts_of[pi]:
            day = shifts[si].day
            if not start <= day < end:
                continue
            if first <= day < last:
                eligible.add(shifts[si].id)
            elif values.get((pi, si), 0):
                eligible.add(shifts[si].id)
                fixed.add((prof.id, shifts[si].id))
            if (prof.id, shifts[si].id) in problem.fixed:
                fixed.add((prof.id, shifts[si].id))
        minutes_out = sum(shifts[si].minutes for si in outside)
        kinds_out = Counter(shifts[si].kind for si in outside)
        weekends_out = {weekend_index(rules, shifts[si].day) for si in outside
                        if is_weekend(rules, shifts[si].day)}
        people.append(replace(
            prof,
            eligible=frozenset(eligible),
            availability=_moved_windows(prof.availability, offset),
            max_shifts_per_kind={k: v - kinds_out[k] for k, v in prof.max_shifts_per_kind.items()},
            min_minutes=max(0, prof.min_minutes - minutes_out),
            max_minutes=None if prof.max_minutes is None else prof.max_minutes - minutes_out,
            max_weekends=None if prof.max_weekends is None else prof.max_weekends - len(weekends_out),
            days_off=frozenset(d - start for d in prof.days_off if start <= d < end),
            shift_on_requests=_moved_requests(prof.shift_on_requests, start, end),
            shift_off_requests=_moved_requests(prof.shift_off_requests, start, end),
        ))
    sub = Problem(
        shifts=tuple(moved[si] for si in inside),
        professionals=tuple(people),
        rules=rules,
        weights=problem.weights,
        days=end - start,
        fixed=frozenset(fixed),
    )
    return Window(sub, start, end, inside, {si: k for k, si in enumerate(inside)}, kept)


def _staff_left_out(
    problem: Problem, shifts_of: list[list[int]], values: Values, kept: set[int], start: int, end: int
) -> Counter[int]:
    """Staff per shift in [start, end) from the people the window leaves out."""
    shifts = problem.shifts
    return Counter(
        si for pi, mine in enumerate(shifts_of) if pi not in kept
        for si in mine if values.get((pi, si), 0) and start <= shifts[si].day < end
    )


def _narrowed(shift: Shift, staffed: int) -> Shift:
    """`shift` as the people left in the window see it when `staffed` others work it.
    Under- and over-cover of the whole shift differ from the narrowed one's by a
    constant: under(f + s) = max(0, (P - f) - s), and over(f + s) = (f - P) + s when f > P."""
    if not staffed:
        return shift
    return replace(shift, positions=max(0, shift.positions - staffed), max_staff=shift.capacity - staffed)


def _moved_windows(
    windows: tuple[tuple[int, int], ...] | None, offset: int
) -> tuple[tuple[int, int], ...] | None:
    return None if windows is None else tuple((a - offset, b - offset) for a, b in windows)


def _moved_requests(requests: tuple[Request, ...], start: int, end: int) -> tuple[Request, ...]:
    return tuple(replace(r, day=r.day - start) for r in requests if start <= r.day < end)


def roster_in(window: Window, values: Values) -> list[tuple[str, str]]:
    """The roster's assignments inside the window, as window ids."""
    sub = window.problem
    person = {pi: k for k, pi in enumerate(window.person_of)}
    out = []
    for (pi, si), value in values.items():
        k = window.local.get(si)
        if value and k is not None and pi in person:
            out.append((sub.professionals[person[pi]].id, sub.shifts[k].id))
    return out
