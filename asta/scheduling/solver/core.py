"""CP-SAT matching of professionals to shift positions.

`solve` is the entry point: it builds the model from the rule functions in
`constraints`, runs CP-SAT for part of the time and then improves the roster by
large-neighbourhood search (re-optimising a few people or a few days at a time
with the rest fixed), which on rostering benchmarks closes gaps that the plain
search leaves open in a minute. When the first phase finds no roster, the
labelling construction (`construct`) gives a legal start; above
`LABELS_ONLY_PAIRS` it is the whole answer, improved by window LNS. From
`WINDOW_LNS_DAYS` or `WINDOW_LNS_PAIRS` on, the LNS re-rosters time windows as small models
of their own (`window_lns`). No I/O; infeasibility is a status.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem
from asta.scheduling.solver.built import Built, build
from asta.scheduling.solver.by_labels import descended, labelled, solve_by_labels
from asta.scheduling.solver.colgen import LABEL_PRICING_DAYS, price_and_dive, separable
from asta.scheduling.solver.cp import new_solver
from asta.scheduling.solver.decompose import candidate_pairs, parts, solve_in_parts
from asta.scheduling.solver.fill_chains import fill_open
from asta.scheduling.solver.fills import closing_moves
from asta.scheduling.solver.greedy import greedy, has_minimum_rules
from asta.scheduling.solver.labelling import supported
from asta.scheduling.solver.lns import Incumbent, Lns, Values, fix
from asta.scheduling.solver.result import Progress, Result, Status, explained
from asta.scheduling.solver.sequential import one_by_one
from asta.scheduling.solver.series_bound import raise_bound
from asta.scheduling.solver.trades import trades_from
from asta.scheduling.solver.window import windowable
from asta.scheduling.solver.window_lns import WindowLns, WindowStats

MONOLITHIC_PAIRS = 150_000
"""Above this many eligible pairs a multi-organisation problem is decomposed."""
COLGEN_SHARE = 0.6
"""Share of the time after the first phase that column generation may use; LNS gets the rest.
The dive often leaves one position open that the LNS can fill given the time (Instance8,
six seeds: 0.8 ended in the +8 % mode four times, 0.6 once)."""
SETTLE_S = 5.0
"""At most this long for the exact step that settles the people the dive left open."""
DESCENT_AFTER_DIVE_S = 5.0
"""At most this long, and at most a quarter of the time left, for re-rostering the settled
roster person by person (`by_labels.descended`) before the LNS: the dive fixes people against
prices, not against the cover the others left. Synthetic (generator seed 3), 60 s: 60 x 4 x 10
over six seeds 3,057-3,091 with it, 3,075-3,236 without; 40 x 12 x 5 18,866 against 19,186;
30 x 16 x 4 20,526 against 20,728. Up to 15 s was no better on 60 x 4 x 10."""
FINISH_PRICINGS = 4
"""The LNS ends this many pricings of its start before the deadline,"""
FINISH_AT_LEAST_S = 0.1
"""and at least this long before it: its last CP-SAT steps can end some hundredths of a second
past their limit, and where pricing is quick (Instance7: 0.01 s, four of them 0.04 s) the
answer came at 60.01 s in one run of three."""
FILL_SHARE = 0.05
"""Share of a decomposed solve's time kept for filling open positions across its parts."""
EXPLAIN_SHARE = 0.05
"""Share of the time limit kept back for explaining the roster at most, so that the answer comes
within the limit (a 60-s 150 x 52 x 32 roster is explained in about 2 s)."""
EXPLAIN_S = 0.25
EXPLAIN_S_PER_PAIR = 4e-6
"""What smaller problems keep back instead: the explanation's least work (every assignment,
and `explain.TRIED_AT_LEAST` people tried on open positions) measured about 2 µs a candidate
pair on 50-150 people over 26-52 weeks and 1 s for the national 5,000 people with every
position open (442,507 pairs); Instance1-20's under 0.2 s. The whole share left Instance20's
LNS 4 s short of its minute."""
LABELS_ONLY_PAIRS = 400_000
"""Above this many candidate pairs (one organisation) no CP-SAT model is built at all:
building it alone would take most of a minute and gigabytes (150 people x 52 weeks
x 32 kinds is 1.7 million pairs); the labelling construction is the roster."""
WINDOW_LNS_DAYS = 150
"""From this horizon on the LNS re-rosters time windows as small models of their own
(`window_lns`) instead of freeing parts of the whole model (Instance20, 26 weeks,
loaded machine: 21 029-23 689 -> 16 804-19 925; on Instance18, 12 weeks, an early
version was no better: 5 716 against 5 511)."""
WINDOW_LNS_PAIRS = 8_000
"""From this many candidate pairs on the LNS goes by time windows on any horizon too: a step on
the whole model costs what the whole model costs, a window's what the window's. Generated
instances, 60 s, the whole-model LNS against windows by solver seed: 120 x 4 x 18 (Instance13's
size, 38,880 pairs, LP bound 16) 423 / 206 / 187 against 190 / 65 / 97, generator seed 2
100 / 439 against 98 / 97; 80 x 4 x 12 (17,280) 574 against 444; 40 x 12 x 5 (12,800, bound
22,805) 23,392 / 23,160 against 22,971 / 22,988; 60 x 4 x 10 (11,340, bound 6,147) 6,229
against 6,221; 30 x 16 x 4 (9,630, bound 21,343) 21,635 / 21,588 against 21,505 / 21,530. The
shipped instances have at most 5,304 pairs below 150 days, where windows were no better
(Instance18, seeds 0-2: 4,563 / 4,575 / 4,484 against 4,574 / 4,470 / 4,570; Instance8, seeds
0-8: medians 1,309 and 1,307, better on 4 of 9)."""
WINDOW_STEP_S = 1.0
"""Time limit of a window LNS step here. Instance20, seeds 0-2, quiet machine, with people
steps holding only the freed people: 2 s 7 516 / 7 537 / 7 510, 1 s 6 833 / 6 632 / 7 333,
0.5 s 7 286 / 7 473 / 7 491, 1.5 s 7 071 / 7 300 / 7 405 (1 s again: 6 845 / 8 172 / 7 490).
Most steps still improve the roster, so more of them pay, until they are too short to finish."""


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None,
        started: float,
        phase: str,
        offset: float = 0.0,
    ) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._started = started
        self._phase = phase
        self._offset = offset

    def on_solution_callback(self) -> None:
        if self._on_progress is not None:
            self._on_progress(
                Progress(
                    objective=self.objective_value + self._offset,
                    best_bound=self.best_objective_bound + self._offset,
                    elapsed_s=time.monotonic() - self._started,
                    phase=self._phase,
                )
            )


def _status(code: Any) -> Status:
    if code == cp_model.OPTIMAL:
        return "optimal"
    if code == cp_model.FEASIBLE:
        return "feasible"
    if code == cp_model.INFEASIBLE:
        return "infeasible"
    return "timeout"


def _params(
    time_limit_s: float, seed: int, workers: int, extra: Mapping[str, Any] | None = None
) -> cp_model.CpSolver:
    solver = new_solver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = max(1, workers)
    for name, value in (extra or {}).items():
        setattr(solver.parameters, name, value)
    return solver


def _values(built: Built, solver: cp_model.CpSolver) -> Values:
    return {key: int(solver.boolean_value(var)) for key, var in built.model.x.items()}


def solve(
    problem: Problem,
    *,
    time_limit_s: float,
    seed: int = 0,
    workers: int = 2,
    on_progress: Callable[[Progress], None] | None = None,
    lns: bool = True,
    first_phase: float = 0.03,
    explain_result: bool = True,
    lns_options: Mapping[str, Any] | None = None,
    decompose: bool | None = None,
    cp_params: Mapping[str, Any] | None = None,
    prove: bool = True,
) -> Result:
    """Match professionals to positions within `time_limit_s` seconds.

    The first `first_phase` share of the time goes to a plain CP-SAT search
    (which may prove optimality); the rest to LNS from its best roster.
    Problems with more than `MONOLITHIC_PAIRS` eligible pairs over several
    organisations are solved organisation by organisation (`decompose`).
    `prove` False skips the series LP bound (a part of a decomposed solve
    reports none).
    """
    started = time.monotonic()
    deadline = started + time_limit_s - (explain_reserve(problem, time_limit_s) if explain_result else 0)
    explain_by = started + time_limit_s if explain_result else None
    if decompose is None:
        decompose = candidate_pairs(problem) > MONOLITHIC_PAIRS and len(parts(problem)) > 1
    if decompose:
        return _solve_in_parts(problem, deadline, started, seed, workers, explain_by)
    if supported(problem) and candidate_pairs(problem) > LABELS_ONLY_PAIRS:
        return solve_by_labels(problem, deadline, started, seed, workers, explain_by)
    built = build(problem)
    m = built.model
    hint = greedy(m)
    hint_is_roster = not has_minimum_rules(problem)
    if hint_is_roster:
        for key, var in m.x.items():
            m.cp.add_hint(var, hint[key])
    # Where CP-SAT found no roster at all on a long horizon, pricing whole rosters is
    # too slow as well (Curtois & Qu Instance20): the LNS gets all the time. On short
    # horizons column generation follows whatever the start (where only cover couples
    # people).
    short = problem.horizon_days < LABEL_PRICING_DAYS
    phase_limit = time_limit_s * (first_phase if lns else 1.0)
    phase_limit = max(0.01, min(phase_limit, deadline - time.monotonic()))
    solver = _params(phase_limit, seed, workers, cp_params)
    code = solver.solve(m.cp, _Reporter(on_progress, started, "search"))
    fallback = hint if hint_is_roster else None
    if code == cp_model.UNKNOWN and fallback is None and lns:
        # CP-SAT found no roster on the whole model (Curtois & Qu Instance20):
        # build a legal one person by person, then improve it by LNS. The
        # labelling takes seconds; CP-SAT person by person is kept for the
        # people it finds nothing for and for rules it does not model.
        descent = not (short and separable(problem))
        fallback = labelled(m, deadline, descent) if supported(problem) else None
        stats_labels = fallback is not None
        if fallback is None:
            now = time.monotonic()
            fallback = one_by_one(m, now + 0.6 * (deadline - now), deadline, _person_solver(seed))
    else:
        stats_labels = False
    while code == cp_model.UNKNOWN and fallback is None and time.monotonic() < deadline - 0.1:
        # No roster yet and nothing to fall back on: keep searching, in
        # growing chunks so that LNS still gets time once one is found.
        phase_limit = min(2 * phase_limit, deadline - time.monotonic())
        solver = _params(phase_limit, seed + 1, workers, cp_params)
        code = solver.solve(m.cp, _Reporter(on_progress, started, "search"))
    status = _status(code)
    stats: dict[str, float] = {"first_phase_s": solver.wall_time, "labelled_start": float(stats_labels)}
    pricing_began = time.monotonic()
    # The constructed roster is priced only where it is the start (CP-SAT found nothing).
    start_objective = (
        _objective_of(built, fallback) if status == "timeout" and fallback is not None else None
    )
    if status == "infeasible" or (status == "timeout" and start_objective is None):
        return Result(status, (), None, None, {}, time.monotonic() - started, stats=stats)
    if status == "timeout":
        # CP-SAT found nothing in time; the constructed roster is legal.
        assert fallback is not None and start_objective is not None
        bound = None
        incumbent = Incumbent(fallback, start_objective)
        status = "feasible"
    else:
        bound = math.ceil(solver.best_objective_bound - 1e-6)
        incumbent = _priced(built, _values(built, solver), round(solver.objective_value))
    # Pricing a roster on a large model takes seconds (50 people x 52 weeks: 1-1.5 s),
    # and so do an LNS step's set-up and the final pricing, beyond any time limit:
    # the LNS stops that much earlier so that the whole solve ends in time.
    reserve = max(FINISH_AT_LEAST_S, FINISH_PRICINGS * (time.monotonic() - pricing_began))
    stats["first_phase_objective"] = incumbent.objective
    if status != "optimal" and lns and prove and not separable(problem):
        # Series continuity couples people: no dive, but the LP still bounds the roster.
        bound = raise_bound(m, incumbent.values, bound, deadline, workers, seed, stats)
        if bound is not None and incumbent.objective <= bound:
            status = "optimal"
    if status != "optimal" and lns and (bound is not None or short) and separable(problem):
        incumbent, bound = _column_generation(built, incumbent, bound, deadline, seed, workers, stats)
        if on_progress is not None:
            on_progress(Progress(incumbent.objective, bound, time.monotonic() - started, "colgen"))
        if bound is not None and incumbent.objective <= bound:
            status = "optimal"
    if status != "optimal" and lns:

        def improved(objective: int) -> None:
            if on_progress is not None:
                elapsed = time.monotonic() - started
                on_progress(Progress(objective, bound, elapsed, "lns"))

        floor = bound if bound is not None else -(1 << 62)
        search: Lns | WindowLns
        lns_end = deadline - reserve
        if by_windows(problem, m.shifts_of):
            search = WindowLns(
                problem, m.shifts_of, incumbent, floor, trades_from(problem, lns_end), improved, seed,
                step_s=WINDOW_STEP_S,
            )
        else:
            search = Lns(m, incumbent, floor, lns_end, improved, seed, **(lns_options or {}))
        incumbent = search.run(threads=workers)
        # Windows leave trades between people over longer stretches, and open positions one
        # or two people's moves fill; the LNS over the whole model finds those itself (the
        # closing trades took 0-1 off Instance1-18's rosters).
        if isinstance(search, WindowLns) and incumbent.objective > floor:
            incumbent, traded = closing_moves(problem, m.shifts_of, incumbent, lns_end, seed)
            stats["lns_traded"] = traded
            if traded:
                improved(incumbent.objective)
            # The closing moves stop once no move pays, on Instance20 1.3-1.4 s before the
            # time kept for them is up: the window search has it.
            left = lns_end - time.monotonic()
            if left >= WINDOW_STEP_S and incumbent.objective > floor:
                stats["lns_went_on_s"] = round(left, 2)
                incumbent = search.go_on(incumbent, lns_end, workers)
        stats["lns_steps"] = search.stats.steps
        stats["lns_improvements"] = search.stats.improvements
        for kind, (steps, better, optimal) in search.stats.by_kind.items():
            stats[f"lns_{kind}"] = steps
            stats[f"lns_{kind}_better"] = better
            stats[f"lns_{kind}_optimal"] = optimal
        if isinstance(search.stats, WindowStats):
            for kind, gain in search.stats.gain.items():
                stats[f"lns_{kind}_gain"] = gain
            for kind, seconds in search.stats.seconds.items():
                stats[f"lns_{kind}_s"] = round(seconds, 1)
            stats["lns_chains_finished"] = search.stats.finished
            stats["lns_chains_finished_better"] = search.stats.finished_better
        if bound is not None and incumbent.objective <= bound:
            status = "optimal"
    return _result(built, incumbent, bound, status, started, stats, explain_by)


def by_windows(problem: Problem, shifts_of: list[list[int]]) -> bool:
    """Whether the LNS re-rosters time windows as models of their own (`window_lns`) rather
    than parts of the whole model: on long horizons and large models, where every goal splits
    over days."""
    large = problem.horizon_days >= WINDOW_LNS_DAYS or sum(map(len, shifts_of)) >= WINDOW_LNS_PAIRS
    return large and windowable(problem)


def explain_reserve(problem: Problem, time_limit_s: float) -> float:
    """Seconds of the time limit kept back for explaining the roster."""
    least = EXPLAIN_S + EXPLAIN_S_PER_PAIR * candidate_pairs(problem)
    return min(EXPLAIN_SHARE * time_limit_s, least)


def _column_generation(
    built: Built,
    incumbent: Incumbent,
    bound: int | None,
    deadline: float,
    seed: int,
    workers: int,
    stats: dict[str, float],
) -> tuple[Incumbent, int | None]:
    """The better of `incumbent` and a price-and-dive roster (settled, then descended), and
    the better bound."""
    now = time.monotonic()
    outcome = price_and_dive(
        built.model, incumbent.values, now + COLGEN_SHARE * (deadline - now), workers, seed
    )
    stats.update(outcome.stats)
    if outcome.bound is not None:
        bound = outcome.bound if bound is None else max(bound, outcome.bound)
    if outcome.values is None:
        return incumbent, bound
    objective = _objective_of(built, outcome.values)
    if objective is None:
        return incumbent, bound
    dived = Incumbent(outcome.values, objective)
    limit = min(SETTLE_S, deadline - time.monotonic())
    settler = Lns(built.model, dived, bound if bound is not None else -(1 << 62), deadline, _ignore, seed)
    dived = settler.settle(outcome.unsettled, limit, seed, workers)
    stats["colgen_objective"] = dived.objective
    if supported(built.model.problem):
        dived = _descended(built, dived, deadline, stats)
    return (dived if dived.objective < incumbent.objective else incumbent), bound


def _descended(built: Built, dived: Incumbent, deadline: float, stats: dict[str, float]) -> Incumbent:
    """`dived` re-rostered person by person for `DESCENT_AFTER_DIVE_S` at most, if cheaper."""
    now = time.monotonic()
    values = descended(built.model, dived.values, now + min(DESCENT_AFTER_DIVE_S, (deadline - now) / 4))
    objective = _objective_of(built, values)
    if objective is not None and objective < dived.objective:
        dived = Incumbent(values, objective)
    stats["colgen_descended"] = dived.objective
    stats["colgen_descent_s"] = round(time.monotonic() - now, 2)
    return dived


def _ignore(_: int) -> None:
    return None


def _solve_in_parts(
    problem: Problem,
    deadline: float,
    started: float,
    seed: int,
    workers: int,
    explain_by: float | None,
) -> Result:
    def part(sub: Problem, budget: float) -> tuple[tuple[str, str], ...]:
        result = solve(
            sub,
            time_limit_s=max(0.5, budget),
            seed=seed,
            workers=workers,
            explain_result=False,
            decompose=False,
            first_phase=0.5,
            prove=False,
        )
        return result.assignments

    # The pass across parts takes seconds at national scale: keep it a share of the time.
    parts_by = deadline - FILL_SHARE * (deadline - time.monotonic())
    assignments = fill_open(problem, solve_in_parts(problem, parts_by, part), deadline)
    # No single model priced this roster: the evaluator does.
    evaluation = evaluate(problem, assignments)
    return explained(
        problem, "feasible", assignments, evaluation.objective, None, evaluation.breakdown,
        started, explain_by, {"parts": len(parts(problem))},
    )


def _priced(built: Built, values: Values, reported: int) -> Incumbent:
    """`values` at their exact price. A roster that CP-SAT found mid-search may carry
    slack in its penalty terms (under- and over-cover of a shift both above zero), so
    its objective value can exceed the roster's cost (a synthetic 40 x 26 x 3 roster:
    96,924 reported, 82,481 by the evaluator)."""
    exact = _objective_of(built, values)
    return Incumbent(values, reported if exact is None else exact)


def _objective_of(built: Built, values: Values) -> int | None:
    """Objective of a full assignment, by fixing it in a copy of the model; None if illegal."""
    breakdown = _breakdown(built, values)
    return None if breakdown is None else sum(breakdown.values())


def _person_solver(
    seed: int,
) -> Callable[[Problem, float], tuple[tuple[str, str], ...] | None]:
    def solve_person(sub: Problem, budget: float) -> tuple[tuple[str, str], ...] | None:
        # One worker with the run clauses in the LP proves a one-person roster
        # optimal in about a second where two default workers time out (and
        # finds tight rosters that search without the LP misses); when that
        # finds nothing in the share of time, the first legal roster will do.
        for params, limit in (
            ({"linearization_level": 2}, budget),
            ({"linearization_level": 2, "stop_after_first_solution": True}, max(4 * budget, 5.0)),
        ):
            result = solve(
                sub,
                time_limit_s=max(0.05, limit),
                seed=seed,
                workers=1,
                lns=False,
                explain_result=False,
                decompose=False,
                cp_params=params,
            )
            if result.status in ("optimal", "feasible"):
                return result.assignments
        return None

    return solve_person


def _result(
    built: Built,
    incumbent: Incumbent,
    bound: int | None,
    status: Status,
    started: float,
    stats: dict[str, float],
    explain_by: float | None,
) -> Result:
    problem = built.model.problem
    assignments = tuple(
        (problem.professionals[pi].id, problem.shifts[si].id)
        for (pi, si), value in sorted(incumbent.values.items())
        if value
    )
    breakdown = _breakdown(built, incumbent.values) or {}
    # The breakdown is the roster's exact price; a step's objective may carry slack.
    objective = sum(breakdown.values()) if breakdown else incumbent.objective
    return explained(
        problem, status, assignments, objective, bound, breakdown, started, explain_by, stats
    )


def _breakdown(built: Built, values: dict[tuple[int, int], int]) -> dict[str, int] | None:
    """Goal totals re-read from a fresh solve with every assignment fixed.

    Auxiliary variables (under-cover, weekends, ...) are not kept between LNS
    steps, so the cheapest way to price each goal is to fix x and let CP-SAT
    settle the rest, which is immediate.
    """
    m = built.model
    fixed = m.cp.clone()
    fix(fixed, ((var.index, values[key]) for key, var in m.x.items()))
    solver = _params(10.0, 0, 1)
    code = solver.solve(fixed)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out: dict[str, int] = {}
    for p in built.penalties:
        value = p.expr if isinstance(p.expr, int) else int(solver.value(p.expr))
        out[p.goal] = out.get(p.goal, 0) + p.weight * value
    return out


