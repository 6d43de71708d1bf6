"""The linear-relaxation lower bound of benchmarks/cover_bound.py."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from asta.scheduling.curtois_qu import load, parse
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, is_weekend, weekend_index
from asta.scheduling.solver import solve
from asta.scheduling.synthetic import synthetic
from benchmarks.cover_bound import cover_bound, lagrangian, relaxation, solved

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"


def _instance(staff: str, cover: list[str], shifts: str = "E,480,") -> Problem:
    return parse("\n".join([
        "SECTION_HORIZON", "7", "", "SECTION_SHIFTS", shifts, "", "SECTION_STAFF", staff, "",
        "SECTION_DAYS_OFF", "", "SECTION_SHIFT_ON_REQUESTS", "", "SECTION_SHIFT_OFF_REQUESTS", "",
        "SECTION_COVER", *cover, "",
    ]))


EVERY_DAY = [f"{day},E,1,100,1" for day in range(7)]


@pytest.mark.parametrize(("staff", "bound"), [
    # Three shifts' minutes: four of the seven positions stay open.
    ("A,E=7,1440,0,7,1,1,1", 400),
    # 1,700 minutes buy three 480-minute shifts too, not 3.54 of them.
    ("A,E=7,1700,0,7,1,1,1", 400),
    # At most two days in a row: 2 + 2 + 1 of 7 days (the weekend limit of 1 allows both days).
    ("A,E=7,3360,0,2,1,1,1", 200),
    # Nothing binds.
    ("A,E=7,3360,0,7,1,1,1", 0),
])
def test_the_minutes_and_run_limits_leave_positions_open_in_the_bound(staff: str, bound: int) -> None:
    found = cover_bound(_instance(staff, EVERY_DAY), 10, "GLOP")
    assert (found["bound"], found["lp_open_positions"]) == (bound, bound / 100)


def test_a_minimum_of_minutes_is_rounded_up_to_whole_shifts() -> None:
    # Two positions, and at least 1,000 minutes of 480-minute shifts: three shifts, one
    # over at 10 (not 2.08 shifts, 0.83 over).
    cover = [f"{day},E,{int(day < 2)},100,10" for day in range(7)]
    found = cover_bound(_instance("A,E=7,3360,1000,7,1,1,1", cover), 10, "GLOP")
    assert found["bound"] == 10


def test_a_forbidden_succession_keeps_one_of_each_pair_open() -> None:
    # Nights on even days, earlies on odd ones; no early may follow a night. Of each
    # night-early pair one stays open, and the last night is free: 3 of 7 open.
    cover = [f"{day},{'N' if day % 2 == 0 else 'E'},1,100,1" for day in range(7)]
    found = cover_bound(_instance("A,E=7|N=7,3360,0,7,1,1,1", cover, "E,480,\nN,480,E"), 10, "GLOP")
    assert found["bound"] == 3 * 100


PROBLEMS: dict[str, Callable[[], Problem]] = {
    "synthetic-8x2x3": lambda: synthetic(staff=8, weeks=2, kinds=3, seed=1),
    "synthetic-10x4x4": lambda: synthetic(staff=10, weeks=4, kinds=4, seed=2),
    "Instance1": lambda: load(INSTANCE1),
}
"""Built when their test runs, not when the tests are collected."""


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_a_legal_roster_is_a_point_of_the_relaxation_at_its_own_objective(name: str) -> None:
    problem = PROBLEMS[name]()
    result = solve(problem, time_limit_s=5, workers=1, explain_result=False)
    assert result.assignments and not evaluate(problem, result.assignments).violations
    lp = relaxation(problem)
    x = [0.0] * len(lp.cost)
    index = {s.id: si for si, s in enumerate(problem.shifts)}
    people = {p.id: pi for pi, p in enumerate(problem.professionals)}
    staff = [0] * len(problem.shifts)
    for pid, sid in result.assignments:
        pi, si = people[pid], index[sid]
        x[lp.worked[pi, si]] = 1.0
        staff[si] += 1
        day = problem.shifts[si].day
        if is_weekend(problem.rules, day) and (pi, weekend_index(problem.rules, day)) in lp.weekend:
            x[lp.weekend[pi, weekend_index(problem.rules, day)]] = 1.0
    for si, (open_, over) in enumerate(lp.open_over):
        x[open_] = max(0, problem.shifts[si].positions - staff[si])
        x[over] = max(0, staff[si] - problem.shifts[si].positions)
    for lo, hi, terms in lp.rows:
        assert lo - 1e-9 <= sum(a * x[j] for j, a in terms) <= hi + 1e-9
    objective = sum(c * v for c, v in zip(lp.cost, x, strict=True)) + lp.constant
    assert objective == pytest.approx(result.objective)


def test_any_duals_bound_the_programme_and_its_own_duals_reach_its_minimum() -> None:
    lp = relaxation(synthetic(staff=8, weeks=2, kinds=3, seed=1))
    status, values, duals = solved(lp, "GLOP", 10)
    assert status == 0
    minimum = sum(c * v for c, v in zip(lp.cost, values, strict=True)) + lp.constant
    assert lagrangian(lp, duals) == pytest.approx(minimum, abs=1e-6)
    rng = random.Random(1)
    for guess in ([0.0] * len(duals), [rng.uniform(-50, 50) for _ in duals], [d * 0.5 for d in duals]):
        assert lagrangian(lp, guess) <= minimum + 1e-6


def test_pdlp_approximate_duals_still_give_a_bound_close_to_the_simplexs() -> None:
    problem = synthetic(staff=10, weeks=4, kinds=4, seed=2)
    exact = int(str(cover_bound(problem, 30, "GLOP")["bound"]))
    approximate = int(str(cover_bound(problem, 30, "PDLP")["bound"]))
    assert 0.99 * exact <= approximate <= exact


def test_the_bound_is_not_above_instance1s_proven_optimum() -> None:
    found = cover_bound(load(INSTANCE1), 10, "GLOP")
    assert found["status"] == "OPTIMAL"
    assert 0 < int(str(found["bound"])) <= 607
