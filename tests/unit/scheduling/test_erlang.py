"""Erlang C against published worked examples and an exact factorial oracle."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from asta.scheduling.erlang import (
    erlang_b,
    erlang_c,
    required_agents,
    requirement_curve,
    staffing,
)


def exact_erlang_c(n: int, a: int) -> float:
    """The textbook formula with exact rationals: fine for small n, an independent check."""
    top = Fraction(a**n, math.factorial(n)) * Fraction(n, n - a)
    bottom = sum(Fraction(a**k, math.factorial(k)) for k in range(n)) + top
    return float(top / bottom)


def test_call_centre_helper_worked_example() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked
    # Example": 100 calls per 30 min, AHT 180 s, 80 % in 20 s. A = 10 Erlangs;
    # 11 agents: P(wait) 68.21 %, SL 39.0 %; 14 agents: P(wait) 17.4 %,
    # SL 88.8 %, ASA 7.8 s, occupancy 71.4 %; 14 is the raw requirement.
    eleven = staffing(11, 100, 1800, 180, 20)
    assert eleven.traffic_erlangs == pytest.approx(10.0)
    assert eleven.probability_wait == pytest.approx(0.6821, abs=1e-4)
    assert eleven.service_level == pytest.approx(0.390, abs=1e-3)
    need = required_agents(100, 1800, 180, 0.80, 20)
    assert need.agents == 14
    assert need.probability_wait == pytest.approx(0.1741, abs=1e-4)
    assert need.service_level == pytest.approx(0.888, abs=1e-3)
    assert need.average_speed_of_answer_s == pytest.approx(7.8, abs=0.05)
    assert need.occupancy == pytest.approx(0.714, abs=1e-3)
    assert staffing(13, 100, 1800, 180, 20).service_level < 0.80


def test_mitan_erlang_c_worked_example() -> None:
    # "The Erlang-C Formula" worked example (Mitan / Westbay): 360 calls per
    # half hour, 4 min calls, 55 agents, 15 s target: A = 48 Erlangs,
    # occupancy 0.873, P(wait) 0.2387, ASA 8.18 s, service level 84.6 %.
    s = staffing(55, 360, 1800, 240, 15)
    assert s.traffic_erlangs == pytest.approx(48.0)
    assert s.occupancy == pytest.approx(0.8727, abs=1e-4)
    assert s.probability_wait == pytest.approx(0.2387, abs=1e-4)
    assert s.average_speed_of_answer_s == pytest.approx(8.18, abs=0.01)
    assert s.service_level == pytest.approx(0.846, abs=1e-3)


@pytest.mark.parametrize(("n", "a"), [(2, 1), (5, 3), (14, 10), (30, 25), (60, 48)])
def test_recurrence_matches_exact_formula(n: int, a: int) -> None:
    assert erlang_c(n, a) == pytest.approx(exact_erlang_c(n, a), rel=1e-12)


def test_large_loads_stay_finite() -> None:
    # Factorials of 2000 overflow floats; the recurrence does not.
    s = required_agents(40_000, 3600, 180, 0.9, 20)
    assert 2000 < s.agents < 2100
    assert 0.9 <= s.service_level <= 1.0
    assert 0.0 <= erlang_b(5000, 4900.0) <= 1.0


def test_max_occupancy_can_bind() -> None:
    free = required_agents(100, 1800, 180, 0.80, 20)
    capped = required_agents(100, 1800, 180, 0.80, 20, max_occupancy=0.70)
    assert free.agents == 14
    assert capped.agents == 15
    assert capped.occupancy <= 0.70


def test_unstable_and_empty_intervals() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert staffing(10, 100, 1800, 180, 20).service_level == 0.0
    curve = requirement_curve([0, 100, 200], 1800, 180, 0.8, 20)
    assert curve[0].agents == 0
    assert curve[1].agents < curve[2].agents
