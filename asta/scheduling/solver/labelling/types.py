"""The labelling's values: a label's state, a roster, an option of a day."""

from __future__ import annotations

from dataclasses import dataclass

from asta.scheduling.problem import Problem

EXACT_CAP = 1 << 30
"""A cap that never bites: the labelling is exact."""

_OFF = -1

State = tuple[int, bool, int, str | None, int, bool, int, int, int, tuple[int, ...]]
"""(run, run exempt from its minimum, rest run, yesterday's kind, rest owed until,
this weekend worked, minutes, week minutes, weekends, per-kind counts): the resources with
upper limits only, which dominance compares, last."""
Entry = tuple[float, State | None, int, int]
"""(cost, previous state, shift index or _OFF, minutes still reachable)."""
RISK = 1e3
"""Per minute that a capped label's reachable minutes fall short of the minimum plus a
week: labels that may not reach the minimum are kept last."""


class Late(Exception):
    """The labelling ran past its deadline."""


@dataclass(frozen=True, slots=True)
class Roster:
    shifts: frozenset[int]
    """Shift indices of the problem."""
    cost: float
    """Person cost minus the rewards of the shifts worked (fairness included)."""
    exact: bool
    """Whether no label was dropped by the cap: `cost` is then the optimum."""
    labels: int
    """Labels extended, the work done."""


def supported(problem: Problem) -> bool:
    """Whether the labelling models every rule of `problem` (one shift a day is its path)."""
    return problem.rules.one_shift_per_day


Option = tuple[float, int, str, int, int, int, bool]
"""(cost, shift index, kind, start, end, minutes, agreed): one shift a person could work on
a day. A plain tuple, as the labelling prices thousands a call, and cheapest first is its order."""
