"""Solving by the labelling construction: the start when CP-SAT finds no roster,
and the whole answer for problems too large for a CP-SAT model."""

from __future__ import annotations

import time

from asta.scheduling._model import Model, candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem
from asta.scheduling.solver.construct import (
    MIN_CAP,
    by_labels,
    cap_for,
    descend,
    half_weekend_charge,
    labelling_processes,
)
from asta.scheduling.solver.fills import closing_moves
from asta.scheduling.solver.labelling import Person
from asta.scheduling.solver.lns import Incumbent, Values, assigned
from asta.scheduling.solver.minute_prices import minute_prices
from asta.scheduling.solver.result import Result, explained
from asta.scheduling.solver.trades import trades_from
from asta.scheduling.solver.window import windowable
from asta.scheduling.solver.window_lns import WindowLns

DESCENT_SHARE = 0.2
"""Share of the time left after the labelling construction for re-rostering person by
person before the LNS takes over."""
DESCENT_GROW = 2
"""The descent's cap doubles each round (`construct.descend`)."""
ALONE_DESCENT_SHARE = 0.7
"""Where the labelling is the whole answer, the descent gains far more a second than the
window LNS until it levels off (synthetic 150 x 52 x 32, 60 s: its first round 5,900 a
second, the LNS about 650). Generator seeds 1/2/3, solver seed 1, one process:
105,486/105,359/101,964 with `DESCENT_SHARE` and the cap doubling, 76,145/74,647/69,381 with
this share and the cap kept. Its labelling runs in the solve's `workers` processes. Since
the fills and split trades follow it (`closing_moves`), they gain more a second than its last
rounds: generator seed 1, solver seeds 0/1/2, 66,771/66,684/66,961 at 0.8, 66,269/66,675/66,863
at 0.7."""
ALONE_CONSTRUCTION_CAP = MIN_CAP
"""The construction's labels per day there: the descent re-rosters everyone anyway, so a
narrow construction leaves it more time (synthetic 150 x 52 x 32, generator seeds 1/2/3, 60 s,
two processes: cap 8 72,868/72,654/65,121 after 16-17 s of construction, cap 2
71,022/70,520/64,382 after 9.5-10.3 s). Minutes are not priced there (`labelled` prices
them): there solver seed 0 went from 70,929 to 74,443 at the price's whole share and to
73,316 at half of it. Days and runs bind there before minutes do: the priced construction
ran out of days first (843,360 minutes unused against 237,000, about as many days worked),
and the 60-s roster already spends its minutes as the LP does (635 of 657 open are 720-min)."""
BY_DAYS_UP_TO = 182
"""Up to this horizon (26 weeks) the descent re-rosters by the days programme, exactly,
whom it models: about 0.04 s a call on Instance20 (0.1-0.2 s before it took a day's states
together, forty-fourth pass), 15-30 s on 52 weeks of 32 kinds. Instance20,
60 s, seeds 0/1/2: 5,541/5,853/5,684 before, 5,346/5,238/5,218 after (the start the LNS
gets: about 12,200 before, 7,000 after; benchmarks/journal_scheduling.md, sixteenth pass)."""
ALONE_TRADE_SHARE = 0.05
"""Share of the labels-only solve's time after the construction kept for the closing trades
(`trades`), where `trades.TRADE_SHARE` of the window LNS's time is a few seconds at most.
On 52 weeks the descent and the window LNS leave many wishes a two-person trade meets: from
a 60-s roster of synthetic 150 x 52 x 32 (70,470), trades took 693 off in 2 s and 950 in 17.
Generator seed 1, 60 s, solver seeds 0/1/2: 70,929/70,575/70,625 with 0.03 (then `TRADE_SHARE`),
70,267/70,054/71,515 with 0.1 of the time, 70,235/70,050/69,972 with this share. Since the
fills (`fills`) also run straight after the descent, until they and the trades stop helping
or this moment, the share is what is kept for them after the window LNS."""
FINISH_MARGIN = 0.03
"""Share of the time limit kept after the descent and window LNS of a labels-only solve
(to evaluate and explain the roster)."""


def labelled(m: Model, deadline: float, descent: bool = True) -> Values | None:
    """The labelling construction over `m`'s variables; None if someone got no roster.

    `descent` False leaves out the re-rostering person by person: column generation
    needs the start only as a column, and the time is worth more to its root LP
    (Instance14, seed 1: the descent took 11.6 s of 58, the root then did not converge
    and the roster ended at 1,387-1,586 against 1,282-1,286 when CP-SAT gives the start).

    The construction charges each person's minutes at their price (`minute_prices`); the
    descent and the LNS after it then work on the true objective.
    """
    cap = cap_for(m.problem)
    half = half_weekend_charge(m.problem)
    persons: dict[int, Person] = {}
    values_found, missing = by_labels(
        m.problem, m.shifts_of, cap, deadline, half_weekend=half, persons=persons,
        minute_prices=minute_prices(m.problem, m.shifts_of),
    )
    if missing:
        return None
    if not descent:
        return {**dict.fromkeys(m.x, 0), **values_found}
    now = time.monotonic()
    improved, _ = descend(
        m.problem, m.shifts_of, values_found, cap, now + DESCENT_SHARE * (deadline - now), grow=DESCENT_GROW,
        half_weekend=half, by_days=m.problem.horizon_days <= BY_DAYS_UP_TO, persons=persons,
    )
    values: Values = dict.fromkeys(m.x, 0)
    values.update(improved)
    return values


def descended(m: Model, values: Values, deadline: float) -> Values:
    """`values` re-rostered one person at a time against everyone else's cover until nobody
    gains alone or `deadline` passes; each person the days programme models gets their best
    roster exactly. Each change lowers the objective where people are coupled only by cover
    (no series goal)."""
    improved, _ = descend(m.problem, m.shifts_of, values, cap_for(m.problem), deadline, by_days=True)
    return improved


def solve_by_labels(
    problem: Problem,
    deadline: float,
    started: float,
    seed: int,
    workers: int,
    explain_by: float | None,
) -> Result:
    """A problem too large for a CP-SAT model: the labelling construction alone."""
    cap = cap_for(problem)
    half = half_weekend_charge(problem)
    shifts_of = candidate_shifts(problem)
    stats: dict[str, float] = {"labelled_start": 1.0, "label_cap": float(cap)}
    persons: dict[int, Person] = {}
    processes = labelling_processes(problem, shifts_of, workers)
    try:
        found, missing = by_labels(
            problem, shifts_of, min(cap, ALONE_CONSTRUCTION_CAP), deadline, half_weekend=half, persons=persons
        )
        if missing:
            return Result("timeout", (), None, None, {}, time.monotonic() - started, stats=stats)
        # Leave time to evaluate and explain the roster within the limit, and the closing
        # trades their share; the window LNS gets what the descent leaves.
        finish = deadline - FINISH_MARGIN * (deadline - started)
        trades_at = trades_from(problem, finish, ALONE_TRADE_SHARE)
        now = time.monotonic()
        values, rounds = descend(
            problem, shifts_of, found, cap, now + ALONE_DESCENT_SHARE * (trades_at - now),
            half_weekend=half, persons=persons, processes=processes, at_once=workers,
        )
    finally:
        if processes is not None:
            processes.shutdown(wait=False, cancel_futures=True)
    stats["descent_rounds"] = rounds
    if windowable(problem):
        # The fills and trades first: from the descent's roster they gain far more a second
        # than the window LNS (synthetic 150 x 52 x 32: 2,900 in about 10 s, the LNS about
        # 400 in the same time), which then gets what they leave, and they close again.
        start = Incumbent(values, evaluate(problem, assigned(problem, values)).objective)
        descended, moved = closing_moves(problem, shifts_of, start, trades_at, seed)
        search = WindowLns(problem, shifts_of, descended, -(1 << 62), trades_at, _ignore, seed)
        best, traded = closing_moves(problem, shifts_of, search.run(threads=workers), finish, seed)
        values = best.values
        stats["lns_steps"] = search.stats.steps
        stats["lns_improvements"] = search.stats.improvements
        stats["lns_traded"] = moved + traded
    assignments = assigned(problem, values)
    evaluation = evaluate(problem, assignments)
    if evaluation.violations:
        return Result("timeout", (), None, None, {}, time.monotonic() - started, stats=stats)
    return explained(
        problem, "feasible", assignments, evaluation.objective, None, evaluation.breakdown,
        started, explain_by, stats,
    )


def _ignore(_: int) -> None:
    return None
