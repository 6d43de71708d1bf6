"""National-scale helpers: splitting by organisation, greedy start, fill bound."""

from __future__ import annotations

import random

from asta.scheduling._model import Model
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Rules, Shift, Weights
from asta.scheduling.solver import fill_upper_bound, solve
from asta.scheduling.solver.decompose import parts
from asta.scheduling.solver.greedy import greedy
from tests.unit.scheduling.factories import daily, problem, shift


def two_areas(seed: int) -> Problem:
    rng = random.Random(seed)
    shifts: list[Shift] = []
    for area in ("A", "B"):
        for d in range(7):
            for kind, start in (("am", 7), ("pm", 14), ("night", 21)):
                shifts.append(shift(f"{area}{kind}{d}", d, start, 8 if kind != "night" else 10,
                                    kind=kind, organisation=area,
                                    positions=rng.randint(1, 2), under_weight=100))
    people = []
    for i in range(10):
        home = "A" if i < 5 else "B"
        areas = {home} | ({"B" if home == "A" else "A"} if i % 3 == 0 else set())
        people.append(Professional(
            f"p{i}",
            eligible=frozenset(s.id for s in shifts if s.organisation in areas),
            max_minutes=rng.choice([24, 40]) * 60,
            max_consecutive_days=4,
            home_organisation=home,
        ))
    return problem(shifts, people, Rules(min_rest_minutes=11 * 60))


def test_decomposed_solve_keeps_every_rule_across_organisations() -> None:
    p = two_areas(1)
    result = solve(p, time_limit_s=4, decompose=True)
    assert result.status == "feasible"
    check = evaluate(p, result.assignments)
    assert check.violations == ()
    assert check.objective == result.objective
    whole = solve(p, time_limit_s=4, decompose=False, lns=False)
    # Solving the areas one after another may lose a little, never legality:
    # the parts' roster is a roster of the whole, so no better than its bound.
    assert result.objective is not None and whole.best_bound is not None
    assert whole.best_bound <= result.objective


def test_person_working_in_two_areas_is_not_double_booked() -> None:
    # x may work in both areas; both need x at the same time.
    shifts = [shift("a", 0, 8, 8, organisation="A", under_weight=5),
              shift("b", 0, 9, 8, organisation="B", under_weight=5)]
    p = problem(shifts, [Professional("x")], Rules(one_shift_per_day=False))
    result = solve(p, time_limit_s=2, decompose=True)
    assert len(result.assignments) == 1
    assert evaluate(p, result.assignments).violations == ()


def test_the_area_with_fewest_candidates_per_position_is_solved_first() -> None:
    # x is the only one who can work A's shift; B (larger, solved first by size) has two
    # shifts at the same time and three candidates, and would rather have x, who lives there.
    shifts = [shift("a", 0, organisation="A", under_weight=100),
              shift("b1", 0, organisation="B", under_weight=100),
              shift("b2", 0, organisation="B", under_weight=100)]
    people = [Professional("x", eligible=frozenset({"a", "b1", "b2"}), home_organisation="B"),
              *(Professional(pid, eligible=frozenset({"b1", "b2"}), home_organisation="C")
                for pid in ("y", "z"))]
    p = problem(shifts, people, weights=Weights(own_pool=20))
    assert [[s.id for s in group] for group in parts(p)] == [["a"], ["b1", "b2"]]
    result = solve(p, time_limit_s=4, decompose=True)
    assert ("x", "a") in result.assignments
    check = evaluate(p, result.assignments)
    assert check.violations == () and check.unfilled == {}
    assert check.objective == 3 * 20  # everyone works away from home; nothing is left open


def test_greedy_roster_is_legal_without_minimum_rules() -> None:
    p = two_areas(2)
    m = Model.build(p)
    values = greedy(m)
    roster = [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]
    assert roster
    assert evaluate(p, roster).violations == ()


def test_fill_upper_bound_counts_one_shift_per_day_and_hour_limits() -> None:
    two_a_day = [shift("am", 0, 6, 4), shift("pm", 0, 14, 4)]
    assert fill_upper_bound(problem(two_a_day, [Professional("x")])) == 1
    capped = problem(daily(5, positions=2), [Professional("x", max_minutes=3 * 480),
                                             Professional("y", max_week_minutes=2 * 480)])
    assert fill_upper_bound(capped) == 5
    nobody = problem(daily(3), [Professional("x", eligible=frozenset())])
    assert fill_upper_bound(nobody) == 0


def test_fill_upper_bound_is_never_below_a_solved_roster() -> None:
    p = two_areas(3)
    result = solve(p, time_limit_s=3)
    filled = sum(s.positions for s in p.shifts) - sum(evaluate(p, result.assignments).unfilled.values())
    assert filled <= fill_upper_bound(p)
