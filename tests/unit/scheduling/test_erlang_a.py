"""Erlang A against values known in closed form, Erlang C, and a seeded simulation."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from asta.scheduling import erlang, erlang_a

HALF_HOUR = 1800.0


def test_endless_patience_is_erlang_c() -> None:
    for agents in (88, 95):
        a = erlang_a.queue(agents, 600, HALF_HOUR, 240, 1e9, 20)
        c = erlang.staffing(agents, 600, HALF_HOUR, 240, 20)
        assert a.service_level == pytest.approx(c.service_level, abs=1e-5)
        assert a.probability_wait == pytest.approx(c.probability_wait, abs=1e-5)


def test_patience_equal_to_handling_time_makes_the_system_an_infinite_server_one() -> None:
    # With theta = mu every contact in the system leaves at rate mu: the number in the system
    # is Poisson(A) (M/M/inf), so a contact waits when it finds n or more there.
    load, agents = 80.0, 85
    a = erlang_a.queue(agents, load * HALF_HOUR / 240, HALF_HOUR, 240, 240, 20)
    poisson_below = sum(math.exp(k * math.log(load) - load - math.lgamma(k + 1))
                        for k in range(agents))
    assert a.probability_wait == pytest.approx(1 - poisson_below, rel=1e-9)


def _simulate(agents: int, arrival_rate: float, handling_s: float, patience_s: float,
              target_s: float, n: int, seed: int) -> tuple[float, float, float]:
    """FIFO M/M/n+M: a contact takes the first free agent unless its patience runs out first."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / arrival_rate, n))
    services = rng.exponential(handling_s, n)
    patience = rng.exponential(patience_s, n)
    free = [0.0] * agents
    waited = abandoned = in_time = short = 0
    for a, s, p in zip(arrivals, services, patience, strict=True):
        wait = max(0.0, free[0] - a)
        waited += wait > 0
        if wait > p:
            abandoned += 1
            short += p <= target_s
            continue
        in_time += wait <= target_s
        heapq.heapreplace(free, a + wait + s)
    return waited / n, abandoned / n, in_time / (n - short)


def test_agrees_with_a_seeded_simulation_of_an_overloaded_queue() -> None:
    # Offered load equals the agents: Erlang C has no steady state; hanging up gives one.
    agents, handling, patience, target = 6, 240.0, 180.0, 20.0
    rate = agents / handling
    waits, abandons, level = _simulate(agents, rate, handling, patience, target, 200_000, 11)
    model = erlang_a.queue(agents, rate * HALF_HOUR, HALF_HOUR, handling, patience, target)
    assert model.probability_wait == pytest.approx(waits, abs=0.01)
    assert model.probability_abandon == pytest.approx(abandons, abs=0.01)
    assert model.service_level == pytest.approx(level, abs=0.01)
    assert 0.1 < model.probability_abandon < 0.3  # a regime where abandonment matters


def test_hanging_up_lowers_the_staff_needed_but_never_above_erlang_c() -> None:
    c = erlang.required_agents(600, HALF_HOUR, 240, 0.8, 20).agents
    patient = erlang_a.required_agents(600, HALF_HOUR, 240, 3600, 0.8, 20)
    impatient = erlang_a.required_agents(600, HALF_HOUR, 240, 60, 0.8, 20)
    assert impatient.agents < patient.agents <= c
    assert impatient.service_level >= 0.8
    fewer = erlang_a.queue(impatient.agents - 1, 600, HALF_HOUR, 240, 60, 20)
    assert fewer.service_level < 0.8


def test_patience_is_recovered_from_the_share_that_hung_up() -> None:
    staffed = erlang_a.required_agents(300, HALF_HOUR, 240, 150, 0.8, 20)
    patience = erlang_a.patience_from_history(staffed.probability_abandon, 300, HALF_HOUR,
                                              240, 0.8, 20)
    assert patience == pytest.approx(150, rel=0.1)
    assert erlang_a.patience_from_history(0.0, 300, HALF_HOUR, 240, 0.8, 20) is None
