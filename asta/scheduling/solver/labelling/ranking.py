"""Which labels a capped labelling keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from asta.scheduling.solver.labelling.bounds import WeekendsAhead
from asta.scheduling.solver.labelling.types import RISK, Entry, State

if TYPE_CHECKING:
    from asta.scheduling.solver.labelling.person import Person


def ranking(
    person: Person,
    runs_ahead: dict[tuple[int, int], float],
    budget: tuple[float, list[float]] | None,
    push: float,
    weekends: WeekendsAhead | None = None,
) -> Callable[[tuple[State, Entry]], float]:
    """Which labels a cap keeps: cost so far plus a lower bound on the cost still
    to come from the run state (otherwise the cheapest labels are those in one run
    phase, which then all pay for it together). With a `push`, the minutes a label
    can still reach come first; otherwise labels that may fall short of the minimum
    (within a week's minutes of it) rank behind the safe ones. The bound still to
    come is the better of the run bound and, with a `budget`, the shift-count bound
    for the minutes a label has left, and with `weekends` the bound for the weekends
    it has left (a weekend in progress already counted is one more for free)."""
    if budget is not None:
        offs, prefix = budget
        top = len(prefix) - 1
        left, shortest = person.max_minutes, max(1, person.shortest)

        def minutes_ahead(key: State) -> float:
            run_bound = runs_ahead[key[0], key[2]]
            more = min(top, (left - key[7]) // shortest)
            return max(run_bound, offs + prefix[more])
    else:

        def minutes_ahead(key: State) -> float:
            return runs_ahead[key[0], key[2]]

    if weekends is not None and person.max_weekends is not None:
        base, every, others, partial = weekends
        limit = person.max_weekends

        def ahead_of(key: State) -> float:
            if key[5]:  # this weekend is counted already: the rest of it is free
                bound = base + partial + others[min(len(others) - 1, limit - key[6])]
            else:
                bound = base + every[min(len(every) - 1, limit - key[6])]
            return max(minutes_ahead(key), bound)
    else:
        ahead_of = minutes_ahead

    if push:
        return lambda it: it[1][0] + ahead_of(it[0]) - push * it[1][3]
    if person.track_minutes and person.prof.min_minutes > 0:
        safe = person.prof.min_minutes + person.safety
        return lambda it: it[1][0] + ahead_of(it[0]) + RISK * max(0, safe - it[1][3])
    return lambda it: it[1][0] + ahead_of(it[0])
