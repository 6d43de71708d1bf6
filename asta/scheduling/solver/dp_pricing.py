"""Pricing by dynamic programming over one person's days, in arrays of minutes and weekends.

The labelling (`labelling.Person`) keeps every label apart, so a person with a minimum and a
maximum of minutes, a weekend limit and a per-kind limit has tens of thousands of labels a
day (Instance18, 12 weeks: 12.8 s a call, against CP-SAT's 0.9 s). Here the labels that
differ only in minutes worked, weekends used and shifts of a limited kind are one numpy array,
and a day's states are taken together in a few array operations (`dp_plan`). A kind is
counted only once an answer broke its limit (counting all costs time where none binds).
Where every shift of the person is one step of minutes, a high limit is kept by counting the
other shifts up to what the limit leaves (at most 43 late shifts of at most 54 is at least 11
others): a far shorter axis. A person with a rule this does not model (agreed shifts, weekly
minutes, rest that the successions do not already cover), or whose counts would make the
arrays too large, is priced by CP-SAT, so every call is exact. The construction's descent
asks it too, for each person's exact best roster against the others' cover
(`construct.descend`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping, Sequence

import numpy as np

from asta.scheduling.problem import Problem
from asta.scheduling.solver.dp_plan import Axes, Block, Plan, axes_of, plan_of
from asta.scheduling.solver.labelling import Late, Person
from asta.scheduling.solver.master import Column, priced_column
from asta.scheduling.solver.pricing import ROSTERS_PER_CALL, Pricer

MAX_CELLS = 20_000
"""Cells of one state's array (minute steps x weekends x counts), at most: beyond it (52
weeks in minutes of a quarter hour) memory and time grow past what pricing is worth."""

_SCRATCH = threading.local()
KEEP_BYTES = 128 << 20
"""The most a thread keeps between calls for the days' matrices (Instance20 needs 49 MB); a
larger call's are given back when it ends."""


def _history(shape: tuple[int, int, int]) -> np.ndarray:
    """Room for a call's days, reused by the thread's next call: memory fresh from the system
    costs more than the programme itself (Instance20: 33 ms a call reused, 58 ms with each
    day's matrix new, 179 ms with one new block a call)."""
    size = math.prod(shape)
    if size * 8 > KEEP_BYTES:
        return np.empty(shape)
    held = getattr(_SCRATCH, "held", None)
    if held is None or held.size < size:
        held = _SCRATCH.held = np.empty(size)
    return held[:size].reshape(shape)


class Days:
    """One person's rules, prepared once; `best` runs for given duals."""

    def __init__(self, person: Person, counted: tuple[str, ...] = ()) -> None:
        self.person = person
        self.axes = axes_of(person, counted)
        self._plan: Plan | None = None

    @property
    def counted(self) -> tuple[str, ...]:
        return self.axes.counted

    @property
    def shape(self) -> tuple[int, ...]:
        return self.axes.shape

    @property
    def complement(self) -> tuple[str, int] | None:
        return self.axes.complement

    @property
    def planned(self) -> bool:
        """Whether the first call, which plans the days' steps, has been made."""
        return self._plan is not None

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
        plan = self._plan = self._plan or plan_of(self.person, self.axes)
        axes = self.axes
        if plan.blocks is None:
            return []
        costs, members = self._costs(plan, duals, half_weekend)
        ranked = costs[plan.ranked]
        room = np.full((max(plan.sizes), axes.margin + axes.cells), math.inf)
        values = _history((len(plan.steps) + 1, len(room), axes.cells))
        values[0, 0] = math.inf
        values[0, 0, 0] = 0.0
        # A day's cells as weekend rows of minute steps (and counted kinds): only each day's
        # block (`Plan.blocks`) is computed, read and kept.
        by_row = (axes.padded[0], axes.strides[0])
        rooms = room[:, axes.margin:].reshape(len(room), *by_row)
        days = values.reshape(len(values), len(room), *by_row)
        flat, item = room.ravel(), room.itemsize
        positions, row_bytes = len(flat) - axes.cells + 1, axes.strides[0] * item
        saturating = axes.saturating
        beyond_cap = axes.last + axes.strides[saturating] if saturating is not None else axes.last
        blocks, at = plan.blocks, 0
        for day, steps in enumerate(plan.steps):
            if deadline is not None and time.monotonic() > deadline:
                raise Late
            if not steps.size:
                return []
            clear = plan.clears[day]
            if clear is not None:
                rooms[clear] = math.inf
            rooms[blocks[day]] = days[day][blocks[day]]
            # Every step's source cells are a block of `room`, where the previous day's rows are.
            _, rows, cells = reach = blocks[day + 1]
            windows = np.ndarray((positions, rows.stop, cells.stop - cells.start), float, flat,
                                 cells.start * item, (item, row_bytes, item))
            moved = windows[plan.reads[day]]
            moved += ranked[at:at + len(steps), None, None]
            at += len(steps)
            reached = days[day + 1][reach]
            np.copyto(reached, moved[:len(reached)])
            first = len(reached)
            for n in plan.ranks[day]:
                np.minimum(reached[:n], moved[first:first + n], out=reached[:n])
                first += n
            if axes.counted:  # past a kind's limit, within the block (the other axes' lie outside)
                reached = values[day + 1, :plan.sizes[day + 1]]
                if saturating is not None:
                    reached[:, axes.last] = np.minimum(reached[:, axes.last], reached[:, beyond_cap])
                reached[:, axes.beyond] = math.inf
        last = days[-1]
        ends = last[blocks[-1]].copy()
        last.fill(math.inf)
        last[blocks[-1]] = ends
        return self._answer(plan, values, costs, members, count)

    def _costs(
        self, plan: Plan, duals: Mapping[int, float] | Sequence[float], half_weekend: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each step's cost, and each member's of a shift group (cheapest of its group)."""
        p = self.person
        members = plan.base - np.fromiter((duals[si] for si in plan.members), float, len(plan.members))
        groups = np.concatenate((np.minimum.reduceat(members, plan.member_starts)
                                 if len(members) else np.zeros(0), plan.off_costs))
        costs = groups[plan.group] + np.where(plan.charged, p.charged(half_weekend), 0.0)
        return costs, members

    def _answer(
        self, plan: Plan, values: np.ndarray, costs: np.ndarray, members: np.ndarray, count: int
    ) -> list[tuple[frozenset[int], float]]:
        p, axes = self.person, self.axes
        prof, weights = p.prof, p.problem.weights
        minutes = np.arange(self.shape[1]) * axes.unit
        extra = np.zeros(self.shape[1])
        if p.track_minutes:
            extra[minutes < prof.min_minutes] = math.inf
        if prof.wants_minutes is not None and weights.fairness:
            extra += weights.fairness * (np.abs(minutes - prof.wants_minutes) // 60)
        extra = extra.reshape((1, 1, -1) + (1,) * len(self.counted))
        axis = axes.saturating
        if axis is not None:
            # n shifts, o of them others (o below the cap: exactly): n - o of the kind.
            along = [-1 if a == axis + 1 else 1 for a in range(len(self.shape) + 1)]
            others = np.arange(self.shape[axis]).reshape(along)
            worked = np.arange(self.shape[1]).reshape(extra.shape)
            over = others < worked - prof.max_shifts_per_kind[self.counted[axis - 2]]
            extra = extra + np.where(over, math.inf, 0.0)
        last = values[-1, :plan.sizes[-1]].reshape((-1, *axes.padded))
        total = (last[(slice(None), *(slice(0, n) for n in self.shape))] + extra).reshape(len(last), -1)
        ends: list[tuple[float, int, int]] = []
        for state in plan.natural:
            cells = np.argsort(total[state])[:count]
            ends.extend((float(total[state, cell]), state, int(cell)) for cell in cells
                        if math.isfinite(total[state, cell]))
        listed = costs.tolist() if ends else []
        # Each end (state and cell) is a different roster: its cheapest one.
        return [(self._roster(plan, values, listed, members, state,
                              int(np.ravel_multi_index(np.unravel_index(cell, self.shape), axes.padded))),
                 cost + p.constant)
                for cost, state, cell in sorted(ends, key=lambda end: end[0])[:count]]

    def _roster(
        self, plan: Plan, values: np.ndarray, costs: list[float], members: np.ndarray, state: int, cell: int
    ) -> frozenset[int]:
        """The shifts of the path into `state`'s `cell` on the last day: each day, a step
        whose source cell plus its cost is the cell's value (the same sum, so exactly)."""
        axes = self.axes
        chosen: set[int] = set()
        at_cap = set(axes.last.tolist())
        stride = 0 if axes.saturating is None else axes.strides[axes.saturating]
        groups = len(plan.member_starts)
        blocks = plan.blocks
        assert blocks is not None  # `best` answers nothing where no roster reaches the minimum
        for day in range(len(plan.steps) - 1, -1, -1):
            value, before, block = values[day + 1, state, cell], values[day], blocks[day]
            rows = range(int(plan.into[day][state]), int(plan.into[day][state + 1]))
            # Outside its block a day's cells hold whatever the memory held.
            found = next(((row, source) for row in rows
                          for source in _sources(cell, int(plan.offset[row]),
                                                 bool(plan.saturates[row]) and cell in at_cap, stride)
                          if source >= 0 and before[plan.source[row], source] + costs[row] == value
                          and _holds(block, source, axes)),
                         None)
            if found is None:
                raise AssertionError("no step reaches a cell of the programme")
            row, cell = found
            state = int(plan.source[row])
            group = int(plan.group[row])
            if group < groups:
                first = int(plan.member_starts[group])
                last = int(plan.member_starts[group + 1]) if group + 1 < groups else len(members)
                chosen.add(int(plan.members[first + int(np.argmin(members[first:last]))]))
        return frozenset(chosen)


def _holds(block: Block, cell: int, axes: Axes) -> bool:
    """Whether a state's `cell` lies in a day's `block`."""
    row, within = divmod(cell, axes.strides[0])
    rows, cells = block[1:]
    return bool(row < rows.stop and cells.start <= within < cells.stop)


def _sources(cell: int, offset: int, at_cap: bool, stride: int) -> tuple[int, ...]:
    """The cells a step moving `offset` may come from into `cell`: two where it moved along
    the saturating axis into its last cell (it may have stayed there)."""
    return (cell - offset, cell - offset + stride) if at_cap else (cell - offset,)


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
