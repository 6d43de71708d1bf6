"""How far a matching run's roster is proven to be from the best possible one."""

from __future__ import annotations


def proven_gap(objective: float | None, bound: float | None) -> float | None:
    """(objective - lower bound) / objective, 0 when proven optimal; None without a bound.

    The objective is a penalty to minimise, so the bound is below it; a bound at or
    above the objective means the roster is optimal. An objective of 0 with a lower
    bound is optimal too (penalties are never negative), and for the same reason a
    negative bound (CP-SAT's, early) proves no more than 0 does: at most 100 %.
    """
    if objective is None or bound is None:
        return None
    if bound >= objective or objective <= 0:
        return 0.0
    return (objective - max(bound, 0)) / objective
