"""What `solve` returns and reports while it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from asta.scheduling.explain import Explanation

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
