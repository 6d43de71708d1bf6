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
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from asta.scheduling.problem import Problem, is_weekend
from asta.scheduling.solver.labelling import Late, Person
from asta.scheduling.solver.master import Column, priced_column
from asta.scheduling.solver.pricing import ROSTERS_PER_CALL, Pricer

MAX_CELLS = 20_000
"""Cells of one state's array (minute steps x weekends x counts), at most: beyond it (52
weeks in minutes of a quarter hour) memory and time grow past what pricing is worth."""

State = tuple[int, bool, int, str | None]
"""(run of work days, run exempt from its minimum, run of days off, yesterday's kind)."""


@dataclass(frozen=True, slots=True)
class _Step:
    row: int
    source: int
    offset: int
    saturates: bool
    group: int


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the duals do not change: each day's states and the steps into them.

    A state's cells are one row of a day's matrix, flattened with room at the end of every
    axis for what a step moves past its limit (cleared after each day), so a step is a
    shift of the whole row by one offset. A day's steps are gathered rank by rank (each
    state's first step, then the second step of the states that have one, and so on:
    states with the most steps first), so each rank's minimum with the ranks before is one
    array operation on a slice. A step into many cells thus costs an array operation or
    two, where a step per state took a dozen. `group` of a step is the call's cost of what
    it does: a day off or the cheapest shift of one kind and length that day."""

    states: list[list[State]]
    """Per day, the states at its end; index 0 is before the first day."""
    steps: list[np.ndarray]
    """Per day (from the first), its steps, rank by rank."""
    reads: list[np.ndarray]
    """Where the same steps' source cells begin in `Days.best`'s room (the previous day's
    states, a margin before each)."""
    ranks: list[tuple[int, ...]]
    """Per day, how many states have a second step, a third, and so on."""
    into: list[list[list[_Step]]]
    """Per day and state, its steps (to read a roster back)."""
    groups: list[tuple[int, int]]
    """Each shift group's members, [first, last) in `members`."""
    source: np.ndarray
    offset: np.ndarray
    group: np.ndarray
    charged: np.ndarray
    """Whether a step pays the day's half-weekend charge."""
    saturates: np.ndarray
    """Whether a step moves along the saturating axis."""
    day_of: np.ndarray
    members: list[int]
    """The shifts of every shift group, group by group (groups first, then days off)."""
    member_starts: np.ndarray
    base: np.ndarray
    """Each member's cost before its dual."""
    off_costs: np.ndarray
    """The cost of each day off (the groups after the shift groups)."""


_SCRATCH = threading.local()


def _history(shape: tuple[int, int, int]) -> np.ndarray:
    """Room for a call's days, reused by the thread's next call: memory fresh from the system
    for every call (tens of megabytes on 26 weeks) costs more than the programme itself
    (Instance20: 179 ms a call against 33 ms)."""
    size = math.prod(shape)
    held = getattr(_SCRATCH, "held", None)
    if held is None or held.size < size:
        held = _SCRATCH.held = np.empty(size)
    return held[:size].reshape(shape)


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
        longest = max((shifts[si].minutes // self.unit for si in person.mine), default=0)
        pads = (int(self.shape[0] > 1), longest if person.track_minutes else 0, *(1 for _ in counted))
        self.padded = tuple(n + pad for n, pad in zip(self.shape, pads, strict=True))
        self.strides = tuple(math.prod(self.padded[a + 1:]) for a in range(len(self.padded)))
        self.cells = math.prod(self.padded)
        self.margin = sum(pad * stride for pad, stride in zip(pads, self.strides, strict=True))
        """Room before a row, so that a step's source is a slice of the previous day's rows."""
        valid = np.zeros(self.padded, dtype=bool)
        valid[tuple(slice(0, n) for n in self.shape)] = True
        self.beyond = np.flatnonzero(~valid.ravel())
        """Cells past a limit on some axis."""
        self.last = np.zeros(0, dtype=np.intp)
        if self.saturating is not None:
            at_cap = np.zeros(self.padded, dtype=bool)
            at_cap[tuple(slice(n - 1, n) if a == self.saturating else slice(0, n)
                         for a, n in enumerate(self.shape))] = True
            self.last = np.flatnonzero(at_cap.ravel())
        self._plan: _Plan | None = None

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
        plan = self._plan = self._plan or self._planned()
        costs, members = self._costs(plan, duals, half_weekend)
        width = self.margin + self.cells
        room = np.full((max(map(len, plan.states)), width), math.inf)
        # Every step's source cells are a slice of `room`, where the previous day's rows are.
        windows = np.lib.stride_tricks.sliding_window_view(room.ravel(), self.cells)
        history = _history((len(plan.steps) + 1, len(room), self.cells))
        first = history[0, :1]
        first.fill(math.inf)
        first[0, 0] = 0.0
        values = [first]
        for day, steps in enumerate(plan.steps):
            if deadline is not None and time.monotonic() > deadline:
                raise Late
            if not steps.size:
                return []
            before = values[-1]
            room[:len(before), self.margin:] = before
            moved = windows[plan.reads[day]]
            moved += costs[steps, None]
            states = len(plan.states[day + 1])
            reached = history[day + 1, :states]
            np.copyto(reached, moved[:states])
            at = states
            for n in plan.ranks[day]:
                np.minimum(reached[:n], moved[at:at + n], out=reached[:n])
                at += n
            if self.saturating is not None:
                beyond_cap = self.last + self.strides[self.saturating]
                reached[:, self.last] = np.minimum(reached[:, self.last], reached[:, beyond_cap])
            reached[:, self.beyond] = math.inf
            values.append(reached)
        return self._answer(plan, values, costs, members, count)

    def _planned(self) -> _Plan:
        p = self.person
        strides = self.strides
        members: list[int] = []
        member_starts: list[int] = []
        moves: list[list[tuple[int, str, tuple[int, ...]]]] = []
        """Per day, each shift group: its index, kind and offsets along the array's axes."""
        others = self.complement[0] if self.complement else None
        for day in range(p.horizon):
            by_kind: dict[tuple[str, int], list[int]] = {}
            for s in p.by_day.get(day, ()):
                steps = s.minutes // self.unit if p.track_minutes else 0
                by_kind.setdefault((s.kind, steps), []).append(p.index[s.id])
            today = []
            for (kind, steps), mine in sorted(by_kind.items()):
                offsets = (steps, *(int(kind != c if c == others else kind == c) for c in self.counted))
                today.append((len(member_starts), kind, offsets))
                member_starts.append(len(members))
                members.extend(mine)
            moves.append(today)
        days_off = len(member_starts)  # the group of day d off is days_off + d
        start: State = (0, False, p.min_off, None)
        states: list[list[State]] = [[start]]
        columns: list[list[int]] = [[] for _ in range(6)]
        order: list[list[int]] = []
        ranks: list[tuple[int, ...]] = []
        intos: list[list[list[_Step]]] = []
        for day in range(p.horizon):
            steps_in: dict[State, list[tuple[int, ...]]] = {}
            sunday = self.weekend[day] and day > 0 and self.weekend[day - 1]
            for k, (run, exempt, off, yesterday) in enumerate(states[-1]):
                off_run = p.after_rest(run, exempt, off)
                if off_run is not None:
                    steps_in.setdefault((0, False, off_run, None), []).append(
                        (k, 0, days_off + day, int(bool(run)), 0, day))
                after = p.after_work(run, exempt, off, day)
                if after is None:
                    continue
                weekend = int(self.shape[0] > 1 and self.weekend[day] and not (sunday and run))
                for group, kind_of, offsets in moves[day]:
                    if yesterday is not None and (yesterday, kind_of) in p.successions:
                        continue
                    moved = (weekend, *offsets)
                    reached = (*after, 0, kind_of if p.successions else None)
                    to_cap = int(self.saturating is not None and moved[self.saturating] > 0)
                    steps_in.setdefault(reached, []).append(
                        (k, sum(m * s for m, s in zip(moved, strides, strict=True)), group,
                         int(not run), to_cap, day))
            # States with the most steps first; steps rank by rank.
            ordered = sorted(steps_in.items(), key=lambda item: -len(item[1]))
            into: list[list[_Step]] = []
            for _, state_steps in ordered:
                into.append([])
                for step in state_steps:
                    into[-1].append(_Step(len(columns[0]), step[0], step[1], bool(step[4]), step[2]))
                    for column, value in zip(columns, step, strict=True):
                        column.append(value)
            most = len(into[0]) if into else 0
            order.append([steps[rank].row for rank in range(most) for steps in into if rank < len(steps)])
            ranks.append(tuple(sum(rank < len(steps) for steps in into) for rank in range(1, most)))
            states.append([state for state, _ in ordered])
            intos.append(into)
        groups = list(zip(member_starts, [*member_starts[1:], len(members)], strict=True))
        source, offset, of_group, charged, saturates, day_of = (np.array(c, dtype=np.intp) for c in columns)
        width = self.margin + self.cells
        read = source * width + self.margin - offset
        by_rank = [np.array(rows, dtype=np.intp) for rows in order]
        return _Plan(
            states, by_rank, [read[rows] for rows in by_rank], ranks, intos, groups, source, offset, of_group,
            charged.astype(bool), saturates.astype(bool), day_of, members,
            np.array(member_starts, dtype=np.intp), np.array([p.base[si] for si in members]),
            np.array(p.off_cost, dtype=float),
        )

    def _costs(
        self, plan: _Plan, duals: Mapping[int, float] | Sequence[float], half_weekend: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each step's cost, and each member's of a shift group (cheapest of its group)."""
        p = self.person
        charge = p.charged(half_weekend)
        members = plan.base - np.fromiter((duals[si] for si in plan.members), float, len(plan.members))
        groups = np.concatenate((np.minimum.reduceat(members, plan.member_starts)
                                 if len(members) else np.zeros(0), plan.off_costs))
        # A weekend worked on one day of two, charged on its second day.
        second = np.array([charge if charge and p.second_weekend_day(day) else 0.0
                           for day in range(p.horizon)])
        costs = groups[plan.group] + np.where(plan.charged, second[plan.day_of], 0.0)
        return costs, members

    def _answer(
        self, plan: _Plan, values: list[np.ndarray], costs: np.ndarray, members: np.ndarray,
        count: int,
    ) -> list[tuple[frozenset[int], float]]:
        p = self.person
        prof, weights = p.prof, p.problem.weights
        minutes = np.arange(self.shape[1]) * self.unit
        extra = np.zeros(self.shape[1])
        if p.track_minutes:
            extra[minutes < prof.min_minutes] = math.inf
        if prof.wants_minutes is not None and weights.fairness:
            extra += weights.fairness * (np.abs(minutes - prof.wants_minutes) // 60)
        extra = extra.reshape((1, 1, -1) + (1,) * len(self.counted))
        axis = self.saturating
        if axis is not None:
            # n shifts, o of them others (o below the cap: exactly): n - o of the kind.
            along = [-1 if a == axis + 1 else 1 for a in range(len(self.shape) + 1)]
            others = np.arange(self.shape[axis]).reshape(along)
            worked = np.arange(self.shape[1]).reshape(extra.shape)
            over = others < worked - prof.max_shifts_per_kind[self.counted[axis - 2]]
            extra = extra + np.where(over, math.inf, 0.0)
        last = values[-1].reshape((-1, *self.padded))[(slice(None), *(slice(0, n) for n in self.shape))]
        total = (last + extra).reshape(len(last), -1)
        flat = total.ravel()
        flat_cells = np.argpartition(flat, count - 1)[:count] if count < len(flat) else range(len(flat))
        ends = sorted((float(flat[c]), int(c)) for c in flat_cells if math.isfinite(flat[c]))
        out = []
        listed = costs.tolist() if ends else []
        for cost, c in ends[:count]:
            state, cell = divmod(c, total.shape[1])
            padded = int(np.ravel_multi_index(np.unravel_index(cell, self.shape), self.padded))
            out.append((self._roster(plan, values, listed, members, state, padded), cost + p.constant))
        return out

    def _roster(
        self, plan: _Plan, values: list[np.ndarray], costs: list[float], members: np.ndarray,
        state: int, cell: int,
    ) -> frozenset[int]:
        """The shifts of the path into `state`'s `cell` on the last day: each day, a step
        whose source cell plus its cost is the cell's value (the same sum, so exactly)."""
        chosen: set[int] = set()
        at_cap = set(self.last.tolist())
        stride = 0 if self.saturating is None else self.strides[self.saturating]
        for day in range(len(plan.into) - 1, -1, -1):
            value, before = values[day + 1][state, cell], values[day]
            found = next(((step, source) for step in plan.into[day][state]
                          for source in self._sources(cell, step.offset, step.saturates and cell in at_cap,
                                                      stride)
                          if source >= 0 and before[step.source, source] + costs[step.row] == value),
                         None)
            if found is None:
                raise AssertionError("no step reaches a cell of the programme")
            step, cell = found
            state = step.source
            if step.group < len(plan.groups):
                first, last = plan.groups[step.group]
                chosen.add(plan.members[first if last == first + 1 else
                                        first + int(np.argmin(members[first:last]))])
        return frozenset(chosen)

    @staticmethod
    def _sources(cell: int, offset: int, at_cap: bool, stride: int) -> tuple[int, ...]:
        """The cells a step moving `offset` may come from into `cell`: two where it moved
        along the saturating axis into its last cell (it may have stayed there)."""
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
