"""A lower bound on a Curtois & Qu instance's objective from its weekends alone.

    python benchmarks/weekend_bound.py --instance PATH [--instance PATH ...] [--seconds 240]

Where weekends are scarce, the under-cover any roster leaves is decided by who works
which weekend. A CP-SAT model of the weekend days only (one shift a day, each
person's candidates and weekend limit, the Saturday-to-Sunday successions; every
weekday rule dropped) is a relaxation of the roster: its least under-cover and
weekend-day requests bound every roster's. Everybody works at least their minimum
minutes, so the shifts worked beyond the positions filled are over-cover: at least
the minimum shifts less the positions left open. Weekday requests count zero.
Prints one JSON object per instance: the bound, its parts and the status.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ortools.sat.python import cp_model  # noqa: E402

from asta.scheduling._model import candidate_shifts  # noqa: E402
from asta.scheduling.curtois_qu import load  # noqa: E402
from asta.scheduling.problem import Problem, Professional, Rules, Shift, is_weekend, weekend_index  # noqa: E402


def forced_shifts(problem: Problem, shifts_of: list[list[int]]) -> int:
    """Shifts everybody works at least: minimum minutes over their longest candidate shift."""
    total = 0
    for prof, mine in zip(problem.professionals, shifts_of, strict=True):
        longest = max((problem.shifts[si].minutes for si in mine), default=0)
        if prof.min_minutes and longest:
            total += math.ceil(prof.min_minutes / longest)
    return total


def weekend_bound(problem: Problem, seconds: float, workers: int) -> dict[str, object]:
    rules, shifts, w = problem.rules, problem.shifts, problem.weights
    shifts_of = candidate_shifts(problem)
    # Each position left open means one more over-covered shift of the forced ones, when
    # the forced shifts reach the positions at all; only then is that term a bound.
    positions = sum(s.positions for s in shifts)
    extra = forced_shifts(problem, shifts_of) - positions
    over_weight = min((s.over_weight for s in shifts), default=0) * w.over_cover if extra >= 0 else 0
    m = cp_model.CpModel()
    staff: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    wishes: list[cp_model.LinearExprT] = []
    for pi, prof in enumerate(problem.professionals):
        by_day: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for si in shifts_of[pi]:
            if is_weekend(rules, shifts[si].day):
                var = m.new_bool_var(f"x{pi}_{si}")
                by_day[shifts[si].day].append((si, var))
                staff[si].append(var)
        worked: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for day, options in by_day.items():
            m.add_at_most_one(var for _, var in options)
            worked[weekend_index(rules, day)].extend(var for _, var in options)
            for si, var in options:
                for sj, nxt in by_day.get(day + 1, []):
                    if (shifts[si].kind, shifts[sj].kind) in rules.forbidden_successions:
                        m.add_bool_or([var.Not(), nxt.Not()])
        wishes.extend(_weekend_requests(prof, by_day, rules, shifts, w.requests))
        if prof.max_weekends is not None:
            weekends = []
            for cells in worked.values():
                on = m.new_bool_var("")
                for cell in cells:
                    m.add_implication(cell, on)
                weekends.append(on)
            m.add(sum(weekends) <= prof.max_weekends)
    under: list[tuple[int, cp_model.IntVar]] = []
    for si, s in enumerate(shifts):
        if not is_weekend(rules, s.day) or not s.positions:
            continue
        gap = m.new_int_var(0, s.positions, f"u{si}")
        m.add(sum(staff[si]) + gap >= s.positions)
        m.add(sum(staff[si]) <= s.capacity)
        under.append((w.fill * s.under_weight, gap))
    m.minimize(sum((weight + over_weight) * gap for weight, gap in under) + sum(wishes))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    began = time.monotonic()
    code = solver.solve(m)
    relaxed = math.ceil(solver.best_objective_bound - 1e-6)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "bound": relaxed + over_weight * max(0, extra),
        "status": solver.status_name(code),
        "weekend_under_cover": sum(solver.value(gap) for _, gap in under) if found else None,
        "weekend_requests": round(solver.value(sum(wishes))) if found else None,
        "forced_over_cover": max(0, extra),
        "time_s": round(time.monotonic() - began, 1),
    }


def _weekend_requests(
    prof: Professional,
    by_day: dict[int, list[tuple[int, cp_model.IntVar]]],
    rules: Rules,
    shifts: tuple[Shift, ...],
    weight: int,
) -> list[cp_model.LinearExprT]:
    """The penalties of `prof`'s requests on weekend days, in terms of their weekend cells."""
    out: list[cp_model.LinearExprT] = []
    for on, requests in ((True, prof.shift_on_requests), (False, prof.shift_off_requests)):
        for r in requests:
            if not is_weekend(rules, r.day):
                continue
            cells = [var for si, var in by_day.get(r.day, []) if r.kind in (None, shifts[si].kind)]
            hits = sum(cells)
            out.append(weight * r.weight * ((1 - hits) if on else hits))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", action="append", required=True)
    parser.add_argument("--seconds", type=float, default=240.0)
    # Eight even on two cores: with two, CP-SAT did not prove Instance20's 39 open positions
    # in 240 s (it stopped at 32); with eight it did in 62 s.
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    for path in args.instance:
        row = {"instance": Path(path).stem, **weekend_bound(load(path), args.seconds, args.workers)}
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
