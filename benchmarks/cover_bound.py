"""A lower bound on any roster's objective: the linear relaxation of its rules.

    python benchmarks/cover_bound.py [--instance PATH ...] [--synthetic 150x52x32 ...]
        [--synthetic-seed N] [--seconds 600] [--solver PDLP]

Every legal roster is a 0-1 point of this linear programme, where the programme's objective
is the roster's (open positions, over-cover and requests; the instances have no other goals),
so the programme's minimum bounds every roster. Kept: one shift a day, the period's minutes
(rounded to what a person's shift lengths can add up to),
per-kind maxima, at most k days in a row, the weekend limit, forbidden successions and each
shift's capacity. Dropped: minimum runs and rests, weekly minutes and the rest between shifts
(the last two are not in the Curtois & Qu format). PDLP solves 52 weeks in minutes where the
simplex takes far longer, but its answer is approximate; so the bound printed is not its
objective but the Lagrangian of its duals, which weak duality makes a bound whatever they are.
Prints one JSON object per instance.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ortools.linear_solver import pywraplp  # noqa: E402

from asta.scheduling._model import candidate_shifts  # noqa: E402
from asta.scheduling.curtois_qu import load  # noqa: E402
from asta.scheduling.problem import Problem, Professional, is_weekend, weekend_index  # noqa: E402
from benchmarks.rostering import generated  # noqa: E402

Terms = list[tuple[int, float]]
STATUS = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE"}


@dataclass
class Relaxation:
    """min cost.x + constant, 0 <= x <= hi, row_lo <= row.x <= row_hi for each row."""

    cost: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    rows: list[tuple[float, float, Terms]] = field(default_factory=list)
    constant: float = 0.0
    worked: dict[tuple[int, int], int] = field(default_factory=dict)
    """(person, shift) -> its variable."""
    weekend: dict[tuple[int, int], int] = field(default_factory=dict)
    """(person, weekend) -> whether they work it."""
    open_over: list[tuple[int, int]] = field(default_factory=list)
    """Per shift, its open positions' and its over-cover's variables."""

    def var(self, hi: float, cost: float = 0.0) -> int:
        self.cost.append(cost)
        self.hi.append(hi)
        return len(self.cost) - 1

    def row(self, lo: float, hi: float, terms: Terms) -> None:
        self.rows.append((lo, hi, terms))


def relaxation(problem: Problem) -> Relaxation:
    lp = Relaxation()
    shifts, w = problem.shifts, problem.weights
    staff: list[Terms] = [[] for _ in shifts]
    for pi, (prof, mine) in enumerate(zip(problem.professionals, candidate_shifts(problem), strict=True)):
        by_day: dict[int, list[int]] = defaultdict(list)
        for si in mine:
            lp.worked[pi, si] = lp.var(1.0)
            by_day[shifts[si].day].append(si)
            staff[si].append((lp.worked[pi, si], 1.0))
        _person_rows(lp, problem, pi, prof, by_day)
    for si, s in enumerate(shifts):
        open_ = lp.var(s.positions, w.fill * s.under_weight)
        # Bounded (by everyone who could work it) so that no dual makes the Lagrangian -inf.
        over = lp.var(max(0, len(staff[si]) - s.positions), w.over_cover * s.over_weight)
        lp.open_over.append((open_, over))
        lp.row(s.positions, s.positions, [*staff[si], (open_, 1.0), (over, -1.0)])
        if s.capacity < len(staff[si]):
            lp.row(-math.inf, s.capacity, staff[si])
    return lp


def _person_rows(
    lp: Relaxation, problem: Problem, pi: int, prof: Professional, by_day: dict[int, list[int]]
) -> None:
    shifts, rules = problem.shifts, problem.rules

    def cells(*days: int) -> Terms:
        return [(lp.worked[pi, si], 1.0) for day in days for si in by_day.get(day, [])]

    if rules.one_shift_per_day:
        for day in by_day:
            lp.row(-math.inf, 1.0, cells(day))
    mine = [si for day in by_day for si in by_day[day]]
    # Whatever a person works adds up to a multiple of their shifts' common divisor, so the
    # limits are rounded inwards to one (every legal roster still meets them): with shifts of
    # 120 minutes and at most 78,540, the last 60 minutes can never be worked.
    step = math.gcd(*(shifts[si].minutes for si in mine)) or 1
    lo = step * math.ceil(prof.min_minutes / step) if prof.min_minutes else -math.inf
    hi = math.inf if prof.max_minutes is None else step * (prof.max_minutes // step)
    lp.row(lo, hi, [(lp.worked[pi, si], shifts[si].minutes) for si in mine])
    per_kind: dict[str, Terms] = defaultdict(list)
    for si in mine:
        per_kind[shifts[si].kind].append((lp.worked[pi, si], 1.0))
    for kind, kind_cells in per_kind.items():
        limit = prof.max_shifts_per_kind.get(kind)
        if limit is not None and limit < len(kind_cells):
            lp.row(-math.inf, limit, kind_cells)
    run = prof.max_consecutive_days
    if run is not None and rules.one_shift_per_day:
        for first in range(problem.days - run):
            lp.row(-math.inf, run, cells(*range(first, first + run + 1)))
    if prof.max_weekends is not None:
        weekends = {weekend_index(rules, day) for day in by_day if is_weekend(rules, day)}
        for index in weekends:
            lp.weekend[pi, index] = lp.var(1.0)
        for day in by_day:
            if is_weekend(rules, day):
                lp.row(-math.inf, 0.0, [*cells(day), (lp.weekend[pi, weekend_index(rules, day)], -1.0)])
        lp.row(-math.inf, prof.max_weekends, [(lp.weekend[pi, index], 1.0) for index in weekends])
    for si in mine:
        day = shifts[si].day
        after = [sj for sj in by_day.get(day + 1, [])
                 if (shifts[si].kind, shifts[sj].kind) in rules.forbidden_successions]
        if after:
            lp.row(-math.inf, 1.0, [(lp.worked[pi, sj], 1.0) for sj in (si, *after)])
    weight = problem.weights.requests
    wishes = [*((r, -1) for r in prof.shift_on_requests), *((r, 1) for r in prof.shift_off_requests)]
    for wish, sign in wishes:
        # A shift-on request costs its weight unless a matching shift is worked.
        lp.constant += weight * wish.weight * (sign < 0)
        for si in by_day.get(wish.day, []):
            if wish.kind in (None, shifts[si].kind):
                lp.cost[lp.worked[pi, si]] += sign * weight * wish.weight


def lagrangian(lp: Relaxation, duals: Sequence[float]) -> float:
    """A lower bound from any row duals y: cost.x >= y.(row.x) + (cost - y.rows).x, each term
    at its least over the row's and the variable's range (a dual of the wrong sign for a
    one-sided row counts as 0; every variable is bounded)."""
    reduced = list(lp.cost)
    total = lp.constant
    for (lo, hi, terms), y in zip(lp.rows, duals, strict=True):
        y = max(y, 0.0) if hi == math.inf else min(y, 0.0) if lo == -math.inf else y
        if y:
            total += y * (lo if y > 0 else hi)
            for x, a in terms:
                reduced[x] -= a * y
    for r, hi in zip(reduced, lp.hi, strict=True):
        total += min(r, 0.0) * hi
    return total


def solved(lp: Relaxation, solver_name: str, seconds: float) -> tuple[int, list[float], list[float]]:
    """The solver's status, values and row duals."""
    solver = pywraplp.Solver.CreateSolver(solver_name)
    inf = solver.infinity()
    xs = [solver.NumVar(0.0, hi, "") for hi in lp.hi]
    objective = solver.Objective()
    for x, c in zip(xs, lp.cost, strict=True):
        if c:
            objective.SetCoefficient(x, c)
    objective.SetMinimization()
    rows = []
    for lo, hi, terms in lp.rows:
        row = solver.Constraint(max(lo, -inf), min(hi, inf))
        for x, a in terms:
            row.SetCoefficient(xs[x], a)
        rows.append(row)
    solver.SetTimeLimit(int(seconds * 1000))
    status = solver.Solve()
    return status, [x.solution_value() for x in xs], [row.dual_value() for row in rows]


def cover_bound(problem: Problem, seconds: float, solver_name: str = "PDLP") -> dict[str, object]:
    began = time.monotonic()
    lp = relaxation(problem)
    status, values, duals = solved(lp, solver_name, seconds)
    opened = sum(values[open_] for open_, _ in lp.open_over)
    fill = sum(lp.cost[open_] * values[open_] for open_, _ in lp.open_over)
    over = sum(lp.cost[over] * values[over] for _, over in lp.open_over)
    requests = lp.constant + sum(lp.cost[x] * values[x] for x in lp.worked.values())
    return {
        "bound": math.ceil(lagrangian(lp, duals) - 1e-6),
        "lp_objective": round(fill + over + requests, 2),
        "lp_open_positions": round(opened, 1),
        "lp_parts": {"fill": round(fill, 1), "over_cover": round(over, 1), "requests": round(requests, 1)},
        "status": STATUS.get(status, str(status)),
        "variables": len(lp.cost),
        "rows": len(lp.rows),
        "time_s": round(time.monotonic() - began, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", action="append", default=[], type=Path)
    parser.add_argument("--synthetic", action="append", default=[], metavar="STAFFxWEEKSxKINDS")
    parser.add_argument("--synthetic-seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--solver", default="PDLP", help="PDLP, or GLOP for the simplex")
    args = parser.parse_args(argv)
    problems = [(path.stem, load(path)) for path in args.instance]
    problems += [generated(size, args.synthetic_seed) for size in args.synthetic]
    for name, problem in problems:
        print(json.dumps({"instance": name, **cover_bound(problem, args.seconds, args.solver)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
