from __future__ import annotations

import random

import pytest
from ortools.sat.python import cp_model

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Rules, Shift
from asta.scheduling.solver import Progress, solve
from asta.scheduling.solver.built import build
from asta.scheduling.solver.core import _priced
from tests.unit.scheduling.factories import daily, problem, shift, solved


def test_empty_problem_is_optimal_with_nothing_assigned() -> None:
    result = solve(Problem((), ()), time_limit_s=1)
    assert result.status == "optimal"
    assert result.assignments == ()
    assert result.objective == 0


def test_shifts_without_people_leave_everything_unfilled() -> None:
    result = solve(problem(daily(2, under_weight=4), []), time_limit_s=1)
    assert result.status == "optimal"
    assert result.objective == 8
    assert result.explanation is not None
    assert [u.reason for u in result.explanation.unfilled] == ["nobody_eligible"] * 2


def test_infeasible_is_a_status_not_an_exception() -> None:
    # Must work 3 shifts but only 2 exist.
    p = problem(daily(2), [Professional("x", min_minutes=3 * 480)])
    result = solve(p, time_limit_s=2)
    assert result.status == "infeasible"
    assert result.assignments == ()
    assert result.objective is None


def test_progress_reports_objective_bound_and_time() -> None:
    seen: list[Progress] = []
    p = problem(daily(7, positions=2), [Professional(c, max_consecutive_days=3) for c in "xyz"])
    result = solve(p, time_limit_s=5, on_progress=seen.append)
    assert seen
    assert seen[-1].objective == result.objective
    assert all(s.best_bound is not None and s.best_bound <= s.objective for s in seen
               if s.objective is not None)
    assert all(s.elapsed_s >= 0 for s in seen)


def random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    kinds = ["E", "L", "N"]
    starts = {"E": 7, "L": 14, "N": 22}
    shifts: list[Shift] = []
    for d in range(14):
        for k in kinds:
            shifts.append(shift(f"{k}{d}", d, starts[k], 8 if k != "N" else 9, kind=k,
                                positions=rng.randint(0, 3), under_weight=rng.choice([10, 50]),
                                max_staff=4, over_weight=rng.choice([1, 5])))
    people = []
    for i in range(8):
        people.append(Professional(
            f"p{i}",
            max_minutes=rng.choice([40, 60, 80]) * 60,
            min_minutes=rng.choice([0, 24 * 60]),
            max_week_minutes=rng.choice([None, 40 * 60]),
            max_consecutive_days=rng.choice([None, 4, 5]),
            min_consecutive_days=rng.choice([1, 2]),
            min_consecutive_days_off=rng.choice([1, 2]),
            max_weekends=rng.choice([None, 1]),
            days_off=frozenset(rng.sample(range(14), 2)),
            shift_on_requests=tuple(Request(rng.randrange(14), rng.choice(kinds), 2)
                                    for _ in range(2)),
            shift_off_requests=tuple(Request(rng.randrange(14), None, 3) for _ in range(2)),
        ))
    rules = Rules(min_rest_minutes=11 * 60, forbidden_successions=frozenset({("N", "E")}))
    return problem(shifts, people, rules)


# CP-SAT's deterministic time, not the wall clock: the same search on any machine at any
# load. A roster and its bound come after 0.05 units on each of these problems; 1 is 20x that.
DETERMINISTIC = {"max_deterministic_time": 1.0, "num_workers": 1}


def test_solver_and_evaluator_agree_on_random_problems() -> None:
    """What holds on any machine at any load, whatever phase found the roster: every rule
    holds and the evaluator agrees (`solved` checks both)."""
    for seed in range(3):
        result = solved(random_problem(seed), time_limit_s=3)
        assert result.objective is not None


@pytest.mark.parametrize("seed", range(3))
def test_a_deterministic_search_reports_a_bound_not_above_its_roster(seed: int) -> None:
    result = solved(random_problem(seed), time_limit_s=120, lns=False,
                    cp_params=DETERMINISTIC)
    assert result.objective is not None and result.best_bound is not None
    assert result.best_bound <= result.objective


def test_lns_never_makes_the_first_roster_worse() -> None:
    p = random_problem(7)
    result = solve(p, time_limit_s=3, first_phase=0.2)
    first = result.stats["first_phase_objective"]
    assert result.objective is not None and result.objective <= first
    assert evaluate(p, result.assignments).objective == result.objective


def test_a_roster_found_mid_search_is_priced_exactly() -> None:
    """CP-SAT may stop on a roster whose penalty terms carry slack (under- and over-cover
    of one shift both 1): its objective value then exceeds the roster's cost, and the
    solve prices the roster again before comparing or reporting it."""
    p = problem(daily(1, positions=1, max_staff=2, under_weight=10, over_weight=3),
                [Professional("a"), Professional("b")])
    built = build(p)
    loose = built.model.cp.clone()
    under = next(pen.expr for pen in built.penalties if pen.goal == "fill")
    assert isinstance(under, cp_model.IntVar)
    loose.add(loose.get_int_var_from_proto_index(under.index) == 1)
    loose.add(loose.get_int_var_from_proto_index(built.model.x[0, 0].index) == 1)
    solver = cp_model.CpSolver()
    assert solver.solve(loose) == cp_model.OPTIMAL
    values = {key: int(solver.value(loose.get_int_var_from_proto_index(x.index)))
              for key, x in built.model.x.items()}
    assert round(solver.objective_value) == 13  # a fills the shift, yet 10 + 3 is reported
    priced = _priced(built, values, round(solver.objective_value))
    roster = [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]
    assert priced.objective == evaluate(p, roster).objective == 0
