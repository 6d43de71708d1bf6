"""Pricing by dynamic programming over one person's days, in arrays of minutes and weekends.

The labelling (`labelling.Person`) keeps every label apart, so a person with a minimum and a
maximum of minutes, a weekend limit and a per-kind limit has tens of thousands of labels a
day (Instance18, 12 weeks: 12.8 s a call, against CP-SAT's 0.9 s). Here the labels that
differ only in minutes worked, weekends used and shifts of a limited kind are one numpy array,
so a day is a few dozen array operations. A kind is counted only once an answer broke its
limit (counting all costs time where none binds). Where every shift of the person is one step
of minutes, a high limit is kept by counting the other shifts up to what the limit leaves
(at most 43 late shifts of at most 54 is at least 11 others): a far shorter axis. A person
with a rule this does not model (agreed shifts, weekly minutes, rest that the successions do
not already cover), or whose counts would make the arrays too large, is priced by CP-SAT, so
every call is exact. The construction's descent asks it too, for each person's exact best
roster against the others' cover (`construct.descend`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from asta.scheduling.problem import Problem, is_weekend
from asta.scheduling.solver.labelling import Late, Person
from asta.scheduling.solver.labelling.types import _OFF
from asta.scheduling.solver.master import Column, priced_column
from asta.scheduling.solver.pricing import ROSTERS_PER_CALL, Pricer

MAX_CELLS = 20_000
"""Cells of one state's array (minute steps x weekends x counts), at most: beyond it (52
weeks in minutes of a quarter hour) memory and time grow past what pricing is worth."""

State = tuple[int, bool, int, str | None]
"""(run of work days, run exempt from its minimum, run of days off, yesterday's kind)."""


@dataclass(frozen=True, slots=True)
class _Step:
    """One way into a state: from `state`, working `si` (or off) at `cost`, moving `offsets`
    along the array's axes (weekends, minute steps, counted kinds)."""

    state: State
    si: int
    offsets: tuple[int, ...]
    cost: float


class _Day:
    """The states reached at the end of a day, each the cheapest of the steps into it. Which
    step reached a cell is found again when a roster is read back (`Days._roster`), rather
    than recorded for every cell."""

    def __init__(self, values: dict[State, np.ndarray] | None = None) -> None:
        self.values: dict[State, np.ndarray] = values or {}
        self.steps: dict[State, list[_Step]] = {}

    def reach(self, into: State, array: np.ndarray, step: _Step) -> None:
        """`array` (which this day now owns) is what `step` costs into `into`."""
        if into not in self.values:
            self.values[into] = array
            self.steps[into] = [step]
            return
        np.minimum(self.values[into], array, out=self.values[into])
        self.steps[into].append(step)


def _shifted(
    values: np.ndarray, offsets: tuple[int, ...], cost: float, saturating: int | None = None
) -> np.ndarray:
    """`values` plus `cost`, moved `offsets` along each axis; what falls off the end is over
    a limit, and what nothing moved into is unreachable. Along the `saturating` axis the last
    cell means "at least this many": what moves past it stays in it."""
    if not any(offsets):
        return values + cost
    out = np.empty(values.shape)
    for axis, offset in enumerate(offsets):
        if offset:
            out[(slice(None),) * axis + (slice(0, offset),)] = math.inf
    sizes = list(zip(offsets, values.shape, strict=True))
    if all(o < n for o, n in sizes):
        np.add(values[tuple(slice(0, n - o) for o, n in sizes)], cost,
               out=out[tuple(slice(o, None) for o in offsets)])
        if saturating is not None and offsets[saturating]:
            last = out[tuple(-1 if a == saturating else slice(o, None) for a, (o, _) in enumerate(sizes))]
            np.minimum(last, values[tuple(-1 if a == saturating else slice(0, n - o)
                                          for a, (o, n) in enumerate(sizes))] + cost, out=last)
    return out


class Days:
    """One person's rules, prepared once; `best` runs for given duals."""

    def __init__(self, person: Person, counted: tuple[str, ...] = ()) -> None:
        self.person = person
        self.counted = counted
        problem = person.problem
        shifts = problem.shifts
        minutes = [shifts[si].minutes for si in person.mine]
        self.unit = math.gcd(*minutes) if person.track_minutes and minutes else 1
        limits = person.prof.max_shifts_per_kind
        steps = person.max_minutes // self.unit
        self.complement: tuple[str, int] | None = None
        """A counted kind whose axis counts the other shifts, and the most it counts."""
        if person.track_minutes and all(shifts[si].minutes == self.unit for si in person.mine):
            fewest = min(counted, key=lambda kind: steps - limits[kind], default=None)
            if fewest is not None and 0 < steps - limits[fewest] < limits[fewest]:
                self.complement = (fewest, steps - limits[fewest])
        self.shape = (
            person.max_weekends + 1 if person.max_weekends is not None else 1,
            steps + 1 if person.track_minutes else 1,
            *((self.complement[1] if self.complement and kind == self.complement[0] else limits[kind]) + 1
              for kind in counted),
        )
        self.saturating = 2 + counted.index(self.complement[0]) if self.complement else None
        self.weekend = [is_weekend(problem.rules, day) for day in range(person.horizon)]

    def models(self) -> bool:
        """Whether every hard rule of the person is one this models."""
        p = self.person
        if p.fixed or p.week_limit is not None or math.prod(self.shape) > MAX_CELLS:
            return False
        # Rest is a succession rule here: any two shifts a day or two apart that no
        # forbidden succession keeps apart must leave the rest between them.
        for day, today in p.by_day.items():
            for later, gap in ((p.by_day.get(day + 1, ()), 1), (p.by_day.get(day + 2, ()), 2)):
                for a in today:
                    for b in later:
                        if (gap == 2 or (a.kind, b.kind) not in p.successions) and a.end + p.rest > b.start:
                            return False
        return True

    def best(
        self,
        duals: Mapping[int, float] | Sequence[float],
        count: int = 1,
        half_weekend: float = 0.0,
        deadline: float | None = None,
    ) -> list[tuple[frozenset[int], float]]:
        """The rosters of least reduced cost (before the person's dual), with that cost,
        cheapest first: the best of each of up to `count` ends (empty if no roster is legal).
        Of the per-kind limits, only those of the `counted` kinds hold. A dual of -inf closes
        its shift; `half_weekend` is charged as `Person.best` charges it. Raises `Late` once
        `deadline` (time.monotonic()) has passed."""
        p = self.person
        min_off = p.min_off
        half_weekend = p.charged(half_weekend)
        options = self._options(duals)
        start: State = (0, False, min_off, None)
        layer: dict[State, np.ndarray] = {start: np.full(self.shape, math.inf)}
        layer[start][(0,) * len(self.shape)] = 0.0
        days = [_Day(layer)]  # before the first day; then one a day
        none = (0,) * len(self.shape)
        for day in range(p.horizon):
            if deadline is not None and time.monotonic() > deadline:
                raise Late
            reached = _Day()
            # On a Sunday, a worked Saturday has counted the weekend already.
            sunday = self.weekend[day] and day > 0 and self.weekend[day - 1]
            # A weekend worked on one day of two, charged on its second day (`run`: worked
            # yesterday).
            second = half_weekend if half_weekend and p.second_weekend_day(day) else 0.0
            for state, array in layer.items():
                run, exempt, off, kind = state
                off_run = p.after_rest(run, exempt, off)
                if off_run is not None:
                    into: State = (0, False, off_run, None)
                    cost = p.off_cost[day] + (second if run else 0.0)
                    reached.reach(into, array + cost, _Step(state, _OFF, none, cost))
                after = p.after_work(run, exempt, off, day)
                if after is None:
                    continue
                nrun, nexempt = after
                weekend = int(self.shape[0] > 1 and self.weekend[day] and not (sunday and run))
                alone = 0.0 if run else second
                for si, kind_of, offsets, cost in options[day]:
                    if kind is not None and (kind, kind_of) in p.successions:
                        continue
                    cost += alone
                    into = (nrun, nexempt, 0, kind_of if p.successions else None)
                    moved = (weekend, *offsets)
                    reached.reach(into, _shifted(array, moved, cost, self.saturating),
                                  _Step(state, si, moved, cost))
            layer = reached.values
            days.append(reached)
        return self._answer(days, count)

    def _options(
        self, duals: Mapping[int, float] | Sequence[float]
    ) -> list[list[tuple[int, str, tuple[int, ...], float]]]:
        """Per day, the cheapest shift of each kind and length: (shift, kind, offsets along the
        minute and counted kinds' axes, cost)."""
        p = self.person
        out: list[list[tuple[int, str, tuple[int, ...], float]]] = []
        others = self.complement[0] if self.complement else None
        for day in range(p.horizon):
            cheapest: dict[tuple[str, int], tuple[int, str, tuple[int, ...], float]] = {}
            for s in p.by_day.get(day, ()):
                si = p.index[s.id]
                steps = s.minutes // self.unit if p.track_minutes else 0
                offsets = (steps, *(int(s.kind != kind if kind == others else s.kind == kind)
                                    for kind in self.counted))
                option = (si, s.kind, offsets, p.base[si] - duals[si])
                if option[3] == math.inf:
                    continue  # closed
                old = cheapest.get((s.kind, steps))
                if old is None or option[3] < old[3]:
                    cheapest[s.kind, steps] = option
            out.append(sorted(cheapest.values()))
        return out

    def _answer(
        self, days: list[_Day], count: int
    ) -> list[tuple[frozenset[int], float]]:
        p = self.person
        prof, weights = p.prof, p.problem.weights
        minutes = np.arange(self.shape[1]) * self.unit
        extra = np.zeros(self.shape[1])
        if p.track_minutes:
            extra[minutes < prof.min_minutes] = math.inf
        if prof.wants_minutes is not None and weights.fairness:
            extra += weights.fairness * (np.abs(minutes - prof.wants_minutes) // 60)
        extra = extra.reshape((1, -1) + (1,) * len(self.counted))
        axis = self.saturating
        if axis is not None:
            # n shifts, o of them others (o below the cap: exactly): n - o of the kind.
            along = [-1 if a == axis else 1 for a in range(len(self.shape))]
            others = np.arange(self.shape[axis]).reshape(along)
            worked = np.arange(self.shape[1]).reshape(extra.shape)
            over = others < worked - prof.max_shifts_per_kind[self.counted[axis - 2]]
            extra = extra + np.where(over, math.inf, 0.0)
        ends: list[tuple[float, State, tuple[int, ...]]] = []
        for state, array in days[-1].values.items():
            total = (array + extra).ravel()
            cells = np.argsort(total)[:count]
            ends.extend((float(total[cell]), state, tuple(int(i) for i in np.unravel_index(cell, self.shape)))
                        for cell in cells if math.isfinite(total[cell]))
        # Each end (state and cell) is a different roster: its cheapest one.
        return [(self._roster(days, state, cell), cost + p.constant)
                for cost, state, cell in sorted(ends, key=lambda end: end[0])[:count]]

    def _roster(self, days: list[_Day], state: State, cell: tuple[int, ...]) -> frozenset[int]:
        """The shifts of the path into `state`'s `cell` on the last day: each day, a step
        whose source cell plus its cost is the cell's value (the same sum, so exactly)."""
        chosen: set[int] = set()
        for day in range(len(days) - 1, 0, -1):
            value, before = days[day].values[state][cell], days[day - 1].values
            found = next(((step, source) for step in days[day].steps[state]
                          for source in self._sources(cell, step.offsets)
                          if min(source) >= 0 and before[step.state][source] + step.cost == value),
                         None)
            if found is None:
                raise AssertionError("no step reaches a cell of the programme")
            step, source = found
            if step.si != _OFF:
                chosen.add(step.si)
            state, cell = step.state, source
        return frozenset(chosen)

    def _sources(self, cell: tuple[int, ...], offsets: tuple[int, ...]) -> list[tuple[int, ...]]:
        """The cells a step moving `offsets` may come from into `cell`: two where the step
        stays at the saturating axis's last cell."""
        source = tuple(c - o for c, o in zip(cell, offsets, strict=True))
        axis = self.saturating
        if axis is None or not offsets[axis] or cell[axis] != self.shape[axis] - 1:
            return [source]
        return [source, (*source[:axis], cell[axis], *source[axis + 1:])]


class DaysPricer:
    """As `pricing.Pricer`: by `Days` where it models the person, counting a kind from the
    first answer that breaks its limit on; by CP-SAT otherwise."""

    def __init__(self, problem: Problem, pi: int, mine: Sequence[int]) -> None:
        self.problem = problem
        self.pi = pi
        self.mine = list(mine)
        self.person = Person(problem, pi, self.mine)
        days = Days(self.person)
        self.days = days if days.models() else None
        self._cp_sat: Pricer | None = None
        self.cp_sat_calls = 0
        """Calls answered by CP-SAT: the person has a rule `Days` does not model, or counting
        a kind whose limit an answer broke would make its arrays too large."""

    def column(self, shifts: frozenset[int]) -> Column:
        return priced_column(self.problem, self.pi, shifts)

    def price(
        self, duals: Sequence[float], mu: float, limit_s: float, seed: int
    ) -> tuple[list[Column], float | None]:
        found = self.best(duals, ROSTERS_PER_CALL)
        if found is not None:
            if not found:
                return [], None
            # As CP-SAT's: the best last.
            return [self.column(shifts) for shifts, _ in reversed(found)], found[0][1] - mu
        self.cp_sat_calls += 1
        if self._cp_sat is None:
            self._cp_sat = Pricer(self.problem, self.pi, self.mine)
        return self._cp_sat.price(duals, mu, limit_s, seed)

    def best(
        self,
        duals: Mapping[int, float] | Sequence[float],
        count: int,
        half_weekend: float = 0.0,
        deadline: float | None = None,
    ) -> list[tuple[frozenset[int], float]] | None:
        """`Days.best` within every per-kind limit, the best first; None where `Days` does not
        model the person (or no longer: counting the kinds an answer broke would make its
        arrays too large)."""
        while self.days is not None:
            found = self.days.best(duals, count, half_weekend, deadline)
            broken = self._over_limit(found[0][0]) if found else set()
            if not broken:
                return [(shifts, cost) for shifts, cost in found if not self._over_limit(shifts)]
            counting = Days(self.person, (*self.days.counted, *sorted(broken)))
            self.days = counting if counting.models() else None
        return None

    def _over_limit(self, shifts: frozenset[int]) -> set[str]:
        """The kinds `shifts` has more of than the person's limit allows."""
        limits = self.problem.professionals[self.pi].max_shifts_per_kind
        counts: dict[str, int] = {}
        for si in shifts:
            kind = self.problem.shifts[si].kind
            counts[kind] = counts.get(kind, 0) + 1
        return {kind for kind, count in counts.items() if kind in limits and count > limits[kind]}


_IN_PROCESS: dict[int, DaysPricer] = {}
_PROBLEM: list[tuple[Problem, Sequence[Sequence[int]]]] = []


def start_process(problem: Problem, shifts_of: Sequence[Sequence[int]]) -> None:
    """Set up a pricing process (`colgen` runs the programme in processes, as it holds the
    GIL): the problem, once; each person's pricer is made at its first call."""
    _PROBLEM[:] = [(problem, shifts_of)]
    _IN_PROCESS.clear()


def price_in_process(
    pi: int, duals: Sequence[float], mu: float, limit_s: float, seed: int
) -> tuple[list[Column], float | None]:
    """`DaysPricer.price` for person `pi`, in a process `start_process` set up."""
    if pi not in _IN_PROCESS:
        problem, shifts_of = _PROBLEM[0]
        _IN_PROCESS[pi] = DaysPricer(problem, pi, shifts_of[pi])
    return _IN_PROCESS[pi].price(duals, mu, limit_s, seed)
