"""A professional's reliability over time: the score after each event that moves it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from asta.marketplace.rules.working_time import reliability_score

ReliabilityKind = Literal["completed", "late_cancelled", "no_show"]


@dataclass(frozen=True)
class ReliabilityEvent:
    at: datetime
    kind: ReliabilityKind


def reliability_history(events: Sequence[ReliabilityEvent]) -> list[int | None]:
    """The score after each event, in time order (the events sorted by `at`): the same
    `reliability_score` as everywhere, over the events up to and including that one."""
    counts = {"completed": 0, "late_cancelled": 0, "no_show": 0}
    scores: list[int | None] = []
    for event in sorted(events, key=lambda e: e.at):
        counts[event.kind] += 1
        scores.append(reliability_score(completed=counts["completed"],
                                        late_cancelled=counts["late_cancelled"],
                                        no_show=counts["no_show"]))
    return scores
