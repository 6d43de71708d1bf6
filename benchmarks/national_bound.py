"""The column-generation LP bound of a national instance: one master, else area by area.

One master over everyone (`joint_bound`) is the exact LP: at 2,000 people and
4,000 shifts it proves the roster within 1 % in about 35 s. At 5,000 people and
10,000 shifts it had not converged in ten minutes while GLOP solved the master
(40-50 s a round past 50,000 columns); with HiGHS's barrier, pricing in processes
and series charged by shares in pricing, the bound after 542 s is 1,207,619, 64
under the LP (twenty-sixth pass). What is left of the time
goes to the areas' LPs alone (`area_bound`), whose bounds add up. That is a
relaxation, hence still a lower bound on the objective, but a weaker one (1.85 %
below the same 2,000-person roster): someone who works in two areas appears in
both, and their copies drop what does not add up over areas (the fairness target,
minimum minutes and shift-on wishes, all never negative), so the copies together
never cost more than the person. People who can work nowhere pay their fixed
cost. Both are lower bounds, so the better one is reported.
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

Pairs = tuple[tuple[str, str], ...]
"""(professional id, shift id) of a roster."""
Bound = tuple[int | None, dict[str, float]]
"""A proven lower bound on the objective (None if none), and how it was found."""

JOINT_SHARE = 0.9
"""Of the bound's time, the most the one master gets before the areas get the rest. (At
5,000 people the areas proved 1,033,882 in 240 s, the one master 1,198,373 in 358 s.)"""

PEAK = "pricing_process_peak_mb"
"""The stat of the largest pricing process's peak memory (0 where pricing ran in threads)."""

NEAR = 0.01
"""The one master's bound this close to its LP value leaves the areas nothing to add."""


def national_bound(problem: Problem, assignments: Pairs, limit_s: float, workers: int, seed: int) -> Bound:
    """The better of the one master's bound and the areas' sum; which one, in the stats."""
    began = time.monotonic()
    joint, stats = joint_bound(problem, assignments, began + JOINT_SHARE * limit_s, workers, seed)
    lp = stats.get("series_lp")
    if joint is not None and lp is not None and joint >= (1 - NEAR) * lp:
        return joint, {**stats, "bound_s": time.monotonic() - began, "joint": 1.0}
    areas, area_stats = area_bound(problem, assignments, limit_s - (time.monotonic() - began),
                                   workers, seed)
    better = max((b for b in (joint, areas) if b is not None), default=None)
    peak = max(stats.get(PEAK, 0.0), area_stats.get(PEAK, 0.0))
    return better, {**stats, **area_stats, PEAK: peak, "bound_s": time.monotonic() - began,
                    "joint": float(better is not None and better == joint)}


def joint_bound(problem: Problem, assignments: Pairs, deadline: float, workers: int, seed: int) -> Bound:
    """The Lagrangian bound of one master over every person and shift, by `deadline`."""
    began = time.monotonic()
    start = _values(problem, assignments)

    def heard(rounds: int, value: float, best: float | None) -> None:
        print(f"joint round {rounds} at {time.monotonic() - began:.1f} s: LP {value:.0f}, "
              f"bound {best}", file=sys.stderr, flush=True)

    outcome = series_bound(problem, candidate_shifts(problem), start, deadline, workers, seed,
                           on_round=heard, max_pricings=MAX_PRICINGS)
    stats = dict(outcome.stats)
    if outcome.lp is not None:
        stats["series_lp"] = outcome.lp
    return outcome.bound, stats


def area_bound(problem: Problem, assignments: Pairs, limit_s: float, workers: int, seed: int) -> Bound:
    """A lower bound on the objective, and how many areas converged."""
    began = time.monotonic()
    groups = parts(problem)
    sizes = [len(group) for group in groups]
    left = float(sum(sizes))
    total = sum(
        person_cost(problem, p, []) for p in problem.professionals if not p.eligible
    )
    converged = 0
    peak = 0.0
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
        start = _values(sub, tuple((pid, sid) for pid, sid in assignments if sid in ids))
        budget = max(1.0, (began + limit_s - time.monotonic()) * size / left)
        left -= size
        outcome = series_bound(sub, candidate_shifts(sub), start, time.monotonic() + budget,
                               workers, seed, max_pricings=MAX_PRICINGS)
        if outcome.bound is None:
            return None, {"areas_converged": converged}
        total += outcome.bound
        converged += int(outcome.stats.get("series_bound_converged", 0.0))
        peak = max(peak, outcome.stats.get(PEAK, 0.0))
        print(f"area {group[0].organisation}: {len(people)} people, {len(group)} shifts, "
              f"bound {outcome.bound}, LP {outcome.lp}, {outcome.stats}", file=sys.stderr,
              flush=True)
    return total, {"areas_converged": converged, "areas": len(groups), PEAK: peak,
                   "bound_s": time.monotonic() - began}


def _values(problem: Problem, assignments: Pairs) -> dict[tuple[int, int], int]:
    """The roster as (person index, shift index) -> 1, the solver's values."""
    person = {p.id: pi for pi, p in enumerate(problem.professionals)}
    shift = {s.id: si for si, s in enumerate(problem.shifts)}
    return {(person[pid], shift[sid]): 1 for pid, sid in assignments}
