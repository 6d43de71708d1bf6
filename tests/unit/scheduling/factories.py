"""Tiny hand-made problems for the scheduling tests."""

from __future__ import annotations

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Rules, Shift, Weights
from asta.scheduling.solver import Result, solve

HOUR = 60
DAY = 1440


def shift(
    sid: str,
    day: int,
    start_h: float = 8,
    hours: float = 8,
    kind: str = "D",
    **kw: object,
) -> Shift:
    start = day * DAY + int(start_h * HOUR)
    return Shift(sid, day, start, start + int(hours * HOUR), kind, **kw)  # type: ignore[arg-type]


def daily(days: int, kind: str = "D", **kw: object) -> tuple[Shift, ...]:
    return tuple(shift(f"{kind}{d}", d, kind=kind, **kw) for d in range(days))


def problem(
    shifts: tuple[Shift, ...] | list[Shift],
    people: tuple[Professional, ...] | list[Professional],
    rules: Rules | None = None,
    weights: Weights | None = None,
    **kw: object,
) -> Problem:
    return Problem(
        tuple(shifts),
        tuple(people),
        rules or Rules(),
        weights or Weights(),
        **kw,  # type: ignore[arg-type]
    )


def solved(p: Problem, time_limit_s: float = 5.0, **kw: object) -> Result:
    """Solve and assert the independent evaluator agrees with the solver."""
    result = solve(p, time_limit_s=time_limit_s, workers=2, **kw)  # type: ignore[arg-type]
    assert result.status in ("optimal", "feasible")
    check = evaluate(p, result.assignments)
    assert check.violations == ()
    assert check.objective == result.objective
    assert {k: v for k, v in check.breakdown.items() if v} == {
        k: v for k, v in result.breakdown.items() if v
    }
    return result


def shifts_of(result: Result, pid: str) -> set[str]:
    return {s for p, s in result.assignments if p == pid}
