"""CP-SAT solvers as Asta runs them: inside the server and its job worker."""

from __future__ import annotations

from ortools.sat.python import cp_model


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves SIGINT to the process. CP-SAT by default catches it for the
    solve and leaves the signal's default action behind, so Ctrl-C after a matching run
    killed `asta serve` outright: no shutdown, its embedded PostgreSQL left running."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver
