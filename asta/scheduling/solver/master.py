"""The master LP of column generation: one roster per person, cover priced per shift.

    minimise   sum(cost * lambda) + sum(under_weight * under + over_weight * over)
    subject to sum(lambda of person p) = 1                       (dual mu_p)
               sum(lambda covering s) + under_s - over_s = positions_s   (dual pi_s)

Where more people could work a shift than it takes, staff beyond its capacity
is allowed in the LP at a prohibitive price, so that fixing rosters during a
dive never makes the LP infeasible; a dive whose rosters break a capacity is
thrown away (`fits`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from asta.scheduling.evaluator import person_cost
from asta.scheduling.problem import Problem

_SOLVED = (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
_FROM_SCRATCH = pywraplp.MPSolverParameters()
_FROM_SCRATCH.SetIntegerParam(
    pywraplp.MPSolverParameters.INCREMENTALITY, pywraplp.MPSolverParameters.INCREMENTALITY_OFF
)

BEYOND_CAPACITY = 100
"""Price of staff beyond capacity, per unit of the shift's under-cover price.
(Much larger prices make GLOP's answers imprecise.)"""


class MasterNotSolved(RuntimeError):
    """GLOP gave no optimum, even from scratch (numerical trouble). In the root, column
    generation is abandoned; in the dive, the LP's last answer finishes it."""


@dataclass(frozen=True, slots=True)
class Column:
    """One legal roster of one person: shift indices, and its own penalties."""

    person: int
    shifts: frozenset[int]
    cost: int

    def reduced_cost(self, duals: Sequence[float], mu: Sequence[float]) -> float:
        return self.cost - sum(duals[si] for si in self.shifts) - mu[self.person]


def priced_column(problem: Problem, pi: int, shifts: frozenset[int]) -> Column:
    """Person `pi`'s roster `shifts` at its own penalties."""
    mine = [problem.shifts[si] for si in sorted(shifts)]
    return Column(pi, shifts, person_cost(problem, problem.professionals[pi], mine))


@dataclass(frozen=True, slots=True)
class Solution:
    value: float
    mu: list[float]
    duals: list[float]
    weights: list[float]
    """Per column, in `Master.columns` order."""


class Master:
    def __init__(self, problem: Problem, candidates: Sequence[int]) -> None:
        """`candidates`: how many people could work each shift."""
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        lp = self.lp
        objective = lp.Objective()
        objective.SetMinimization()
        w = problem.weights
        self.convexity = [lp.Constraint(1.0, 1.0) for _ in problem.professionals]
        self.cover: list[pywraplp.Constraint] = []
        self.capacity = [shift.capacity for shift in problem.shifts]
        for shift in problem.shifts:
            row = lp.Constraint(shift.positions, shift.positions)
            under = lp.NumVar(0.0, shift.positions, "")
            over = lp.NumVar(0.0, shift.capacity - shift.positions, "")
            row.SetCoefficient(under, 1.0)
            row.SetCoefficient(over, -1.0)
            objective.SetCoefficient(under, w.fill * shift.under_weight)
            objective.SetCoefficient(over, w.over_cover * shift.over_weight)
            if candidates[len(self.cover)] > shift.capacity:
                excess = lp.NumVar(0.0, lp.infinity(), "")
                row.SetCoefficient(excess, -1.0)
                price = BEYOND_CAPACITY * (w.fill * shift.under_weight + w.over_cover * shift.over_weight + 1)
                objective.SetCoefficient(excess, price)
            self.cover.append(row)
        self.columns: list[Column] = []
        self.variables: list[pywraplp.Variable] = []
        self.known: set[tuple[int, frozenset[int]]] = set()

    def add(self, column: Column) -> int:
        """Add a column unless it is known; returns how many were added (0 or 1)."""
        key = (column.person, column.shifts)
        if key in self.known:
            return 0
        self.known.add(key)
        # No upper bound of 1 (convexity implies it): a column at a bound could
        # keep a negative reduced cost, and pricing would find it again and again.
        var = self.lp.NumVar(0.0, self.lp.infinity(), "")
        self.lp.Objective().SetCoefficient(var, column.cost)
        self.convexity[column.person].SetCoefficient(var, 1.0)
        for si in column.shifts:
            self.cover[si].SetCoefficient(var, 1.0)
        self.columns.append(column)
        self.variables.append(var)
        return 1

    def has_column_for_everyone(self) -> bool:
        return {c.person for c in self.columns} == set(range(len(self.convexity)))

    def solve(self) -> Solution:
        """The LP's optimum; raises `MasterNotSolved` if GLOP fails even from scratch."""
        code = self.lp.Solve()
        if code not in _SOLVED:
            # GLOP warm-started from the last basis now and then ends ABNORMAL deep in a
            # dive (Instance8: 1 run of 43, 1 of a bisect's 12): try once from scratch.
            code = self.lp.Solve(_FROM_SCRATCH)
        if code not in _SOLVED:
            raise MasterNotSolved(f"master LP not solved (status {code})")
        return Solution(
            value=self.lp.Objective().Value(),
            mu=[row.dual_value() for row in self.convexity],
            duals=[row.dual_value() for row in self.cover],
            weights=[var.solution_value() for var in self.variables],
        )

    def surest(
        self, solution: Solution, fixed: set[int], sure: float, at_least: int
    ) -> list[tuple[int, Column]]:
        """Each unfixed person's heaviest column if it weighs at least `sure`, and
        the `at_least` heaviest in any case (so that every dive step fixes somebody)."""
        best: dict[int, tuple[float, Column]] = {}
        # Columns added since `solution` was found have no weight in it.
        for column, weight in zip(self.columns[: len(solution.weights)], solution.weights, strict=True):
            if column.person not in fixed and weight > best.get(column.person, (-1.0, column))[0]:
                best[column.person] = (weight, column)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        return [
            (pi, column)
            for k, (pi, (weight, column)) in enumerate(ranked)
            if weight >= sure or k < at_least
        ]

    def fix(self, chosen: Column) -> None:
        """Keep only `chosen` among its person's columns (nobody prices for them any more)."""
        for column, var in zip(self.columns, self.variables, strict=True):
            if column.person == chosen.person:
                value = 1.0 if column is chosen else 0.0
                var.SetBounds(value, value)

    def fits(self, chosen: Iterable[Column]) -> bool:
        """Whether these rosters together keep every shift within its capacity."""
        staff = Counter(si for column in chosen for si in column.shifts)
        return all(count <= self.capacity[si] for si, count in staff.items())


def rosters_by_person(people: int, values: dict[tuple[int, int], int]) -> list[set[int]]:
    """Each person's shifts in a solution's values (person, shift) -> 0/1: their columns."""
    mine: list[set[int]] = [set() for _ in range(people)]
    for (pi, si), value in values.items():
        if value:
            mine[pi].add(si)
    return mine
