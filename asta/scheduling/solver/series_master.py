"""The master LP with series continuity: per-series choice variables link people's rosters.

Series continuity (`constraints.goals.series_continuity`) charges `continuity` per
person used in a series beyond the first, so it couples people and is not a cost
of one roster. On top of `master.Master` it is modelled as

    y[S, p] >= sum(lambda of p's rosters working shift s)    for each s of S   (dual sigma >= 0)
    a[S]    <= sum_p y[S, p],  0 <= a[S] <= 1, 0 <= y <= 1
    objective += continuity * (sum_p y[S, p] - a[S])

which on whole rosters is exactly the goal (y is 1 for the people who work the
series, a for a series anybody works). One row per shift rather than one per
series keeps a roster's reduced cost a sum over its shifts: each person prices
shift s at `pi_s - sigma[S, p, s]`, so the existing pricers (`pricing`,
`label_pricing`) price columns unchanged and their proven minima stay exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import overload

from ortools.linear_solver import pywraplp

from asta.scheduling.problem import Problem
from asta.scheduling.solver.master import Column, Master, Solution


class PersonDuals(Sequence[float]):
    """One person's price per shift: the cover dual less their series-link dual."""

    def __init__(self, cover: Sequence[float], links: dict[int, float]) -> None:
        self.cover = cover
        self.links = links

    @overload
    def __getitem__(self, si: int) -> float: ...
    @overload
    def __getitem__(self, si: slice) -> Sequence[float]: ...
    def __getitem__(self, si: int | slice) -> float | Sequence[float]:
        if isinstance(si, slice):
            return [self[k] for k in range(len(self.cover))[si]]
        return self.cover[si] - self.links.get(si, 0.0)

    def __len__(self) -> int:
        return len(self.cover)

    def __iter__(self) -> Iterator[float]:
        return (self[k] for k in range(len(self.cover)))


def series_members(problem: Problem, staff_of: Sequence[Sequence[int]]) -> dict[str, list[int]]:
    """Shift indices per series that more than one person could work (others cost nothing)."""
    members: dict[str, list[int]] = defaultdict(list)
    for si, shift in enumerate(problem.shifts):
        if shift.series is not None:
            members[shift.series].append(si)
    return {
        name: shifts
        for name, shifts in members.items()
        if len({pi for si in shifts for pi in staff_of[si]}) > 1
    }


class SeriesMaster(Master):
    def __init__(self, problem: Problem, staff_of: Sequence[Sequence[int]]) -> None:
        super().__init__(problem, [len(staff) for staff in staff_of])
        lp, weight = self.lp, float(problem.weights.continuity)
        objective = lp.Objective()
        self.links: dict[tuple[int, int], pywraplp.Constraint] = {}
        """(person, shift) -> the row tying the person's series choice to their rosters."""
        self.choices: list[pywraplp.Variable] = []
        for shifts in series_members(problem, staff_of).values():
            anyone = lp.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(anyone, -weight)
            used = lp.Constraint(0.0, lp.infinity())
            used.SetCoefficient(anyone, -1.0)
            chosen: dict[int, pywraplp.Variable] = {}
            for si in shifts:
                for pi in staff_of[si]:
                    if pi not in chosen:
                        chosen[pi] = lp.NumVar(0.0, 1.0, "")
                        objective.SetCoefficient(chosen[pi], weight)
                        used.SetCoefficient(chosen[pi], 1.0)
                        self.choices.append(chosen[pi])
                    row = lp.Constraint(0.0, lp.infinity())
                    row.SetCoefficient(chosen[pi], 1.0)
                    self.links[pi, si] = row
        self.person_links: dict[int, list[tuple[int, pywraplp.Constraint]]] = defaultdict(list)
        for (pi, si), row in self.links.items():
            self.person_links[pi].append((si, row))

    def add(self, column: Column) -> int:
        if not super().add(column):
            return 0
        var = self.variables[-1]
        for si in column.shifts:
            row = self.links.get((column.person, si))
            if row is not None:
                row.SetCoefficient(var, -1.0)
        return 1

    def person_duals(self, solution: Solution) -> list[PersonDuals]:
        """Each person's shift prices at `solution` (read right after `solve`)."""
        people = len(self.convexity)
        out = []
        for pi in range(people):
            links = {si: row.dual_value() for si, row in self.person_links.get(pi, [])}
            out.append(PersonDuals(solution.duals, links))
        return out

    def integral(self, solution: Solution) -> bool:
        """Whether the LP optimum picks one whole roster per person and whole choices."""
        values = [*solution.weights, *(var.solution_value() for var in self.choices)]
        return all(min(v, 1.0 - v) < 1e-6 for v in values)
