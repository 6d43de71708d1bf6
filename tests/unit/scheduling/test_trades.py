"""Trades between two people over a block of days: the checks made in the days a trade
touches must agree with the independent evaluator on the whole roster, rule by rule."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Rules, Weights
from asta.scheduling.solver.construct import by_labels
from asta.scheduling.solver.trades import OFF, Trades, tradeable, trades_from
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import daily, problem, shift

Values = dict[tuple[int, int], int]
TRADES = 600
"""Random trades checked per instance: enough that every rule of the instance refuses some."""


def _pairs(p: Problem, values: Values) -> list[tuple[str, str]]:
    return [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]


def _roster(p: Problem) -> Values:
    values, missing = by_labels(p, candidate_shifts(p), cap=16)
    assert missing == []
    assert evaluate(p, _pairs(p, values)).violations == ()
    return values


def _with_more_rules(p: Problem, values: Values) -> Problem:
    """The synthetic instance plus the rules it lacks, each as tight as `values` allows
    (so it stays legal and some trades break them): weekly minutes, rest between days
    (shifts start at different hours), agreed shifts; and preferred units and a cost goal."""
    shifts = tuple(
        replace(s, start=s.start + 60 * (si % 3), end=s.end + 60 * (si % 3), unit=f"u{si % 2}")
        for si, s in enumerate(p.shifts)
    )
    mine = [sorted((si for (qi, si), v in values.items() if v and qi == pi), key=lambda si: shifts[si].day)
            for pi in range(len(p.professionals))]
    rest = min(shifts[b].start - shifts[a].end for row in mine for a, b in itertools.pairwise(row)
               if shifts[b].day == shifts[a].day + 1)
    people = tuple(
        replace(
            q,
            max_week_minutes=max(sum(shifts[si].minutes for si in mine[pi] if shifts[si].day // 7 == week)
                                 for week in range(p.horizon_days // 7)),
            preferred_units=frozenset({f"u{pi % 2}"}),
            hourly_cost=100 * pi,
        )
        for pi, q in enumerate(p.professionals)
    )
    agreed = sorted((pi, si) for (pi, si), v in values.items() if v)[::17]
    return replace(
        p, shifts=shifts, professionals=people,
        rules=replace(p.rules, min_rest_minutes=rest),
        weights=replace(p.weights, preferred_unit=2, cost=1),
        fixed=frozenset((people[pi].id, shifts[si].id) for pi, si in agreed),
    )


def six_by_six(seed: int, more_rules: bool) -> tuple[Problem, Values]:
    """A synthetic 6-person, 6-week instance and a legal roster of it, with `_with_more_rules`
    if asked."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=seed)
    values = _roster(p)
    return (_with_more_rules(p, values) if more_rules else p), values


@pytest.mark.parametrize(("seed", "more_rules"), [(1, False), (2, False), (3, False), (4, True), (5, True)])
def test_a_trade_is_legal_and_priced_exactly_as_the_evaluator_finds(seed: int, more_rules: bool) -> None:
    p, values = six_by_six(seed, more_rules)
    trades = Trades(p, candidate_shifts(p), values)
    before = evaluate(p, _pairs(p, values))
    rng = random.Random(seed)
    refused: set[str] = set()
    agreed = 0
    for _ in range(TRADES):
        a, b = rng.sample(range(len(p.professionals)), 2)
        length = rng.choice((1, 2, 3, 5, 8, 20))
        first = rng.randrange(0, p.horizon_days - length + 1)
        last = first + length - 1
        legal = trades.legal(a, first, last, trades.cell[b][first:last + 1]) and trades.legal(
            b, first, last, trades.cell[a][first:last + 1]
        )
        change = trades.objective_change(a, b, first, last)
        traded = dict(trades.values())
        for d in range(first, last + 1):
            x, y = trades.cell[a][d], trades.cell[b][d]
            if x == y:
                continue  # both work the same shift (or are both off): nothing moves
            if x != OFF:
                del traded[a, x]
                traded[b, x] = 1
            if y != OFF:
                del traded[b, y]
                traded[a, y] = 1
        after = evaluate(p, _pairs(p, traded))
        assert legal == (after.violations == ()), (a, b, first, last, after.violations[:2])
        refused.update(v.rule for v in after.violations)
        if legal:
            agreed += 1
            assert after.objective - before.objective == change
            assert after.unfilled == before.unfilled  # cover is the same
    expected = {"max_consecutive_days", "min_consecutive_days", "min_consecutive_days_off",
                "forbidden_successions", "max_working_weekends", "fixed_days_off", "period_minute_limits"}
    if more_rules:
        expected |= {"weekly_hour_limit", "min_rest_between_shifts", "fixed_assignments"}
    assert expected <= refused
    assert agreed > 0


def test_trades_meet_wishes_that_cover_alone_would_not_move() -> None:
    """One position a day. A works days 0-1, 4-5 and 8-9 and wants day 4 off; B works 2-3
    and 6-7 and wants to work day 4. Trading day 4 alone would leave A a run of one day:
    the trade is days 4-5, and cover stays as it was."""
    people = [
        Professional("A", min_consecutive_days=2, shift_off_requests=(Request(4, None, 5),)),
        Professional("B", min_consecutive_days=2, shift_on_requests=(Request(4, None, 4),)),
    ]
    p = problem(daily(10, positions=1), people, weights=Weights(fill=100, requests=1))
    shifts_of = candidate_shifts(p)
    values: Values = {(0, d): 1 for d in (0, 1, 4, 5, 8, 9)} | {(1, d): 1 for d in (2, 3, 6, 7)}
    start = evaluate(p, _pairs(p, values))
    assert start.violations == () and start.objective == 9
    trades = Trades(p, shifts_of, values)
    assert trades.costly() and sorted(trades.costly()) == [(0, 4), (1, 4)]
    gained = trades.improve(float("inf"), random.Random(0))
    after = evaluate(p, _pairs(p, trades.values()))
    assert after.violations == ()
    assert gained == 9 and after.objective == 0
    assert [d for d in range(10) if trades.cell[1][d] != OFF] == [2, 3, 4, 5, 6, 7]
    assert after.unfilled == start.unfilled


def test_trades_are_left_out_where_a_shift_rests_into_the_day_after_next() -> None:
    """A 16-hour shift from 23:00 with 11 hours' rest reaches day 2's shifts: day by day
    checks would miss it, so no trades (the LNS keeps all its time)."""
    shifts = (shift("n0", 0, start_h=23, hours=16), shift("d2", 2, start_h=0, hours=8))
    p = problem(shifts, [Professional("A")], rules=Rules(min_rest_minutes=11 * 60))
    assert not tradeable(p)
    assert trades_from(p, 123.0) == 123.0
    assert tradeable(replace(p, rules=Rules(min_rest_minutes=60)))


def test_the_closing_trades_get_their_share_of_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from asta.scheduling.solver import trades

    monkeypatch.setattr(trades.time, "monotonic", lambda: 20.0)
    p = synthetic(staff=3, weeks=1, kinds=2, seed=1)
    assert tradeable(p)
    assert trades_from(p, 120.0) == pytest.approx(120.0 - trades.TRADE_SHARE * 100)
    assert trades_from(p, 120.0, share=0.05) == pytest.approx(115.0)
    assert trades_from(p, 10.0, share=0.05) == 10.0  # past the deadline: nothing to share


def test_a_solve_by_windows_ends_with_the_closing_trades(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows on six weeks, chosen by the model's size (`WINDOW_LNS_PAIRS` 1), CP-SAT given no
    time to find a roster: the labelling starts, the window LNS improves it, the trades close."""
    from asta.scheduling.solver import core

    monkeypatch.setattr(core, "WINDOW_LNS_PAIRS", 1)
    p = synthetic(staff=6, weeks=6, kinds=3, seed=2)
    assert tradeable(p)
    result = core.solve(p, time_limit_s=4, workers=1, cp_params={"max_deterministic_time": 1e-9})
    assert result.stats["labelled_start"] == 1.0
    assert result.stats["lns_traded"] >= 0
    check = evaluate(p, result.assignments)
    assert check.violations == ()
    assert check.objective == result.objective


@pytest.mark.parametrize("more_rules", [False, True])
def test_short_blocks_are_priced_by_running_sums_as_day_by_day(more_rules: bool) -> None:
    """`best_trade` prices the blocks near a wish from running sums of each day's change;
    they must agree with `objective_change` on every block, wishes or costs on any day."""
    p, values = six_by_six(4, more_rules)  # more rules: every day priced (units and cost)
    trades = Trades(p, candidate_shifts(p), values)
    rng = random.Random(4)
    changes: set[int] = set()
    for _ in range(100):
        a, b = rng.sample(range(len(p.professionals)), 2)
        day = rng.randrange(p.horizon_days)
        lo, hi = max(0, day - 6), min(p.horizon_days - 1, day + 6)
        near = trades._changes_near(a, b, lo, hi)
        for first in range(lo, hi + 1):
            for last in range(first, hi + 1):
                change = trades.objective_change(a, b, first, last)
                assert near[last - lo + 1] - near[first - lo] == change
                changes.add(change)
    assert len(changes) > 5  # the blocks differ in price, so a wrong sum would show


@pytest.mark.parametrize(("seed", "more_rules"), [(2, False), (4, True), (6, True), (7, True)])
def test_a_split_trade_is_legal_and_priced_as_the_evaluator_finds(seed: int, more_rules: bool) -> None:
    """Two people trade a wish's day and one more day that evens out minutes, counts or
    weekends: whatever `best_split_trade` offers, the evaluator finds legal and priced so."""
    p, values = six_by_six(seed, more_rules)
    trades = Trades(p, candidate_shifts(p), values)
    before = evaluate(p, _pairs(p, values))
    offered = 0
    for pi, day in trades.costly():
        found = trades.best_split_trade(pi, day)
        if found is None:
            continue
        change, q, other = found
        assert trades.values() == values  # looked at, not made
        trades.trade(pi, q, day, day)
        trades.trade(pi, q, other, other)
        after = evaluate(p, _pairs(p, trades.values()))
        assert after.violations == ()
        assert change < 0 and after.objective - before.objective == change
        assert after.unfilled == before.unfilled
        trades.trade(pi, q, other, other)
        trades.trade(pi, q, day, day)
        offered += 1
    assert offered > 0
