"""An LP solved by HiGHS's interior point method with crossover, through MathOpt.

The series master grows past 100,000 columns on national instances, and GLOP's dual
simplex from scratch took 40-50 s a solve there; HiGHS's barrier, with crossover to
a vertex (exact duals, so the Lagrangian bound stays proven), takes 6-19 s up to
110,000 columns (twenty-fifth pass). pywraplp's own HiGHS interface returns row
activities where the duals belong, so the model goes to MathOpt as a proto.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from ortools.linear_solver import linear_solver_pb2
from ortools.math_opt import model_pb2, result_pb2
from ortools.math_opt.core.python import solver as core
from ortools.math_opt.python import callback, init_arguments, model_parameters, parameters


@dataclass
class LpOptimum:
    value: float
    duals: list[float]
    """By row index."""
    values: list[float]
    """By variable index."""


def solve_lp(model: linear_solver_pb2.MPModelProto, time_limit_s: float = math.inf) -> LpOptimum | None:
    """The optimum at a vertex, or None if HiGHS proves none in time (or none exists)."""
    if time_limit_s <= 0:
        return None
    params = parameters.SolveParameters(lp_algorithm=parameters.LPAlgorithm.BARRIER)
    if math.isfinite(time_limit_s):
        params.time_limit = datetime.timedelta(seconds=time_limit_s)
    result = core.solve(
        _math_opt(model), parameters.SolverType.HIGHS.value,
        init_arguments.StreamableSolverInitArguments().to_proto(), params.to_proto(),
        model_parameters.ModelSolveParameters().to_proto(), None,
        callback.CallbackRegistration().to_proto(), None, None,
    )
    if result.termination.reason != result_pb2.TERMINATION_REASON_OPTIMAL or not result.solutions:
        return None
    solution = result.solutions[0]
    duals = [0.0] * len(model.constraint)
    sparse = solution.dual_solution.dual_values
    for row, dual in zip(sparse.ids, sparse.values, strict=True):
        duals[row] = dual
    values = [0.0] * len(model.variable)
    sparse = solution.primal_solution.variable_values
    for var, value in zip(sparse.ids, sparse.values, strict=True):
        values[var] = value
    return LpOptimum(solution.primal_solution.objective_value, duals, values)


def _math_opt(model: linear_solver_pb2.MPModelProto) -> model_pb2.ModelProto:
    """The same LP as a MathOpt model, ids the pywraplp indices (a minimisation)."""
    out = model_pb2.ModelProto()
    columns = model.variable
    out.variables.ids.extend(range(len(columns)))
    out.variables.lower_bounds.extend([v.lower_bound for v in columns])
    out.variables.upper_bounds.extend([v.upper_bound for v in columns])
    out.variables.integers.extend([False] * len(columns))
    priced = [(i, v.objective_coefficient) for i, v in enumerate(columns) if v.objective_coefficient]
    out.objective.maximize = model.maximize
    out.objective.offset = model.objective_offset
    out.objective.linear_coefficients.ids.extend([i for i, _ in priced])
    out.objective.linear_coefficients.values.extend([c for _, c in priced])
    rows = out.linear_constraints
    matrix = out.linear_constraint_matrix
    for r, row in enumerate(model.constraint):
        rows.ids.append(r)
        rows.lower_bounds.append(row.lower_bound)
        rows.upper_bounds.append(row.upper_bound)
        entries = sorted(zip(row.var_index, row.coefficient, strict=True))  # MathOpt: column order
        matrix.row_ids.extend([r] * len(entries))
        matrix.column_ids.extend([c for c, _ in entries])
        matrix.coefficients.extend([a for _, a in entries])
    return out
