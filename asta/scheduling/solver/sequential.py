"""A first roster built one person at a time.

All hard rules of the rostering benchmarks (and most of Asta's) concern one
person at a time; only cover couples people, and cover is soft. So a legal
roster always exists person by person: each is given their best roster against
what the people before them already cover (positions still open, capacity
left), with CP-SAT on a one-person problem. This finds a legal, decent start
in seconds where CP-SAT on the whole model may find none in a minute
(Curtois & Qu Instance20: 50 people, 26 weeks). The labelling construction
(`construct`) now does the same in a fraction of the time; this remains for
problems it does not model and for people it finds no roster for.
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


def one_by_one(
    m: Model, target: float, deadline: float, solve_person: PersonSolver
) -> Values | None:
    """A legal roster, aiming to be done by `target`; None only if `deadline` passes first.

    Running late is better than no roster at all: on the largest instances
    (100+ people over a year) the first phase finds nothing and this is all
    there is.
    """
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
        if time.monotonic() >= deadline:
            return None
        remaining = max(0.0, target - time.monotonic())
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
        found = solve_person(sub, remaining / (len(order) - k))
        if found is None:
            return None
        for _, sid in found:
            si = index[sid]
            values[pi, si] = 1
            staff[si] += 1
    return values
