"""The master LP with series continuity: per-series choices link people's rosters.

Series continuity (`constraints.goals.series_continuity`) charges `continuity` per
person used in a series beyond the first, so it couples people and is not a cost
of one roster. On top of `master.Master` it is modelled as

    y[S, p] >= sum(lambda of p's rosters that work some shift of S)   (dual sigma[S, p] >= 0)
    a[S]    <= sum_p y[S, p],  0 <= a[S] <= 1, 0 <= y <= 1
    objective += continuity * (sum_p y[S, p] - a[S])

which on whole rosters is exactly the goal (y is 1 for the people who work the
series, a for a series anybody works). A roster's reduced cost is then its cost,
less the cover duals of its shifts and the person's convexity dual, plus sigma of
each series it touches: `series_pricing` prices that exactly. (One row per shift
instead, y[S, p] >= lambda covering s, keeps pricing additive but is weaker: a
person mixing rosters that split a series pays for it only once; on eight small
runs proven optimal by CP-SAT it left the bound 1-19 below the optimum on five,
this one on one, by 1.)
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.linear_solver import linear_solver_pb2, pywraplp

from asta.scheduling.problem import Problem
from asta.scheduling.solver.highs_lp import LpOptimum, solve_lp
from asta.scheduling.solver.master import Column, Master, MasterNotSolved, Solution

HIGHS_FROM = 50_000
"""Variables from which the master goes to HiGHS rather than GLOP (see `SeriesMaster.solve`)."""


def series_members(problem: Problem, staff_of: Sequence[Sequence[int]]) -> list[list[int]]:
    """Shift indices per series that more than one person could work (others cost nothing)."""
    members: dict[str, list[int]] = defaultdict(list)
    for si, shift in enumerate(problem.shifts):
        if shift.series is not None:
            members[shift.series].append(si)
    return [
        shifts
        for shifts in members.values()
        if len({pi for si in shifts for pi in staff_of[si]}) > 1
    ]


class SeriesMaster(Master):
    def __init__(self, problem: Problem, staff_of: Sequence[Sequence[int]]) -> None:
        super().__init__(problem, [len(staff) for staff in staff_of])
        lp, weight = self.lp, float(problem.weights.continuity)
        objective = lp.Objective()
        self.series = series_members(problem, staff_of)
        self.series_of: dict[int, int] = {si: k for k, shifts in enumerate(self.series) for si in shifts}
        """Shift index -> index of its series in `series`."""
        self.links: dict[tuple[int, int], pywraplp.Constraint] = {}
        """(person, series) -> the row tying the person's choice of the series to their rosters."""
        self.choices: list[pywraplp.Variable] = []
        for k, shifts in enumerate(self.series):
            anyone = lp.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(anyone, -weight)
            used = lp.Constraint(0.0, lp.infinity())
            used.SetCoefficient(anyone, -1.0)
            for pi in sorted({pi for si in shifts for pi in staff_of[si]}):
                chosen = lp.NumVar(0.0, 1.0, "")
                objective.SetCoefficient(chosen, weight)
                used.SetCoefficient(chosen, 1.0)
                self.choices.append(chosen)
                row = lp.Constraint(0.0, lp.infinity())
                row.SetCoefficient(chosen, 1.0)
                self.links[pi, k] = row
        self.person_links: dict[int, list[tuple[int, pywraplp.Constraint]]] = defaultdict(list)
        for (pi, k), row in self.links.items():
            self.person_links[pi].append((k, row))
        self.row_duals: Sequence[float] = ()
        self.values: Sequence[float] = ()
        """The last solve's duals per row and values per variable, by index."""

    def solve(self, deadline: float = math.inf) -> Solution:
        """The LP's optimum on a fresh copy of the master, by `deadline`.

        Raises `MasterNotSolved` when no optimum is proven in time: duals short of the
        optimum would not give a proven bound. A pywraplp solver kept from round to round
        took 35-53 s a solve at 5,000 people, warm or from scratch. Afresh, GLOP's dual
        simplex is the faster on small masters (2,000 people, 25,000 columns: about 1 s
        against HiGHS's 2 s, and its prices take fewer rounds), HiGHS's barrier on large
        ones (5,000 people: 10-12 s early and 40-50 s past 50,000 columns, against 3-19 s
        up to 110,000; twenty-third and twenty-fifth passes).
        """
        model = linear_solver_pb2.MPModelProto()
        self.lp.ExportModelToProto(model)
        left = deadline - time.monotonic()
        optimum = solve_lp(model, left) if len(model.variable) >= HIGHS_FROM else _by_glop(model, left)
        if optimum is None:
            raise MasterNotSolved("master LP not solved in the time left")
        self.row_duals, self.values = optimum.duals, optimum.values
        return Solution(
            value=optimum.value,
            mu=[self.row_duals[row.index()] for row in self.convexity],
            duals=[self.row_duals[row.index()] for row in self.cover],
            weights=[self.values[var.index()] for var in self.variables],
        )

    def touched(self, column: Column) -> set[int]:
        """The series (indices) a roster works some shift of."""
        return {self.series_of[si] for si in column.shifts if si in self.series_of}

    def add(self, column: Column) -> int:
        if not super().add(column):
            return 0
        var = self.variables[-1]
        for k in self.touched(column):
            self.links[column.person, k].SetCoefficient(var, -1.0)
        return 1

    def sigmas(self) -> list[dict[int, float]]:
        """Per person, the dual of each series row (read right after `solve`)."""
        return [
            {k: self.row_duals[row.index()] for k, row in self.person_links.get(pi, [])}
            for pi in range(len(self.convexity))
        ]

    def reduced_cost(
        self, column: Column, duals: Sequence[float], mu: Sequence[float], sigma: dict[int, float]
    ) -> float:
        touched = sum(sigma.get(k, 0.0) for k in self.touched(column))
        return column.reduced_cost(duals, mu) + touched

    def integral(self, solution: Solution) -> bool:
        """Whether the LP optimum picks one whole roster per person and whole choices."""
        values = [*solution.weights, *(self.values[var.index()] for var in self.choices)]
        return all(min(v, 1.0 - v) < 1e-6 for v in values)


def _by_glop(model: linear_solver_pb2.MPModelProto, time_limit_s: float) -> LpOptimum | None:
    if time_limit_s <= 0:
        return None
    request = linear_solver_pb2.MPModelRequest(
        model=model,
        solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_specific_parameters="use_dual_simplex: true",
    )
    if math.isfinite(time_limit_s):
        request.solver_time_limit_seconds = time_limit_s
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        return None
    return LpOptimum(response.objective_value, list(response.dual_value), list(response.variable_value))
