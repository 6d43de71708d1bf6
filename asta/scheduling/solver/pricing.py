"""The pricing problem of column generation: one person's best roster at given prices.

The person's own model is built once from the same rule functions as the
whole model, on a copy of the problem in which their candidate shifts carry no
cover penalty; each call only replaces the objective with their own penalties
minus the dual price of every shift they work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from asta.scheduling.problem import Problem
from asta.scheduling.solver.built import build
from asta.scheduling.solver.cp import new_solver
from asta.scheduling.solver.master import Column, priced_column

SCALE = 1000
"""Duals are real numbers; CP-SAT wants integral objective coefficients."""
ROSTERS_PER_CALL = 4


class Pricer:
    def __init__(self, problem: Problem, pi: int, mine: Sequence[int]) -> None:
        self.problem = problem
        self.pi = pi
        self.mine = list(mine)
        self.professional = problem.professionals[pi]
        neutral = tuple(
            replace(problem.shifts[si], positions=0, under_weight=0, over_weight=0, max_staff=1)
            for si in self.mine
        )
        own = replace(
            problem,
            shifts=neutral,
            professionals=(replace(self.professional, eligible=None),),
            fixed=frozenset(pair for pair in problem.fixed if pair[0] == self.professional.id),
            days=problem.horizon_days,
        )
        built = build(own)
        self.model = built.model
        self.own = built.objective
        self.slots = [(si, self.model.x[0, k]) for k, si in enumerate(self.mine) if (0, k) in self.model.x]

    def column(self, shifts: frozenset[int]) -> Column:
        return priced_column(self.problem, self.pi, shifts)

    def price(
        self, duals: Sequence[float], mu: float, limit_s: float, seed: int
    ) -> tuple[list[Column], float | None]:
        """Rosters found on the way to the best one (best last), and a proven lower
        bound on any roster's reduced cost.

        The bound is None when the search was cut short; the list is empty when
        no roster was found (or none exists).
        """
        slots = self.slots
        coefficients = [round(SCALE * duals[si]) for si, _ in slots]
        prices = cp_model.LinearExpr.weighted_sum([x for _, x in slots], coefficients)
        self.model.cp.minimize(SCALE * self.own - prices)
        solver = new_solver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.01, limit_s)
        solver.parameters.random_seed = seed
        # The run clauses in the LP prove a one-person roster optimal quickly (measured).
        solver.parameters.linearization_level = 2
        found = _Rosters(slots)
        code = solver.solve(self.model.cp, found)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [], None
        # Earlier solutions are columns too: more columns per round, fewer rounds (measured).
        columns = [self.column(shifts) for shifts in found.rosters[-ROSTERS_PER_CALL:]]
        if code != cp_model.OPTIMAL:
            return columns, None
        # Rounding each price moved each term by at most half a unit.
        slack = 0.5 * len(slots) / SCALE
        return columns, solver.best_objective_bound / SCALE - mu - slack


class _Rosters(cp_model.CpSolverSolutionCallback):
    def __init__(self, slots: list[tuple[int, cp_model.IntVar]]) -> None:
        super().__init__()
        self.slots = slots
        self.rosters: list[frozenset[int]] = []

    def on_solution_callback(self) -> None:
        self.rosters.append(frozenset(si for si, x in self.slots if self.boolean_value(x)))
