"""The column-generation LP bound of a national instance, area by area.

One master over 5,000 people and 10,000 shifts is slow to converge in pure Python
pricing and GLOP gives up on it numerically (status ABNORMAL after four rounds,
measured). Areas are nearly independent, so each area's LP is solved alone and
the area bounds are added. That is a relaxation, hence still a lower bound on
the objective: someone who works in two areas appears in both, and their copies
drop what does not add up over areas (the fairness target, minimum minutes and
shift-on wishes, all never negative), so the copies together never cost more
than the person. People who can work nowhere pay their fixed cost.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import person_cost
from asta.scheduling.problem import Problem
from asta.scheduling.solver.decompose import parts
from asta.scheduling.solver.series_bound import series_bound

MAX_PRICINGS = 8
"""Pricings per person and round: the bound stays proven, rounds stay short."""


def area_bound(
    problem: Problem,
    assignments: tuple[tuple[str, str], ...],
    limit_s: float,
    workers: int,
    seed: int,
) -> tuple[int | None, dict[str, float]]:
    """A lower bound on the objective, and how many areas converged."""
    began = time.monotonic()
    groups = parts(problem)
    sizes = [len(group) for group in groups]
    left = float(sum(sizes))
    total = sum(
        person_cost(problem, p, []) for p in problem.professionals if not p.eligible
    )
    converged = 0
    for group, size in zip(groups, sizes, strict=True):
        ids = frozenset(s.id for s in group)
        people = []
        for p in problem.professionals:
            mine = (p.eligible or frozenset()) & ids
            if not mine:
                continue
            if mine != p.eligible:
                p = replace(p, wants_minutes=None, min_minutes=0, shift_on_requests=())
            people.append(replace(p, eligible=mine))
        sub = replace(problem, shifts=tuple(group), professionals=tuple(people))
        person = {p.id: pi for pi, p in enumerate(people)}
        shift = {s.id: si for si, s in enumerate(group)}
        start = {(person[pid], shift[sid]): 1 for pid, sid in assignments
                 if sid in shift and pid in person}
        budget = max(1.0, (began + limit_s - time.monotonic()) * size / left)
        left -= size
        outcome = series_bound(sub, candidate_shifts(sub), start, time.monotonic() + budget,
                               workers, seed, max_pricings=MAX_PRICINGS)
        if outcome.bound is None:
            return None, {"areas_converged": converged}
        total += outcome.bound
        converged += int(outcome.stats.get("series_bound_converged", 0.0))
        print(f"area {group[0].organisation}: {len(people)} people, {len(group)} shifts, "
              f"bound {outcome.bound}, LP {outcome.lp}, {outcome.stats}", file=sys.stderr,
              flush=True)
    return total, {"areas_converged": converged, "areas": len(groups),
                   "bound_s": time.monotonic() - began}
