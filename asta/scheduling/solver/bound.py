"""An upper bound on fillable positions: max-flow ignoring the temporal rules."""

from __future__ import annotations

from collections import defaultdict

from ortools.graph.python import max_flow

from asta.scheduling._model import is_candidate
from asta.scheduling.problem import Problem


def fill_upper_bound(problem: Problem) -> int:
    """Positions that could be filled if only eligibility, availability, one
    shift per day, weekly and period minute maxima (counted in each person's
    shortest candidate shifts) mattered. Every roster fills at most this many.
    """
    flow = max_flow.SimpleMaxFlow()
    index = {s.id: si for si, s in enumerate(problem.shifts)}
    source, sink = 0, 1
    next_node = 2 + len(problem.shifts)

    def shift_node(si: int) -> int:
        return 2 + si

    for si, s in enumerate(problem.shifts):
        if s.positions:
            flow.add_arc_with_capacity(shift_node(si), sink, s.positions)
    for prof in problem.professionals:
        ids = index.keys() if prof.eligible is None else prof.eligible
        mine = [
            problem.shifts[index[sid]]
            for sid in ids
            if sid in index and is_candidate(problem, prof, problem.shifts[index[sid]])
        ]
        mine = [s for s in mine if s.positions]
        if not mine:
            continue
        shortest = max(1, min(s.minutes for s in mine))
        person = next_node
        next_node += 1
        cap = len(mine) if prof.max_minutes is None else prof.max_minutes // shortest
        flow.add_arc_with_capacity(source, person, cap)
        weeks: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for s in mine:
            weeks[s.day // 7][s.day].append(index[s.id])
        for days in weeks.values():
            week = next_node
            next_node += 1
            week_cap = len(days)
            if prof.max_week_minutes is not None:
                week_cap = min(week_cap, prof.max_week_minutes // shortest)
            flow.add_arc_with_capacity(person, week, week_cap)
            for shifts in days.values():
                day = next_node
                next_node += 1
                per_day = 1 if problem.rules.one_shift_per_day else len(shifts)
                flow.add_arc_with_capacity(week, day, per_day)
                for si in shifts:
                    flow.add_arc_with_capacity(day, shift_node(si), 1)
    if flow.solve(source, sink) != flow.OPTIMAL:
        return sum(s.positions for s in problem.shifts)
    return int(flow.optimal_flow())
