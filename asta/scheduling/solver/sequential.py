"""A first roster built one person at a time.

All hard rules of the rostering benchmarks (and most of Asta's) concern one
person at a time; only cover couples people, and cover is soft. So a legal
roster always exists person by person: each is given their best roster against
what the people before them already cover (positions still open, capacity
left), with CP-SAT on a one-person problem. This finds a legal, decent start
in seconds where CP-SAT on the whole model may find none in a minute
(Curtois & Qu Instance20: 50 people, 26 weeks).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from asta.scheduling._model import Model
from asta.scheduling.problem import Problem

Values = dict[tuple[int, int], int]
PersonSolver = Callable[[Problem, float], tuple[tuple[str, str], ...] | None]
"""(one-person problem, seconds) -> assignments, or None when it found none."""


def one_by_one(m: Model, deadline: float, solve_person: PersonSolver) -> Values | None:
    problem = m.problem
    shifts = problem.shifts
    index = {s.id: si for si, s in enumerate(shifts)}
    staff = [0] * len(shifts)
    values: Values = dict.fromkeys(m.x, 0)
    # Least flexible people first: they have the fewest ways to help cover.
    order = sorted(range(len(problem.professionals)), key=lambda pi: len(m.shifts_of[pi]))
    for k, pi in enumerate(order):
        prof = problem.professionals[pi]
        mine = m.shifts_of[pi]
        if not mine:
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sub_shifts = tuple(
            replace(
                shifts[si],
                positions=max(0, shifts[si].positions - staff[si]),
                max_staff=max(0, shifts[si].capacity - staff[si]),
            )
            for si in mine
        )
        sub = replace(
            problem,
            shifts=sub_shifts,
            professionals=(replace(prof, eligible=None),),
            days=problem.horizon_days,
            fixed=frozenset(pair for pair in problem.fixed if pair[0] == prof.id),
        )
        share = remaining / (len(order) - k)
        found = solve_person(sub, share)
        if found is None:  # one more try with a bigger share
            found = solve_person(sub, min(4 * share, deadline - time.monotonic()))
        if found is None:
            return None
        for _, sid in found:
            si = index[sid]
            values[pi, si] = 1
            staff[si] += 1
    return values
