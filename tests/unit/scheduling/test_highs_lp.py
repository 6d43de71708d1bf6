"""`highs_lp`: HiGHS's vertex optimum, with duals by row and values by variable index."""

from __future__ import annotations

import pytest
from ortools.linear_solver import linear_solver_pb2, pywraplp

from asta.scheduling.solver.highs_lp import solve_lp


def _exported(build: pywraplp.Solver) -> linear_solver_pb2.MPModelProto:
    model = linear_solver_pb2.MPModelProto()
    build.ExportModelToProto(model)
    return model


def test_the_optimum_comes_with_the_duals_of_its_rows() -> None:
    # min 3x + 2y + 4z  s.t.  x + y >= 2,  y + z >= 3,  y <= 1.5 (a bound), x, z >= 0.
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x, y, z = lp.NumVar(0, lp.infinity(), "x"), lp.NumVar(0, 1.5, "y"), lp.NumVar(0, lp.infinity(), "z")
    first = lp.Add(x + y >= 2)
    second = lp.Add(y + z >= 3)
    lp.Minimize(3 * x + 2 * y + 4 * z)
    optimum = solve_lp(_exported(lp))
    assert optimum is not None
    # y at its bound 1.5; x = 0.5 and z = 1.5 make up the rest: 1.5 + 3 + 6.
    assert optimum.value == pytest.approx(10.5)
    assert optimum.values == pytest.approx([0.5, 1.5, 1.5])
    # Raising either right-hand side costs what the column that covers it alone costs.
    assert [optimum.duals[first.index()], optimum.duals[second.index()]] == pytest.approx([3.0, 4.0])
    # The same as GLOP, which the dual-sign convention is checked against.
    assert lp.Solve() == pywraplp.Solver.OPTIMAL
    assert [first.dual_value(), second.dual_value()] == pytest.approx(optimum.duals)


def test_an_infeasible_lp_has_no_optimum() -> None:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = lp.NumVar(0, 1, "x")
    lp.Add(x >= 2)
    lp.Minimize(x)
    assert solve_lp(_exported(lp)) is None


def test_no_time_left_gives_no_optimum() -> None:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = lp.NumVar(0, lp.infinity(), "x")
    lp.Add(x >= 1)
    lp.Minimize(x)
    assert solve_lp(_exported(lp), 0.0) is None
    assert solve_lp(_exported(lp), -1.0) is None
    optimum = solve_lp(_exported(lp), 5.0)
    assert optimum is not None and optimum.value == pytest.approx(1.0)
