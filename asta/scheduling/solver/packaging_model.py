"""CP-SAT model for `asta.scheduling.packaging` (kept here with the other ortools code)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from asta.scheduling.solver.core import _params


def solve_packaging(
    required: list[int],
    cover_sets: list[list[int]],
    templates: list[int],
    cap: int,
    *,
    time_limit_s: float,
) -> tuple[str, dict[int, int]]:
    """Lexicographic packaging: under-cover, then over-cover, then shift count.

    Each level is solved to its optimum (or as far as time allows) and then
    held as a constraint while the next one is minimised.
    """
    model = cp_model.CpModel()
    n = {t: model.new_int_var(0, cap, f"n[{t}]") for t in templates}
    unders = []
    overs = []
    for i, need in enumerate(required):
        have = sum(n[t] for t in cover_sets[i] if t in n)
        under = model.new_int_var(0, need, f"under[{i}]")
        over = model.new_int_var(0, cap * max(1, len(cover_sets[i])), f"over[{i}]")
        model.add(have + under - over == need)
        unders.append(under)
        overs.append(over)
    levels = [sum(unders), sum(overs), sum(n.values())]
    status = "optimal"
    per_level = max(0.05, time_limit_s / len(levels))
    solver = _params(per_level, 0, 2)
    for level in levels:
        model.minimize(level)
        code = solver.solve(model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ("infeasible" if code == cp_model.INFEASIBLE else "timeout"), {}
        if code != cp_model.OPTIMAL:
            status = "feasible"
        best = round(solver.objective_value)
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var in n.values():
            model.add_hint(var, solver.value(var))
        model.add(level <= best)
    return status, {t: int(solver.value(var)) for t, var in n.items()}
