"""Splitting a national-scale problem into organisation-sized parts.

One CP-SAT model over every wellbeing area at once would hold hundreds of
thousands of variables; the areas are nearly independent (most people work
for their own area), so they are solved one after another, the thinnest market
first. People who also work elsewhere carry the shifts they already got into the
later parts as agreed assignments, so rest, daily, weekly and period rules hold
across parts. Minimum period minutes cannot be judged part by part and are
left to the last part a person appears in.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from asta.scheduling.problem import Problem, Professional, Shift

PartSolver = Callable[[Problem, float], tuple[tuple[str, str], ...]]
"""(sub-problem, seconds) -> assignments."""


def parts(problem: Problem) -> list[list[Shift]]:
    """Shifts grouped by organisation, the thinnest market first (`candidates_per_position`).

    Parts solved earlier take the people they share with later ones. An area with few
    candidates for each position has no one else to turn to, a large one usually has:
    on the 5,000-person national instance, thinnest first left 1,226,521 and 1,223,281
    (seeds 1, 2) where largest first left 1,252,983 and 1,265,297, mostly in positions
    filled (twenty-fourth pass).
    """
    groups: dict[str, list[Shift]] = defaultdict(list)
    for s in problem.shifts:
        groups[s.organisation].append(s)
    thinness = candidates_per_position(problem)
    return sorted(groups.values(), key=lambda group: (thinness(group), -len(group)))


def candidates_per_position(problem: Problem) -> Callable[[list[Shift]], float]:
    """How many people could work a group's shifts, summed over them, per position."""
    everyone = sum(1 for p in problem.professionals if p.eligible is None)
    candidates: Counter[str] = Counter()
    for p in problem.professionals:
        candidates.update(p.eligible or ())

    def thinness(group: list[Shift]) -> float:
        positions = sum(s.positions for s in group)
        people = sum(everyone + candidates[s.id] for s in group)
        return people / positions if positions else math.inf

    return thinness


def candidate_pairs(problem: Problem) -> int:
    """A cheap size estimate: eligible (person, shift) pairs."""
    n_shifts = len(problem.shifts)
    return sum(n_shifts if p.eligible is None else len(p.eligible) for p in problem.professionals)


def solve_in_parts(
    problem: Problem, deadline: float, solve_part: PartSolver
) -> list[tuple[str, str]]:
    groups = parts(problem)
    shift_by_id = problem.shift_by_id()
    sizes = []
    for group in groups:
        group_ids = {s.id for s in group}
        sizes.append(
            sum(
                len(group_ids) if p.eligible is None else len(p.eligible & group_ids)
                for p in problem.professionals
            )
        )
    left = max(1, sum(sizes))
    taken: dict[str, list[str]] = defaultdict(list)
    last_part: dict[str, int] = {}
    for k, group in enumerate(groups):
        ids = frozenset(s.id for s in group)
        for p in problem.professionals:
            if p.eligible is None or p.eligible & ids:
                last_part[p.id] = k
    out: list[tuple[str, str]] = []
    for k, (group, size) in enumerate(zip(groups, sizes, strict=True)):
        ids = frozenset(s.id for s in group)
        people: list[Professional] = []
        ghosts: dict[str, int] = defaultdict(int)
        fixed: set[tuple[str, str]] = {(p, s) for p, s in problem.fixed if s in ids}
        for p in problem.professionals:
            mine = ids if p.eligible is None else frozenset(p.eligible & ids)
            agreed = frozenset(s for q, s in problem.fixed if q == p.id and s in ids)
            if not mine and not agreed:
                continue
            elsewhere = taken.get(p.id, [])
            for sid in elsewhere:
                ghosts[sid] += 1
                fixed.add((p.id, sid))
            people.append(
                replace(
                    p,
                    eligible=frozenset(mine) | frozenset(elsewhere) | frozenset(agreed),
                    min_minutes=p.min_minutes if last_part.get(p.id) == k else 0,
                )
            )
        # Shifts from earlier parts appear only to hold what people already took.
        held = [
            replace(shift_by_id[sid], positions=0, max_staff=n, under_weight=0, over_weight=0,
                    series=None)
            for sid, n in ghosts.items()
        ]
        sub = replace(
            problem,
            shifts=tuple(group) + tuple(held),
            professionals=tuple(people),
            fixed=frozenset(fixed),
        )
        # Building a part's model takes time too: keep a tenth back for it.
        budget = 0.9 * (deadline - time.monotonic()) * size / left
        left = max(1, left - size)
        for pid, sid in solve_part(sub, budget):
            if sid in ids:
                out.append((pid, sid))
                taken[pid].append(sid)
    return out
