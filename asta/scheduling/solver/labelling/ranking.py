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
    # One function a label, not one per bound: it runs for every label of every capped day.
    offs, prefix = budget if budget is not None else (0.0, [0.0])
    top = len(prefix) - 1
    left, shortest = person.max_minutes, max(1, person.shortest)
    limit = person.max_weekends
    if weekends is None or limit is None:
        weekends, limit = None, 0
    base, every, others, partial = weekends if weekends is not None else (0.0, [0.0], [0.0], 0.0)
    last_every, last_other = len(every) - 1, len(others) - 1
    risky = not push and person.track_minutes and person.prof.min_minutes > 0
    safe = person.prof.min_minutes + person.safety

    def rank(item: tuple[State, Entry]) -> float:
        key, entry = item
        ahead = runs_ahead[key[0], key[2]]
        if budget is not None:
            ahead = max(ahead, offs + prefix[min(top, (left - key[6]) // shortest)])
        if weekends is not None:
            if key[5]:  # this weekend is counted already: the rest of it is free
                bound = base + partial + others[min(last_other, limit - key[8])]
            else:
                bound = base + every[min(last_every, limit - key[8])]
            ahead = max(ahead, bound)
        if push:
            return entry[0] + ahead - push * entry[3]
        if risky:
            return entry[0] + ahead + RISK * max(0, safe - entry[3])
        return entry[0] + ahead

    return rank
