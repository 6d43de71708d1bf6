"""A proven lower bound for matching problems whose people series continuity couples.

Column generation over whole personal rosters (as `colgen`) on the master with
per-series choices (`series_master`). Each round prices every person exactly
(the labelling where it models every rule, else the one-person CP-SAT model);
whenever every pricing proves its minimum, the Lagrangian bound

    LP value + sum over people of min(0, least reduced cost)

holds for the objective of every roster, even before the LP converges. No I/O;
the time is given as a deadline on `time.monotonic()`, and on large runs pricing
spawns processes of its own (`pricing_pool`).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field

from asta.scheduling._model import Model
from asta.scheduling.evaluator import person_violations
from asta.scheduling.problem import Problem
from asta.scheduling.solver.colgen import QUICK_PRICING
from asta.scheduling.solver.labelling import supported
from asta.scheduling.solver.master import Column, Solution, priced_column, rosters_by_person
from asta.scheduling.solver.pricing_pool import PROCESS_PEOPLE, People, Prices, PricingPool
from asta.scheduling.solver.series_master import SeriesMaster
from asta.scheduling.solver.series_pricing import MAX_PRICINGS

Values = dict[tuple[int, int], int]

REDUCED_COST_EPS = 1e-6


@dataclass
class SeriesBound:
    bound: int | None
    """Proven lower bound on the objective (rounded up: objectives are integers)."""
    lp: float | None
    """The last master LP value (a bound only once pricing finds nothing negative)."""
    integral: bool
    """Whether the LP's optimum, once proven, was a roster: the bound is then the optimum."""
    stats: dict[str, float] = field(default_factory=dict)


class _Search:
    def __init__(
        self,
        problem: Problem,
        shifts_of: list[list[int]],
        workers: int,
        seed: int,
        by_labels: bool,
        max_pricings: int,
        processes: bool,
    ) -> None:
        self.problem = problem
        self.max_pricings = max_pricings
        self.deadline = math.inf
        self.seed = seed
        staff_of: list[list[int]] = [[] for _ in problem.shifts]
        for pi, mine in enumerate(shifts_of):
            for si in mine:
                staff_of[si].append(pi)
        self.master = SeriesMaster(problem, staff_of)
        self.people = len(shifts_of)
        self.series_of: list[dict[int, list[int]]] = []
        for mine in shifts_of:
            own: dict[int, list[int]] = defaultdict(list)
            for si in mine:
                if si in self.master.series_of:
                    own[self.master.series_of[si]].append(si)
            self.series_of.append(dict(own))
        self.pool = PricingPool(People(problem, shifts_of, self.series_of, by_labels), self.people,
                                workers, processes)
        self.rounds = 0

    def add_roster(self, values: Values) -> None:
        for column in start_columns(self.problem, values):
            self.master.add(column)

    def price(
        self,
        duals: Sequence[float],
        sigmas: list[dict[int, float]],
        mu: list[float],
        limit_s: float,
        keep_all: bool = False,
    ) -> tuple[int, float | None]:
        """Price everyone once: columns added, and the sum of proven negative minima."""
        self.rounds += 1
        seed = self.seed + self.rounds
        prices = Prices(duals, sigmas, mu, limit_s, seed, self.max_pricings, self.deadline)
        added, lowest = 0, 0.0
        proven = True
        for pi, (columns, low) in enumerate(self.pool.price(prices)):
            for column in columns:
                reduced = self.master.reduced_cost(column, duals, mu, sigmas[pi])
                if keep_all or reduced < -REDUCED_COST_EPS:
                    added += self.master.add(column)
            if low is None:
                proven = False
            else:
                lowest += min(0.0, low)
        return added, (lowest if proven else None)


def start_columns(problem: Problem, values: Values) -> list[Column]:
    """Each person's roster, and the legal ones left by dropping one shift or all but the agreed.

    With a column a person, any prices that make each roster break even solve the first
    LP, and the dual simplex picks extreme ones: a person's least reduced cost was
    -2,000,750 in the first round on the 5,000-person instance's largest area. A shorter
    roster keeps a shift's price above what dropping it saves, and the agreed shifts alone
    keep a person's dual below their cost. (That area's bound after 60 s: 35,565 against
    20,928; the whole instance's after 600 s: 1,156,052 against 928,013; twenty-fourth pass.)
    """
    shift = {s.id: si for si, s in enumerate(problem.shifts)}
    person = {p.id: pi for pi, p in enumerate(problem.professionals)}
    agreed: dict[int, set[int]] = defaultdict(set)
    for pid, sid in problem.fixed:
        agreed[person[pid]].add(shift[sid])
    columns = []
    for pi, shifts in enumerate(rosters_by_person(len(problem.professionals), values)):
        who, roster = problem.professionals[pi], frozenset(shifts)
        shorter = (roster - {si} for si in sorted(roster - agreed[pi]))
        for kept in dict.fromkeys([roster, roster & agreed[pi], *shorter]):
            worked = [problem.shifts[si] for si in sorted(kept)]
            if kept == roster or not person_violations(problem, who, worked):
                columns.append(priced_column(problem, pi, kept))
    return columns


def series_bound(
    problem: Problem,
    shifts_of: list[list[int]],
    start: Values | None,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
    by_labels: bool | None = None,
    on_round: Callable[[int, float, float | None], None] | None = None,
    max_pricings: int = MAX_PRICINGS,
    processes: bool | None = None,
) -> SeriesBound:
    """The best Lagrangian bound column generation proves by `deadline`.

    Pricing is by labelling where it models every rule (`by_labels` None), else by
    the one-person CP-SAT model; on Asta's matching problems the labelling is exact
    and takes milliseconds per person. `on_round` hears (round, LP value, best bound);
    `max_pricings` caps the pricings per person and round (`series_pricing`); pricing
    runs in `workers` processes where `processes` says so (None: from `PROCESS_PEOPLE` up).
    """
    began = time.monotonic()
    by_labels = supported(problem) if by_labels is None else by_labels
    processes = workers > 1 and len(shifts_of) >= PROCESS_PEOPLE if processes is None else processes
    search = _Search(problem, shifts_of, workers, seed, by_labels, max_pricings, processes)
    search.deadline = deadline
    best: float | None = None
    value: float | None = None
    integral = converged = False
    try:
        if start is not None:
            search.add_roster(start)
        people = search.people
        if start is None:
            # Everyone's favourite roster at zero prices gives every person a column. (With a
            # roster to start from, it has one, and those favourites crowd shifts beyond
            # capacity: prices of 100 times a position's, which the LP takes many rounds and,
            # on 5,000 people, minutes of GLOP per round to unlearn.)
            zero = [0.0] * len(problem.shifts)
            no_charge: list[dict[int, float]] = [{} for _ in range(people)]
            search.price(zero, no_charge, [0.0] * people, max(0.01, deadline - time.monotonic()), True)
        if not search.master.has_column_for_everyone():
            return SeriesBound(None, None, False, {"series_bound_s": time.monotonic() - began})
        # CP-SAT pricing proves slowly while the duals are far off: quick calls first.
        limit = math.inf if by_labels else QUICK_PRICING
        solution: Solution | None = None
        while time.monotonic() < deadline:
            if solution is None:
                try:
                    solution = search.master.solve(deadline)
                except RuntimeError:
                    break  # the LP solver gave up or ran out of time: keep the bound proven so far
            value = solution.value
            integral = search.master.integral(solution)
            left = max(0.01, deadline - time.monotonic())
            added, lowest = search.price(solution.duals, search.master.sigmas(), solution.mu,
                                         min(limit, left))
            if lowest is not None:
                best = max(best if best is not None else -math.inf, value + lowest)
                converged = lowest > -REDUCED_COST_EPS * max(1.0, abs(value))
            if on_round is not None:
                on_round(search.rounds, value, best)
            if converged or (best is not None and _rounded(best) >= _rounded(value)):
                converged = True  # no further round can raise the whole-number bound
                break
            if added == 0 and lowest is not None and search.max_pricings < MAX_PRICINGS:
                # Not converged, yet nothing new: some person's branching ran out of
                # pricings before finding their best roster. Price the same LP deeper.
                search.max_pricings = min(MAX_PRICINGS, 2 * search.max_pricings)
                continue
            if added == 0 and (lowest is not None or limit >= left):
                break  # nothing new to add: more rounds would give the same bound
            if lowest is None and added < people:
                limit *= 2
            solution = None
    except BrokenExecutor:
        pass  # a pricing process died: keep the bound proven so far
    finally:
        peak_mb = search.pool.peak_memory_mb()
        search.pool.shutdown()
    stats = {
        "series_bound_s": time.monotonic() - began,
        "series_bound_rounds": search.rounds,
        "series_bound_columns": len(search.master.columns),
    }
    if peak_mb is not None:
        stats["pricing_process_peak_mb"] = peak_mb
    stats["series_bound_converged"] = float(converged)
    bound = None if best is None else _rounded(best)
    return SeriesBound(bound, value, integral and converged, stats)


def _rounded(value: float) -> int:
    """Objectives are whole numbers: a bound rounds up, past the LP's tolerance."""
    return math.ceil(value - 1e-6 * max(1.0, abs(value)))


SHARE = 0.25
"""At most this share of the time left goes to the bound (it converges in well under a
second on Asta's matching runs; the LNS gets the rest)."""


def raise_bound(
    m: Model, values: Values, bound: int | None, deadline: float, workers: int, seed: int,
    stats: dict[str, float],
) -> int | None:
    """The better of `bound` (CP-SAT's) and the series LP's, for a run with roster `values`."""
    now = time.monotonic()
    outcome = series_bound(m.problem, m.shifts_of, values, now + SHARE * (deadline - now), workers, seed)
    stats.update(outcome.stats)
    if outcome.bound is None:
        return bound
    stats["series_lp_bound"] = outcome.bound
    return outcome.bound if bound is None else max(bound, outcome.bound)
