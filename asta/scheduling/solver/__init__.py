"""CP-SAT solving: the only package (with `asta.scheduling._model`) that imports ortools."""

from asta.scheduling.solver.bound import fill_upper_bound
from asta.scheduling.solver.core import solve
from asta.scheduling.solver.packaging_model import solve_packaging
from asta.scheduling.solver.result import Progress, Result, Status

__all__ = ["Progress", "Result", "Status", "fill_upper_bound", "solve", "solve_packaging"]
