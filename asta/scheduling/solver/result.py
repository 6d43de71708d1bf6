"""What `solve` returns and reports while it runs."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from asta.scheduling.explain import Explanation, explain
from asta.scheduling.problem import Problem

Status = Literal["optimal", "feasible", "infeasible", "timeout"]


@dataclass(frozen=True, slots=True)
class Progress:
    """Reported on every better roster, with the best bound known at that moment."""

    objective: float | None
    best_bound: float | None
    elapsed_s: float
    phase: str
    """'search' (first CP-SAT run), 'colgen' (column generation) or 'lns' (neighbourhood improvement)."""


@dataclass(frozen=True, slots=True)
class Result:
    status: Status
    assignments: tuple[tuple[str, str], ...]
    """(professional id, shift id) pairs."""
    objective: int | None
    best_bound: int | None
    breakdown: Mapping[str, int]
    """Objective per named soft goal, as the model computed it."""
    time_s: float
    explanation: Explanation | None = None
    stats: Mapping[str, float] = field(default_factory=dict)


def explained(
    problem: Problem,
    status: Status,
    assignments: Sequence[tuple[str, str]],
    objective: int | None,
    best_bound: int | None,
    breakdown: Mapping[str, int],
    started: float,
    explain_by: float | None,
    stats: Mapping[str, float],
) -> Result:
    """The solve's result, explained if asked (`explain_by`: when the answer is due, by
    time.monotonic()); the explanation is part of the answer, so the time is read after it."""
    explanation = None if explain_by is None else explain(problem, assignments, explain_by)
    return Result(
        status, tuple(assignments), objective, best_bound, breakdown,
        time.monotonic() - started, explanation, stats,
    )
