"""Fills: moves that change cover, checked day by day like the trades.

The descent re-rosters one person at a time with a capped labelling, so it can miss a
move as plain as "someone free that day, with minutes to spare, takes the open
position": a 60-s roster of synthetic 150 x 52 x 32 (69,620) still had six, 600 in all.
A fill tries, for each open position, everybody who may work it:
- take it on a day off (with the neighbouring day too where a run would be too short);
- take it instead of their shift that day, which is over-covered or which somebody off
  that day takes over;
- take it instead of an over-covered shift of theirs on another day.
A move is made, then every cell it touched is checked by `Trades.legal` on the roster it
left, and it is undone unless that roster keeps every rule and costs less.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from asta.scheduling.evaluator import cover_costs, evaluate
from asta.scheduling.problem import Problem
from asta.scheduling.solver.lns import Incumbent, Values, assigned
from asta.scheduling.solver.trades import OFF, Trades, tradeable

Step = tuple[int, int, list[int]]
"""(person, first day, the shifts (or OFF) they work from that day on after the step)."""


class Fills(Trades):
    """The trades' grid with each shift's staff kept too, and moves that change it."""

    def __init__(self, problem: Problem, shifts_of: Sequence[Sequence[int]], values: Values) -> None:
        super().__init__(problem, shifts_of, values)
        shifts = problem.shifts
        self.staff = [0] * len(shifts)
        self.takers: list[list[int]] = [[] for _ in shifts]
        for pi, mine in enumerate(shifts_of):
            for si in mine:
                self.takers[si].append(pi)
        for row in self.cell:
            for si in row:
                if si != OFF:
                    self.staff[si] += 1
        self.on_day: list[list[int]] = [[] for _ in range(self.days)]
        for si, s in enumerate(shifts):
            self.on_day[s.day].append(si)
        self.over = {si for si, s in enumerate(shifts) if self.staff[si] > s.positions}
        """The shifts with more staff than positions."""

    def addable(self, si: int) -> int | None:
        """What one more person on shift `si` costs; None past its capacity."""
        s = self.problem.shifts[si]
        staff = self.staff[si]
        if staff >= s.capacity:
            return None
        w = self.problem.weights
        return sum(cover_costs(w, s, staff + 1)) - sum(cover_costs(w, s, staff))

    def _set(self, pi: int, day: int, si: int) -> None:
        old = self.cell[pi][day]
        if old != OFF:
            self._count(pi, old, -1)
            self._staff(old, -1)
        if si != OFF:
            self._count(pi, si, 1)
            self._staff(si, 1)
        self.cell[pi][day] = si

    def _staff(self, si: int, delta: int) -> None:
        self.staff[si] += delta
        if self.staff[si] > self.problem.shifts[si].positions:
            self.over.add(si)
        else:
            self.over.discard(si)

    def try_steps(self, steps: Sequence[Step]) -> int | None:
        """Apply `steps` if the roster they leave keeps every rule and costs less; the
        change, or None (the roster unchanged)."""
        cells = {(pi, day) for pi, first, incoming in steps for day in range(first, first + len(incoming))}
        if not all(self._may_set(pi, day, si) for pi, first, incoming in steps
                   for day, si in enumerate(incoming, start=first)):
            return None
        shifts = {si for pi, day in cells for si in (self.cell[pi][day], *self._incoming(steps, pi, day))}
        shifts.discard(OFF)
        before = self._cost_of(cells, shifts)
        done = [(pi, first, self.cell[pi][first:first + len(incoming)]) for pi, first, incoming in steps]
        for pi, first, incoming in steps:
            self._put(pi, first, incoming)
        problem = self.problem
        if all(self.staff[si] <= problem.shifts[si].capacity for si in shifts) and all(
            self.legal(pi, day, day, [self.cell[pi][day]]) for pi, day in cells
        ):
            change = self._cost_of(cells, shifts) - before
            if change < 0:
                return change
        self._undo(done)
        return None

    @staticmethod
    def _incoming(steps: Sequence[Step], pi: int, day: int) -> list[int]:
        return [incoming[day - first] for qi, first, incoming in steps
                if qi == pi and first <= day < first + len(incoming)]

    def _cost_of(self, cells: set[tuple[int, int]], shifts: set[int]) -> int:
        w = self.problem.weights
        cover = sum(sum(cover_costs(w, self.problem.shifts[si], self.staff[si])) for si in shifts)
        return cover + sum(self.cost(pi, day, self.cell[pi][day]) for pi, day in cells)

    def _put(self, pi: int, first: int, incoming: list[int]) -> None:
        for day, si in enumerate(incoming, start=first):
            self._set(pi, day, si)

    def _undo(self, done: list[Step]) -> None:
        for pi, first, before in reversed(done):
            self._put(pi, first, before)

    def fill(self, si: int) -> int | None:
        """The first move that fills a position of open shift `si` and lowers the
        objective, made; its change, or None."""
        day = self.day_of[si]
        for pi in self.takers[si]:
            old = self.cell[pi][day]
            if old == si or day in self.pinned[pi]:
                continue
            for steps in self._moves(pi, day, si, old):
                change = self.try_steps(steps)
                if change is not None:
                    return change
        return None

    def _moves(self, pi: int, day: int, si: int, old: int) -> list[list[Step]]:
        spare = self._spare(pi) + (self.minutes_of[old] if old != OFF else 0) - self.minutes_of[si]
        moves: list[list[Step]] = []
        if spare >= 0:
            moves.append([(pi, day, [si])])
            if old == OFF:
                moves.extend(self._with_neighbour(pi, day, si))
            else:
                moves.extend([(pi, day, [si]), (qi, day, [old])] for qi in self.takers[old]
                             if self.cell[qi][day] == OFF and self._spare(qi) >= self.minutes_of[old])
        moves.extend([(pi, self.day_of[over], [OFF]), (pi, day, [si])] for over in self._over_covered(pi)
                     if spare + self.minutes_of[over] >= 0 and self.day_of[over] != day)
        return moves

    def _with_neighbour(self, pi: int, day: int, si: int) -> list[list[Step]]:
        """Taking `si` on a day off and the day before or after it, where one day alone
        would make a run too short: the neighbour's two shifts that cost cover least."""
        if self.problem.professionals[pi].min_consecutive_days < 2:
            return []
        moves: list[list[Step]] = []
        for other_day in (day - 1, day + 1):
            if not 0 <= other_day < self.days or self.cell[pi][other_day] != OFF:
                continue
            allowed = self.allowed[pi]
            costs = {other: self.addable(other) for other in self.on_day[other_day] if other in allowed}
            cheapest = sorted((cost, other) for other, cost in costs.items() if cost is not None)[:2]
            for _, other in cheapest:
                pair = [other, si] if other_day < day else [si, other]
                moves.append([(pi, min(day, other_day), pair)])
        return moves

    def _over_covered(self, pi: int) -> list[int]:
        row = self.cell[pi]
        return [si for si in self.over if row[self.day_of[si]] == si]

    def _spare(self, pi: int) -> int:
        limit = self.problem.professionals[pi].max_minutes
        return (1 << 40) if limit is None else limit - self.minutes[pi]

    def open_shifts(self) -> list[int]:
        return [si for si, s in enumerate(self.problem.shifts)
                if self.staff[si] < s.positions and s.under_weight and self.problem.weights.fill]

    def fill_all(self, deadline: float) -> int:
        """Fill open positions until none can be or the deadline; the objective's total drop."""
        gained = 0
        better = True
        while better and time.monotonic() < deadline:
            better = False
            for si in self.open_shifts():
                if time.monotonic() >= deadline:
                    break
                change = self.fill(si)
                if change is not None:
                    gained -= change
                    better = True
        return gained

    def improve(self, deadline: float, rng: random.Random) -> int:
        """Fills, then trades, again while the trades make room, until nothing helps or
        the deadline; the objective's total drop."""
        gained = 0
        while time.monotonic() < deadline:
            filled = self.fill_all(deadline)
            traded = super().improve(deadline, rng)
            gained += filled + traded
            if not traded:
                break
        return gained


def closing_moves(
    problem: Problem, shifts_of: Sequence[Sequence[int]], incumbent: Incumbent, deadline: float, seed: int
) -> tuple[Incumbent, int]:
    """`incumbent` after the fills and trades that lower its objective, checked by the
    evaluator on the whole roster, and what they took off."""
    if not tradeable(problem) or time.monotonic() >= deadline - 0.05:
        return incumbent, 0
    moves = Fills(problem, shifts_of, incumbent.values)
    gained = moves.improve(deadline - 0.05, random.Random(seed))
    if not gained:
        return incumbent, 0
    values = dict.fromkeys(incumbent.values, 0)
    values.update(moves.values())
    check = evaluate(problem, assigned(problem, values))
    if check.violations or check.objective != incumbent.objective - gained:
        return incumbent, 0  # a rule the moves do not model (should not happen)
    return Incumbent(values, check.objective), gained
