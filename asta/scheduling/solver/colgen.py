"""Column generation over whole personal rosters, and a dive to a roster.

Only cover couples people (see `sequential`), so matching is a choice of one
legal roster per person. The master LP (`master`) mixes rosters fractionally
and prices each shift's cover with a dual; per person a one-person CP-SAT model
(`pricing`), a dynamic programme over the days (`dp_pricing`) or the labelling finds the
roster with the most negative reduced cost. This LP is far
tighter than the assignment model's: on Curtois & Qu Instance8 it gives 1297
against CP-SAT's 1227, for an optimum of 1300. Diving on it (fix the rosters
the LP is surest of, price again, repeat) yields a roster close to that bound;
one CP-SAT step settles the last few people together and the LNS polishes.
Burke & Curtois (2014) solve these benchmarks by branch and price on the same
master.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from asta.scheduling._model import Model
from asta.scheduling.problem import Problem
from asta.scheduling.solver.dp_pricing import DaysPricer, price_in_process, start_process
from asta.scheduling.solver.label_pricing import LabelPricer
from asta.scheduling.solver.labelling import supported
from asta.scheduling.solver.master import Column, Master, MasterNotSolved, Solution, rosters_by_person
from asta.scheduling.solver.pricing import Pricer

Values = dict[tuple[int, int], int]

ROOT_SHARE = 0.45
"""Share of the time the root LP may take before diving starts anyway."""
ROOT_GAP = 0.003
"""The root LP counts as converged within this relative distance of its Lagrangian bound."""
EXACT_ROUND_SHARE = 0.05
"""Share of the time an exact round may take after a root that proved no bound: the quick
calls of a root short of convergence seldom all prove their minimum (Instance14, 6 weeks:
22-24 rounds and none, on every seed measured), and without a bound a run reports no gap.
One exact round after it took 0.8-0.9 s there and proved 1,233-1,257 against an optimum of
1,278."""
DIVE_ITERATIONS = 30
"""Pricing rounds after each fixing step of the dive."""
ROUNDS_NEEDED = 20
"""Exact pricing rounds the search needs at the least to be worth starting."""
QUICK_PRICING = 0.05
"""Seconds per pricing call at first: any roster with a negative reduced cost helps
while the duals are far off, so pricing is proven optimal only when it must be."""
SURE = 0.99
"""Rosters the LP chooses at least this much are fixed together in one dive step."""
MAX_DIVE_BATCH = 8
"""A dive whose steps must fix more people than this at once to finish in time gives up:
its roster drifts far from the LP's, and the LNS does better with the time (synthetic
120 people x 4 weeks x 18 kinds, the size of Curtois & Qu Instance13, seeds 0-2: batches of
15-21, the dive's rosters 4,079-9,352, the solves' 1,876 / 955 / 433; giving up, 180 / 719 /
122). The shipped instances' dives fix 1-2 a step, those of the other held-back sizes at most 5."""
DIVE_STEP_ROUNDS = 2.4
"""A dive step takes at least this many times the first pricing round (first steps measured:
Instance8 4.3, Instance14 3.4, Instance18 2.4, synthetic 60 x 4 x 10 3.2, 45 x 6 x 6 3.7), so a
first round that slow tells before the root that the dive would give up (`MAX_DIVE_BATCH`),
and the LNS gets the root's time too (120 x 4 x 18, seeds 0-2: 99 / 131 / 151)."""
LABEL_PRICING_DAYS = 182
"""From this horizon on (26 weeks) the labelling prices. Per call (benchmarks/pricing.py,
loaded machine): Instance18 (12 weeks) CP-SAT 0.9 s, labelling 12.8 s; Instance20 (26 weeks)
CP-SAT 10.4 s (one call out of three hit 30 s), labelling 3.2 s."""
DAYS_PRICING_DAYS = 28
"""From this horizon on (4 weeks) to `LABEL_PRICING_DAYS` the dynamic programme over days
prices (`dp_pricing`, in processes: it holds the GIL); below it, CP-SAT. Since the programme
takes a day's states together, it is the faster from 4 weeks on (benchmarks/pricing.py, a
person's first call, median): Instance8 (4 weeks) CP-SAT 0.022 s, days 0.008 s; Instance14
(6 weeks) 0.053 s against 0.030 s; Instance18 (12 weeks) 0.143 s against 0.011 s. The roots
then prove their bounds in time: Instance8 in 2.4-2.5 s of a 60-s solve instead of not within
its 15, Instance14 in 7-8 s (its three seeds 1,278 / 1,279 / 1,278 against 1,291 / 1,285 /
1,288 with CP-SAT pricing the same hour; journal_scheduling.md, forty-fourth pass)."""
SETTLE_AT_LEAST = 3
SETTLE_SHARE = 10
"""The dive stops with max(3, a tenth of the people) still open: the rosters of the
last few decide most of the cover still missing, and one CP-SAT step over them
all (see `Outcome.unsettled`) does better than fixing them one at a time."""


@dataclass
class Outcome:
    values: Values | None
    """A legal roster for the whole model, or None when the dive did not finish."""
    unsettled: tuple[int, ...]
    """People the dive left on the LP's favourite roster, for an exact step to settle."""
    bound: int | None
    """A proven lower bound on the objective: the best of the root's rounds whose pricing was
    all solved to optimality, or of the exact round after a root that had none."""
    stats: dict[str, float] = field(default_factory=dict)


def _pricing_processes(
    problem: Problem, shifts_of: list[list[int]], workers: int
) -> ProcessPoolExecutor | None:
    """`workers` processes set up for `dp_pricing.price_in_process`, started before the first
    round is timed (a process imports Asta and numpy first: about a second). Spawned, not
    forked: the solver's own threads may hold locks."""
    if workers < 2:
        return None
    processes = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"),
                                    initializer=start_process, initargs=(problem, shifts_of))
    try:
        for ready in [processes.submit(int) for _ in range(workers)]:
            ready.result()
    except (OSError, BrokenProcessPool):
        processes.shutdown(wait=False, cancel_futures=True)
        return None  # the threads price, more slowly
    return processes


def separable(problem: Problem) -> bool:
    """Whether only cover couples people (series continuity couples them too)."""
    return problem.weights.continuity == 0 or all(s.series is None for s in problem.shifts)


class _Search:
    def __init__(self, m: Model, deadline: float, workers: int, seed: int) -> None:
        self.m = m
        self.problem = m.problem
        self.deadline = deadline
        self.seed = seed
        self.pool = ThreadPoolExecutor(max(1, workers))
        self.master = Master(self.problem, [len(staff) for staff in m.staff_of])
        horizon = self.problem.horizon_days
        by_labels = supported(self.problem) and horizon >= LABEL_PRICING_DAYS
        kind = LabelPricer if by_labels else DaysPricer if horizon >= DAYS_PRICING_DAYS else Pricer
        self.pricers: list[Pricer | DaysPricer | LabelPricer] = [
            kind(self.problem, pi, mine) for pi, mine in enumerate(m.shifts_of)
        ]
        self.processes = _pricing_processes(self.problem, m.shifts_of, workers) if (
            kind is DaysPricer) else None
        """Where the days programme prices: in threads it would hold the GIL, one call at a
        time (Instance18: 0.107 s a call in two threads, 0.050 s in one)."""
        self.iterations = 0
        self.price_limit = math.inf
        people = len(self.problem.professionals)
        self.settle_at = min(people, max(SETTLE_AT_LEAST, people // SETTLE_SHARE))
        self.unsettled: tuple[int, ...] = ()
        self.failed = False
        """Whether the master LP failed (`MasterNotSolved`) during the dive."""
        self.largest_batch = 0
        """The most people a dive step had to fix (`dive_batch`)."""
        self.last: Solution | None = None
        """The master LP's last answer."""

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        if self.processes is not None:
            self.processes.shutdown(wait=True, cancel_futures=True)

    def add_roster(self, values: Values) -> None:
        for pi, shifts in enumerate(rosters_by_person(len(self.problem.professionals), values)):
            self.master.add(self.pricers[pi].column(frozenset(shifts)))

    def iterate(
        self,
        people: list[int],
        duals: list[float],
        mu: list[float],
        keep_all: bool = False,
        until: float | None = None,
    ) -> tuple[int, float | None]:
        """Price `people` once, every call ending by `until` (at the latest the deadline);
        returns columns added and the sum of proven reduced-cost minima."""
        self.iterations += 1
        ends = self.deadline if until is None else min(until, self.deadline)

        def price(pi: int) -> tuple[list[Column], float | None]:
            # Calls queue behind each other in the pool: each gets what is left of the
            # round's time, not the whole of it (26 weeks of labelling per person, 40
            # people: 517 s for a first round that had 35 s).
            left = ends - time.monotonic()
            if left <= 0:
                return [], None
            limit = min(self.price_limit, left)
            processes = self.processes
            if processes is not None:
                try:
                    return processes.submit(price_in_process, pi, duals, mu[pi], limit,
                                            self.seed + self.iterations).result()
                except BrokenProcessPool:  # a process died (killed, out of memory)
                    self.processes = None
                    processes.shutdown(wait=False, cancel_futures=True)
            return self.pricers[pi].price(duals, mu[pi], limit, self.seed + self.iterations)

        added = 0
        lowest: float | None = 0.0
        for columns, low in self.pool.map(price, people):
            for column in columns:
                if keep_all or column.reduced_cost(duals, mu) < -1e-6:
                    added += self.master.add(column)
            lowest = None if low is None or lowest is None else lowest + min(0.0, low)
        return added, lowest

    def root(self, until: float) -> float | None:
        """Column generation on the whole master; the best Lagrangian bound, if proven."""
        everyone = list(range(len(self.problem.professionals)))
        best: float | None = None
        while time.monotonic() < until:
            solution = self.last = self.master.solve()
            added, lowest = self.iterate(everyone, solution.duals, solution.mu)
            if lowest is not None:
                bound = solution.value + lowest
                best = bound if best is None else max(best, bound)
            converged = best is not None and solution.value - best <= ROOT_GAP * abs(solution.value)
            if converged or (added == 0 and lowest is not None):
                break
            if lowest is None and added < len(everyone):
                self.price_limit *= 2  # the quick pricing is running dry
        return best

    def exact_bound(self, until: float) -> float | None:
        """One round of exact pricing on the master as it stands: its Lagrangian bound,
        unless a call is cut short by `until`."""
        saved, self.price_limit = self.price_limit, math.inf
        try:
            solution = self.last = self.master.solve()
            _, lowest = self.iterate(list(range(len(self.pricers))), solution.duals, solution.mu,
                                     until=until)
        finally:
            self.price_limit = saved
        return None if lowest is None else solution.value + lowest

    def crowded(self, round_s: float, dive_s: float) -> bool:
        """Whether a dive of `dive_s` seconds, its steps `DIVE_STEP_ROUNDS` pricing rounds of
        `round_s` each, would have to fix more than `MAX_DIVE_BATCH` people a step."""
        people = len(self.problem.professionals)
        step_s = DIVE_STEP_ROUNDS * round_s
        return dive_batch(people - self.settle_at, dive_s, step_s, self.settle_at) > MAX_DIVE_BATCH

    def dive(self, exact: bool) -> Values | None:
        """Fix rosters the LP is surest of, re-price the others, until everyone has one.

        Pricing is `exact` again where the root proved its bound; where it did not, the LP
        is far from its optimum, an exact CP-SAT call costs about 0.9 s on 12 weeks, and the
        quick calls of the root go on (Instance18, six runs: the dive's roster 5,135-5,821
        against 5,922-7,649 in four; the whole solve's stays within its spread; on
        Instance8, whose root converges, quick calls in the dive gave 1,412-1,505 where
        exact ones give about 1,310). Each step fixes one person, and everybody
        whose roster the LP is sure of, while the time left allows a step per person:
        fixing several at once moved Instance8's LP from 1,318 to 1,368 in one step, and
        the roster ended in its +8 % mode (measured). Where it does not (60 people over
        4 weeks of 10 kinds), a step fixes as many as leave the exact step at most twice
        its usual few (`dive_batch`); more than `MAX_DIVE_BATCH`, and it gives up (None).
        Whoever is left when time is up, or the last few, keep the roster the LP likes
        best (any choice of columns is a legal roster) and are listed in `unsettled` for
        the exact step.
        """
        if exact:
            self.price_limit = math.inf
        fixed: dict[int, Column] = {}
        people = len(self.problem.professionals)
        step_s = 0.0
        try:
            while people - len(fixed) > self.settle_at and time.monotonic() < self.deadline:
                stepped = time.monotonic()
                solution = self.last = self.master.solve()
                left = self.deadline - time.monotonic()
                to_fix = people - len(fixed) - self.settle_at
                batch = dive_batch(to_fix, left, step_s, self.settle_at)
                self.largest_batch = max(self.largest_batch, batch)
                if batch > MAX_DIVE_BATCH:
                    return None
                ranked = self.master.surest(solution, set(fixed), SURE, batch)
                for k, (pi, column) in enumerate(ranked[:to_fix]):
                    # Two rosters the LP mixes need not fit together at full weight.
                    if k == 0 or self.master.fits([*fixed.values(), column]):
                        fixed[pi] = column
                        self.master.fix(column)
                free = [pi for pi in range(people) if pi not in fixed]
                began = time.monotonic()
                # Later steps get more time: with fewer people free, each fix moves the LP more.
                shares = [1.0 / f for f in range(self.settle_at + 1, len(free) + 1)]
                step_ends = began + left * (shares[-1] / sum(shares) if shares else 1.0)
                for _ in range(DIVE_ITERATIONS):
                    solution = self.last = self.master.solve()
                    added, _ = self.iterate(free, solution.duals, solution.mu)
                    if not added or time.monotonic() >= step_ends:
                        break
                step_s = time.monotonic() - stepped
            self.last = self.master.solve()
        except MasterNotSolved:
            # GLOP failed even from scratch (Instance8: 2 runs in about 50). Its last answer
            # still gives everyone left a roster, and the exact step settles them.
            self.failed = True
        if self.last is None:
            return None
        self.unsettled = tuple(pi for pi in range(people) if pi not in fixed)
        for pi, column in self.master.surest(self.last, set(fixed), SURE, people):
            fixed[pi] = column
        if not self.master.fits(fixed.values()):
            return None
        values: Values = dict.fromkeys(self.m.x, 0)
        for pi, column in fixed.items():
            for si in column.shifts:
                values[pi, si] = 1
        return values


def dive_batch(to_fix: int, left: float, step_s: float, spare: int) -> int:
    """People the next dive step fixes: one while `left` seconds allow a step as long as the
    last (`step_s`) for each of the `to_fix` but `spare` (the exact step takes that many
    more), else enough that the steps left leave no more. Whoever is left keeps the LP's
    favourite roster, and one exact step cannot repair dozens (synthetic 60 x 4 x 10 kinds:
    45-48 of 60 left, the dive's roster 8,862-9,990 against 6,489-6,842 when steps fix
    several; benchmarks/journal_scheduling.md)."""
    steps = max(1.0, left / step_s) if step_s > 0 else math.inf
    return 1 if to_fix - spare <= steps else math.ceil((to_fix - spare) / steps)


def price_and_dive(m: Model, start: Values | None, deadline: float, workers: int, seed: int) -> Outcome:
    """A near-optimal roster and a lower bound, within `deadline` (time.monotonic())."""
    search = _Search(m, deadline, workers, seed)
    began = time.monotonic()
    lagrangian: float | None = None
    values: Values | None = None
    root_s = round_s = 0.0
    failed = False
    try:
        if start is not None:
            search.add_roster(start)
        # Everyone's favourite roster, priced at zero, gives every person a column.
        # A first round slower than this leaves too few rounds: it stops there.
        first_round_ends = began + (deadline - began) / ROUNDS_NEEDED
        zero = [0.0] * len(m.problem.shifts)
        everyone = list(range(len(search.pricers)))
        round_began = time.monotonic()
        search.iterate(everyone, zero, [0.0] * len(everyone), True, first_round_ends)
        round_s = time.monotonic() - round_began
        too_slow = time.monotonic() > first_round_ends
        crowded = search.crowded(round_s, (1 - ROOT_SHARE) * (deadline - began))
        if too_slow or crowded or not search.master.has_column_for_everyone():
            # Hopeless within the time (Curtois & Qu Instance20: 50 people over
            # 26 weeks; 120 people over 4 weeks): leave the time to the LNS.
            stats = {"colgen_s": time.monotonic() - began, "colgen_first_round_s": round_s}
            return Outcome(None, (), None, stats)
        search.price_limit = QUICK_PRICING
        lagrangian = search.root(began + ROOT_SHARE * (deadline - began))
        proven = lagrangian is not None
        if not proven:
            lagrangian = search.exact_bound(time.monotonic() + EXACT_ROUND_SHARE * (deadline - began))
        root_s = time.monotonic() - began
        values = search.dive(exact=proven)
    except MasterNotSolved:
        # In the root: the bound proven so far stands; the incumbent stays and the LNS
        # goes on from it.
        failed = True
    finally:
        search.close()
    bound = None if lagrangian is None else math.ceil(lagrangian - 1e-6)
    stats = {
        "colgen_first_round_s": round_s,
        "colgen_root_s": root_s,
        "colgen_s": time.monotonic() - began,
        "colgen_columns": len(search.master.columns),
        "colgen_iterations": search.iterations,
        "colgen_failed": float(failed or search.failed),
        "colgen_batch": float(search.largest_batch),
        "colgen_unsettled": float(len(search.unsettled)),
    }
    return Outcome(values, search.unsettled if values is not None else (), bound, stats)
