"""Fills: moves that change cover, checked day by day. Whatever a move does, the roster it
leaves must be the one the independent evaluator finds legal and cheaper, by exactly the
change the move reports; a move it refuses leaves the roster as it was."""

from __future__ import annotations

import random

import pytest

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Weights
from asta.scheduling.solver.fills import Fills, Step, closing_moves
from asta.scheduling.solver.lns import Incumbent
from asta.scheduling.solver.trades import OFF
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import daily, problem
from tests.unit.scheduling.test_trades import _pairs, _roster, six_by_six

Values = dict[tuple[int, int], int]
MOVES = 400


def _random_steps(fills: Fills, rng: random.Random) -> list[Step]:
    """One to three people's cells changed on a day or two: each to OFF or one of the
    shifts they may work that day."""
    steps: list[Step] = []
    for _ in range(rng.randint(1, 3)):
        pi = rng.randrange(len(fills.cell))
        first = rng.randrange(fills.days - 1)
        incoming = [
            rng.choice([OFF, *(si for si in fills.on_day[day] if si in fills.allowed[pi])])
            for day in range(first, first + rng.choice((1, 2)))
        ]
        steps.append((pi, first, incoming))
    return steps


def _stepped(fills: Fills, steps: list[Step]) -> Values:
    cell = [list(row) for row in fills.cell]
    for pi, first, incoming in steps:
        cell[pi][first:first + len(incoming)] = incoming
    return {(pi, si): 1 for pi, row in enumerate(cell) for si in row if si != OFF}


@pytest.mark.parametrize(("seed", "more_rules"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_move_is_made_when_the_evaluator_finds_it_legal_and_cheaper(seed: int, more_rules: bool) -> None:
    p, values = six_by_six(seed, more_rules)
    fills = Fills(p, candidate_shifts(p), values)
    rng = random.Random(seed)
    made = refused_illegal = refused_dearer = 0
    for _ in range(MOVES):
        before = evaluate(p, _pairs(p, fills.values()))
        steps = _random_steps(fills, rng)
        after = evaluate(p, _pairs(p, _stepped(fills, steps)))
        change = fills.try_steps(steps)
        now = evaluate(p, _pairs(p, fills.values()))
        if after.violations == () and after.objective < before.objective:
            assert change == after.objective - before.objective
            assert now.objective == after.objective and now.violations == ()
            assert fills.staff == [sum(row.count(si) for row in fills.cell) for si in range(len(p.shifts))]
            made += 1
        else:
            assert change is None
            assert now.objective == before.objective and now.violations == ()
            if after.violations:
                refused_illegal += 1
            else:
                refused_dearer += 1
    assert made > 0 and refused_illegal > 0 and refused_dearer > 0


def _one_a_day(days: int, people: list[Professional], **kw: object) -> Problem:
    return problem(daily(days, positions=1, **kw), people, weights=Weights(fill=100, requests=1))


def test_somebody_off_with_minutes_to_spare_takes_an_open_position() -> None:
    """B has no minutes left for day 3; A has."""
    p = _one_a_day(4, [Professional("B", max_minutes=8 * 60), Professional("A")])
    values: Values = {(1, 0): 1, (1, 1): 1, (0, 2): 1}
    fills = Fills(p, candidate_shifts(p), values)
    assert fills.open_shifts() == [3]
    assert fills.fill(3) == -100
    assert (fills.cell[0], fills.cell[1]) == ([OFF, OFF, 2, OFF], [0, 1, OFF, 3])
    assert fills.open_shifts() == [] and fills.fill(3) is None


def test_a_run_too_short_alone_is_filled_with_the_day_beside_it() -> None:
    """A works days 0-1 and needs runs of two: day 3 alone would be a run of one, so A
    takes days 2 and 3."""
    p = _one_a_day(5, [Professional("A", min_consecutive_days=2), Professional("B", max_minutes=0)])
    fills = Fills(p, candidate_shifts(p), {(0, 0): 1, (0, 1): 1})
    assert fills.fill(3) == -200
    assert fills.cell[0] == [0, 1, 2, 3, OFF]
    assert evaluate(p, _pairs(p, fills.values())).violations == ()


def test_the_shift_a_filler_leaves_goes_to_somebody_off_that_day() -> None:
    """Day 0 has an early shift only A may work and a late one. A works the late one; B,
    off that day, takes it over so A can take the early one."""
    early, late = daily(1, kind="E", positions=1)[0], daily(1, kind="L", positions=1)[0]
    people = [Professional("A"), Professional("B", eligible=frozenset({late.id}))]
    p = problem((early, late), people, weights=Weights(fill=100))
    fills = Fills(p, candidate_shifts(p), {(0, 1): 1})
    assert fills.fill(0) == -100
    assert (fills.cell[0], fills.cell[1]) == ([0], [1])


def test_an_over_covered_shift_is_left_for_an_open_one() -> None:
    """A has minutes for one shift and works day 0, where B works too (one position, room
    for two); day 1 is open: A leaves day 0 to B and takes day 1."""
    people = [Professional("A", max_minutes=8 * 60), Professional("B", eligible=frozenset({"D0"}))]
    p = _one_a_day(2, people, max_staff=2, over_weight=1)
    fills = Fills(p, candidate_shifts(p), {(0, 0): 1, (1, 0): 1})
    assert fills.fill(1) == -101
    assert fills.cell[0] == [OFF, 1]


def test_the_closing_moves_are_checked_by_the_evaluator_and_leave_no_fill_or_trade_that_helps() -> None:
    p = synthetic(staff=8, weeks=8, kinds=3, seed=7)
    shifts_of = candidate_shifts(p)
    values = _roster(p)
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    found, gained = closing_moves(p, shifts_of, start, float("inf"), seed=0)
    check = evaluate(p, _pairs(p, found.values))
    assert check.violations == ()
    assert gained > 0
    assert check.objective == found.objective == start.objective - gained
    fills = Fills(p, shifts_of, found.values)
    assert all(fills.fill(si) is None for si in fills.open_shifts())
    assert all(fills.best_trade(pi, day) is None and fills.best_split_trade(pi, day) is None
               for pi, day in fills.costly())
