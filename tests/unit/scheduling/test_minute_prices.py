"""Minute prices: what a minute of each person's time is worth to cover, and the
construction that charges it."""

from __future__ import annotations

import pytest

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Professional
from asta.scheduling.solver.construct import by_labels, half_weekend_charge
from asta.scheduling.solver.lns import assigned
from asta.scheduling.solver.minute_prices import charged, minute_prices, work_days_at_most
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import problem, shift


def _short_and_long(days: int, max_minutes: int | None, share: float = 1.0, **kw: object) -> list[float]:
    """One person; each day a 6-hour and a 12-hour shift, one open position each."""
    shifts = [
        shift(f"{kind}{d}", d, hours=hours, kind=kind, under_weight=100)
        for d in range(days)
        for kind, hours in (("S", 6), ("L", 12))
    ]
    p = problem(shifts, [Professional("A", max_minutes=max_minutes, **kw)])  # type: ignore[arg-type]
    return minute_prices(p, candidate_shifts(p), share=share)


def test_a_person_short_of_minutes_prices_a_minute_at_what_the_shortest_shift_fills() -> None:
    # 720 minutes buy two 6-hour positions; each 360 minutes more would buy another.
    assert _short_and_long(4, max_minutes=720) == [pytest.approx(100 / 360)]


def test_the_price_is_zero_where_minutes_do_not_bind() -> None:
    assert _short_and_long(4, max_minutes=10 * 720) == [0.0]
    assert _short_and_long(4, max_minutes=None) == [0.0]


def test_the_price_is_zero_where_days_bind_before_minutes() -> None:
    # Two days off in three: one shift at most, and 720 minutes are enough for it.
    assert _short_and_long(3, max_minutes=720, days_off=frozenset({0, 1})) == [0.0]


def test_the_price_is_the_share_asked_for_of_the_dual() -> None:
    assert _short_and_long(4, max_minutes=720, share=0.9) == [pytest.approx(0.9 * 100 / 360)]


@pytest.mark.parametrize(
    ("run", "off", "days_off", "horizon", "most"),
    [
        (5, 2, 0, 14, 10),  # two whole weeks: five on, two off
        (5, 2, 0, 12, 10),  # a week and five days
        (5, 2, 0, 9, 7),  # a week and two days
        (5, 2, 5, 14, 9),  # fourteen less five days off
        (None, 2, 3, 14, 11),  # no run limit: every day but the days off
        (3, 1, 0, 8, 6),
    ],
)
def test_work_days_at_most(run: int | None, off: int, days_off: int, horizon: int, most: int) -> None:
    prof = Professional(
        "A", max_consecutive_days=run, min_consecutive_days_off=off, days_off=frozenset(range(days_off))
    )
    assert work_days_at_most(prof, horizon) == most


def test_charged_lowers_only_open_positions_by_their_minutes() -> None:
    shifts = [shift("S0", 0, hours=6), shift("L0", 0, hours=12), shift("F0", 0, hours=8)]
    p = problem(shifts, [Professional("A")])
    rewards = {0: 100.0, 1: 100.0, 2: None}
    assert charged(p, rewards, 0.1) == {0: pytest.approx(64.0), 1: pytest.approx(28.0), 2: None}
    over = {0: -1.0, 1: 100.0, 2: None}
    assert charged(p, over, 0.1)[0] == -1.0  # over-cover costs what it costs
    assert charged(p, rewards, 0.0) is rewards


def test_priced_construction_leaves_fewer_positions_open_where_minutes_bind() -> None:
    # 30 people over 26 weeks who all run out of minutes: the first people rostered
    # otherwise spend theirs on 12-hour shifts that 8-hour ones would have filled more of.
    p = synthetic(staff=30, weeks=26, kinds=5, seed=1)
    shifts_of = candidate_shifts(p)
    prices = minute_prices(p, shifts_of)
    assert all(price > 0 for price in prices)
    half = half_weekend_charge(p)
    plain, missing = by_labels(p, shifts_of, 8, half_weekend=half)
    priced, missing_priced = by_labels(p, shifts_of, 8, half_weekend=half, minute_prices=prices)
    assert missing == missing_priced == []
    before = evaluate(p, assigned(p, plain))
    after = evaluate(p, assigned(p, priced))
    assert before.violations == after.violations == ()
    assert after.breakdown["fill"] < before.breakdown["fill"]
