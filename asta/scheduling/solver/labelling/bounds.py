"""Bounds the labelling prunes and ranks with, over a few of the person's rules.

Each relaxes the rules it ignores, so `reach` and `weekend_reach` are upper
bounds on the minutes still workable (a label below the minimum can be dropped)
and `cost_to_go` is a lower bound on the cost still to come.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from asta.scheduling.problem import is_weekend, weekend_index

WeekendsAhead = tuple[float, list[float], list[float], float]
"""(cost with every weekend off, best cost change with k more weekends, the same
without the current weekend, the current weekend's own change)."""

if TYPE_CHECKING:
    from asta.scheduling.solver.labelling.person import Option, Person


def reach(person: Person) -> list[dict[tuple[int, int], int]]:
    """Most minutes still workable from each day on, by (run, rest run): an upper
    bound over the run rules alone, to drop labels that cannot reach the minimum."""
    run_cap = person.run_cap()
    out: list[dict[tuple[int, int], int]] = [{} for _ in range(person.horizon + 1)]
    states = [(w, o) for w in range(run_cap + 1) for o in range(person.min_off + 1)]
    out[person.horizon] = dict.fromkeys(states, 0)
    # Successor states, worked out once: (state, after a day off, after work or None).
    moves = []
    for w, o in states:
        can_work = (person.max_run is None or w < person.max_run) if w else o >= person.min_off
        after_work = (min(w + 1, run_cap), 0) if can_work else None
        moves.append(((w, o), (0, 1 if w else min(o + 1, person.min_off)), after_work))
    for day in range(person.horizon - 1, -1, -1):
        nxt = out[day + 1]
        longest = person.longest[day] if person.by_day.get(day) else None
        free = day not in person.fixed_days
        table: dict[tuple[int, int], int] = {}
        for state, after_off, after_work in moves:
            best = nxt[after_off] if free else 0
            if longest is not None and after_work is not None:
                worked = longest + nxt[after_work]
                if worked > best:
                    best = worked
            table[state] = best
        out[day] = table
    return out


def weekend_reach(person: Person) -> list[list[int]]:
    """Most minutes still workable from each day on with k more weekends (index k),
    over the weekend limit alone; a weekend already counted is not left."""
    rules = person.problem.rules
    longest = person.longest
    limit = person.max_weekends if person.max_weekends is not None else 0
    out: list[list[int]] = [[0] * (limit + 1) for _ in range(person.horizon + 1)]
    plain = 0
    ends: dict[int, int] = defaultdict(int)
    for day in range(person.horizon - 1, -1, -1):
        if is_weekend(rules, day):
            ends[weekend_index(rules, day)] += longest[day]
        else:
            plain += longest[day]
        values = sorted(ends.values(), reverse=True)[:limit]
        row = out[day]
        total = plain
        row[0] = total
        for k in range(1, limit + 1):
            total += values[k - 1] if k - 1 < len(values) else 0
            row[k] = total
    return out


def cost_to_go(person: Person, options: list[list[Option]]) -> list[dict[tuple[int, int], float]]:
    """Cheapest cost from each day on by (run, rest run), over the run rules alone:
    ranks labels when the cap bites (infinite where a run can only end badly, such
    as a one-day run before a day off)."""
    run_cap = person.run_cap()
    states = [(w, o) for w in range(run_cap + 1) for o in range(person.min_off + 1)]
    out: list[dict[tuple[int, int], float]] = [{} for _ in range(person.horizon + 1)]
    out[person.horizon] = dict.fromkeys(states, 0.0)
    min_off, max_run = person.min_off, person.max_run
    # Successor states, worked out once: (state, state after a day off, after work or None).
    moves = []
    for w, o in states:
        # A run shorter than the minimum cannot stop (runs from day 0 aside).
        after_off = (0, 1 if w else min(o + 1, min_off)) if w == 0 or w >= person.min_run else None
        can_work = (max_run is None or w < max_run) if w else o >= min_off
        moves.append(((w, o), after_off, (min(w + 1, run_cap), 0) if can_work else None))
    for day in range(person.horizon - 1, -1, -1):
        nxt = out[day + 1]
        costs = [option[0] for option in options[day]]
        cheapest = min(costs) if costs else None
        free = day not in person.fixed_days
        off_cost = person.off_cost[day]
        table: dict[tuple[int, int], float] = {}
        for state, after_off, after_work in moves:
            best = off_cost + nxt[after_off] if free and after_off is not None else math.inf
            if cheapest is not None and after_work is not None:
                value = cheapest + nxt[after_work]
                if value < best:
                    best = value
            table[state] = best
        out[day] = table
    return out


def budget_to_go(person: Person, options: list[list[Option]]) -> list[tuple[float, list[float]]]:
    """Cheapest cost from each day on with at most k more shifts (index k of the list,
    past its end: no better), over the shift count alone: the run bound `cost_to_go`
    lets a label that spent its minutes early look as good as one that saved them for
    the rewards still to come, which front-loads capped rosters."""
    out: list[tuple[float, list[float]]] = [(0.0, [0.0])] * (person.horizon + 1)
    offs = 0.0
    gains: list[float] = []
    for day in range(person.horizon - 1, -1, -1):
        off_cost = person.off_cost[day]
        offs += off_cost
        costs = [option[0] for option in options[day]]
        if costs and min(costs) < off_cost:
            bisect.insort(gains, min(costs) - off_cost)
        out[day] = (offs, [0.0, *itertools.accumulate(gains)])
    return out


def weekends_to_go(person: Person, options: list[list[Option]]) -> list[WeekendsAhead]:
    """Cheapest cost from each day on with at most k more weekends worked, over the
    weekend limit alone (each day costs the cheaper of off and its cheapest shift; a
    weekend off costs its days off): like `budget_to_go` for the minutes, this keeps a
    capped beam from spending every weekend early when later weekends pay as much
    (Instance20's construction worked 9-13 of its 13 weekends in the first 15 of 26
    weeks and left the late weekends uncovered). The weekend a day belongs to is kept
    apart: a label that already counts it works the rest of it for free."""
    rules = person.problem.rules
    out: list[WeekendsAhead] = [(0.0, [0.0], [0.0], 0.0)] * (person.horizon + 1)
    base = 0.0
    gains: list[float] = []
    """Gains of the weekends after the current one, most negative first."""
    current: int | None = None
    off_sum = free_sum = 0.0
    for day in range(person.horizon - 1, -1, -1):
        off_cost = person.off_cost[day]
        costs = [option[0] for option in options[day]]
        free = min(off_cost, min(costs)) if costs else off_cost
        if is_weekend(rules, day):
            index = weekend_index(rules, day)
            if index != current:
                if current is not None and free_sum < off_sum:
                    bisect.insort(gains, free_sum - off_sum)
                current, off_sum, free_sum = index, 0.0, 0.0
            base += off_cost
            off_sum += off_cost
            free_sum += free
            partial = min(0.0, free_sum - off_sum)
            others = [0.0, *itertools.accumulate(gains)]
            every = [0.0, *itertools.accumulate(sorted([*gains, partial]))] if partial < 0 else others
            out[day] = (base, every, others, partial)
        else:
            if current is not None and free_sum < off_sum:
                bisect.insort(gains, free_sum - off_sum)
            current = None
            base += free
            prefix = [0.0, *itertools.accumulate(gains)]
            out[day] = (base, prefix, prefix, 0.0)
    return out
