"""Pricing by labelling: the same answer as `pricing.Pricer`, without CP-SAT.

The labelling (`labelling.Person.best`, exact below a memory guard) finds a person's roster
of least reduced cost with the cover duals as rewards; its cost is then the
exact minimum, so the bound comes with every call that finishes in time (and
within `LABELS_PER_DAY`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from asta.scheduling.problem import Problem
from asta.scheduling.solver.labelling import Late, Person
from asta.scheduling.solver.master import Column, priced_column

LABELS_PER_DAY = 200_000
"""Memory guard: about 50 MB of labels a day at most. Where it bites the roster is
still legal and priced, but its reduced cost is no longer a proven minimum."""


class LabelPricer:
    def __init__(self, problem: Problem, pi: int, mine: Sequence[int]) -> None:
        self.problem = problem
        self.pi = pi
        self.mine = list(mine)
        self.person = Person(problem, pi, self.mine)

    def column(self, shifts: frozenset[int]) -> Column:
        return priced_column(self.problem, self.pi, shifts)

    def price(
        self, duals: Sequence[float], mu: float, limit_s: float, seed: int
    ) -> tuple[list[Column], float | None]:
        """As `Pricer.price`: the best roster, and the least reduced cost (None if late)."""
        rewards = {si: duals[si] for si in self.mine}
        try:
            roster = self.person.best(
                rewards, LABELS_PER_DAY, deadline=time.monotonic() + max(0.01, limit_s)
            )
        except Late:
            return [], None
        if roster is None:
            return [], None
        return [self.column(roster.shifts)], (roster.cost - mu) if roster.exact else None
