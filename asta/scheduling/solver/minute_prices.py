"""What a minute of each person's time is worth to cover, for the labelling construction.

The construction rosters people one after another, each taking whatever open positions
are worth most to them, and every open position is worth the same to them however long.
Where people's minute limits bind, the first ones spend their minutes on long shifts (a
720-minute one takes the minutes of one and a half 480-minute ones and fills one
position), and the open positions left at the end are the ones nobody has minutes for. A
small LP over people and shift kinds (no single days: how many shifts of each kind each
person works, within the days their runs allow, against the demand of each kind) prices a
minute of each person's time by the dual of their minute limit; the construction charges
it on every shift the person takes. It is zero where minutes do not bind, so problems
limited by days or runs are rostered as before.

Synthetic 100 x 52 x 5 (every minute binds; 60 s, 2 workers, solver seed 0): the share of
the price charged 0 -> 247,598, 0.5 -> 234,760, 0.8 -> 230,553, 0.9 -> 228,358, 1.0 ->
230,038. At the whole price the longest shift is worth nothing to anyone, so people with
minutes to spare leave it open.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver import pywraplp

from asta.scheduling.problem import Problem, Professional

Rewards = dict[int, float | None]

SHARE = 0.9
"""The share of each person's price the construction charges (see above)."""


def work_days_at_most(prof: Professional, horizon: int) -> int:
    """Days the person can work at most, not counting their days off. Runs of work are at
    most `max_consecutive_days` long with at least `min_consecutive_days_off` between them,
    so a window of the two lengths' sum holds at most one run's worth of work."""
    free = horizon - len(prof.days_off)
    run = prof.max_consecutive_days
    if run is None:
        return free
    window = run + max(1, prof.min_consecutive_days_off)
    whole, rest = divmod(horizon, window)
    return max(0, min(free, whole * run + min(rest, run)))


def charged(problem: Problem, rewards: Rewards, price: float) -> Rewards:
    """`rewards` less `price` a minute of each shift, where a shift is worth taking: a
    shift already full stays closed, and over-cover costs what it costs."""
    if not price:
        return rewards
    return {
        si: reward - price * problem.shifts[si].minutes
        if reward is not None and reward > 0 else reward
        for si, reward in rewards.items()
    }


def minute_prices(problem: Problem, shifts_of: list[list[int]], share: float = SHARE) -> list[float]:
    """Per person, `share` of what a minute of their time is worth to cover in the LP:
    the dual of their maximum minutes, 0 where it does not bind or the LP fails."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    infinity = solver.infinity()
    weights = problem.weights
    supply: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    limits: dict[int, pywraplp.Constraint] = {}
    for pi, prof in enumerate(problem.professionals):
        by_kind: dict[str, list[int]] = defaultdict(list)
        for si in shifts_of[pi]:
            by_kind[problem.shifts[si].kind].append(si)
        if not by_kind:
            continue
        minutes = solver.Sum([])
        days = solver.Sum([])
        for kind, mine in by_kind.items():
            most = min(len(mine), prof.max_shifts_per_kind.get(kind, len(mine)))
            if most <= 0:
                continue
            x = solver.NumVar(0, most, "")
            length = sum(problem.shifts[si].minutes for si in mine) / len(mine)
            minutes += length * x
            days += x
            supply[kind].append(x)
        solver.Add(days <= work_days_at_most(prof, problem.horizon_days))
        if prof.max_minutes is not None:
            limits[pi] = solver.Add(minutes <= prof.max_minutes)
        if prof.min_minutes:
            solver.Add(minutes >= prof.min_minutes)
    # Shifts of one kind with the same weights are one demand: their positions add up.
    demand: dict[tuple[str, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for s in problem.shifts:
        totals = demand[s.kind, s.under_weight, s.over_weight]
        totals[0] += s.positions
        totals[1] += s.capacity
    served: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    cost = solver.Sum([])
    for (kind, under, over), (positions, capacity) in demand.items():
        here = solver.NumVar(0, capacity, "")
        served[kind].append(here)
        short = solver.NumVar(0, infinity, "")
        extra = solver.NumVar(0, infinity, "")
        solver.Add(here + short >= positions)
        solver.Add(here - extra <= positions)
        cost += weights.fill * under * short + weights.over_cover * over * extra
    for kind, xs in supply.items():
        solver.Add(solver.Sum(xs) == solver.Sum(served.get(kind, [])))
    solver.Minimize(cost)
    prices = [0.0] * len(problem.professionals)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return prices
    for pi, limit in limits.items():
        # Raising a binding maximum lowers the cost: its dual is negative.
        prices[pi] = share * max(0.0, -limit.dual_value())
    return prices
