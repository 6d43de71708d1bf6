"""Filling open positions across a decomposed roster's parts (`fill_chains`)."""

from __future__ import annotations

import math
import random
import time
from dataclasses import replace

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Rules, Weights
from asta.scheduling.solver import solve
from asta.scheduling.solver.fill_chains import fill_open
from tests.unit.scheduling.factories import problem, shift

LATER = math.inf


def chain() -> Problem:
    """x is the only one who can work B's shift, but works A's at the same time, which y
    could work instead (outside y's preferred unit: 2 less than leaving B's open). z and w
    could work B's shift but for their day off, so A is the thinner market, solved first."""
    shifts = [shift("a", 0, 8, 8, organisation="A", unit="ward", under_weight=5),
              shift("b", 0, 9, 8, organisation="B", unit="clinic", under_weight=5)]
    people = [Professional("x"),
              Professional("y", eligible=frozenset({"a"}), preferred_units=frozenset({"elsewhere"})),
              *(Professional(q, eligible=frozenset({"b"}), days_off=frozenset({0})) for q in "zw")]
    return problem(shifts, people, Rules(one_shift_per_day=False), Weights(preferred_unit=3))


def test_someone_free_takes_an_open_position() -> None:
    p = problem([shift("a", 0, under_weight=5)], [Professional("x")])
    assert fill_open(p, [], LATER) == [("x", "a")]


def test_a_person_swaps_to_the_opening_and_another_takes_their_shift() -> None:
    p = chain()
    before = [("x", "a")]
    after = fill_open(p, before, LATER)
    assert sorted(after) == [("x", "b"), ("y", "a")]
    check = evaluate(p, after)
    assert check.violations == ()
    assert check.objective == evaluate(p, before).objective - 5 + 3


def test_a_move_that_costs_more_than_the_opening_is_not_made() -> None:
    p = chain()
    p = replace(p, weights=Weights(preferred_unit=6))  # y on A now costs more than B's opening
    assert fill_open(p, [("x", "a")], LATER) == [("x", "a")]


def test_an_agreed_assignment_stays() -> None:
    p = replace(chain(), fixed=frozenset({("x", "a")}))
    assert fill_open(p, [("x", "a")], LATER) == [("x", "a")]


def test_a_shift_left_open_where_that_costs_less_than_the_opening() -> None:
    # Nobody takes a over from x, but b weighs more than a.
    shifts = [shift("a", 0, 8, 8, organisation="A", under_weight=5),
              shift("b", 0, 9, 8, organisation="B", under_weight=20)]
    p = problem(shifts, [Professional("x")], Rules(one_shift_per_day=False))
    assert fill_open(p, [("x", "a")], LATER) == [("x", "b")]


def test_past_the_deadline_nothing_changes() -> None:
    p = chain()
    assert fill_open(p, [("x", "a")], time.monotonic() - 1) == [("x", "a")]


def test_every_move_keeps_the_rules_and_lowers_the_objective() -> None:
    rng = random.Random(3)
    shifts = [shift(f"{o}{d}{k}", d, h, 8, organisation=o, under_weight=rng.choice([10, 30]),
                    series=f"{o}{k}" if rng.random() < 0.5 else None, kind=k)
              for o in "AB" for d in range(5) for k, h in (("am", 7), ("pm", 15))]
    people = [Professional(f"p{i}", eligible=frozenset(s.id for s in shifts if rng.random() < 0.4),
                           max_minutes=rng.choice([16, 24]) * 60) for i in range(6)]
    p = problem(shifts, people, Rules(min_rest_minutes=11 * 60), Weights(continuity=4, requests=1))
    # A legal start that leaves much open: each person the first open shift they may work.
    start: list[tuple[str, str]] = []
    for q in people:
        free = sorted((q.eligible or frozenset()) - {sid for _, sid in start})
        start += [(q.id, free[0])] if free else []
    before = evaluate(p, start)
    assert before.violations == ()
    after = evaluate(p, fill_open(p, start, LATER))
    assert after.violations == ()
    assert sum(after.unfilled.values()) < sum(before.unfilled.values())
    assert after.objective < before.objective


def test_a_decomposed_solve_fills_across_its_parts() -> None:
    # Area A is solved first and gives its shift to x (y is outside their preferred unit);
    # only the pass across parts sees that B's shift needs x.
    p = chain()
    result = solve(p, time_limit_s=4, decompose=True)
    assert sorted(result.assignments) == [("x", "b"), ("y", "a")]
    assert evaluate(p, result.assignments).objective == result.objective
