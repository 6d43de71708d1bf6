"""Erlang C staffing: how many people an interval needs to meet a service level.

Used for queue-like demand (phone triage, on-call advice lines): contacts per
interval become a requirement curve for `packaging`. Erlang B is computed by
its recurrence B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)), which stays within
[0, 1] for any load, instead of factorials and powers that overflow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Staffing:
    agents: int
    traffic_erlangs: float
    probability_wait: float
    service_level: float
    """Share of contacts answered within the target time."""
    average_speed_of_answer_s: float
    occupancy: float


def traffic_intensity(contacts: float, interval_s: float, handling_time_s: float) -> float:
    """Offered load in Erlangs."""
    if interval_s <= 0:
        raise ValueError("interval must be positive")
    return contacts * handling_time_s / interval_s


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability with `agents` servers and no queue."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must be non-negative")
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a contact waits; 1 when the queue is unstable."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    b = erlang_b(agents, traffic)
    return agents * b / (agents - traffic * (1.0 - b))


def staffing(
    agents: int, contacts: float, interval_s: float, handling_time_s: float, target_s: float
) -> Staffing:
    """Service figures for a given number of agents."""
    a = traffic_intensity(contacts, interval_s, handling_time_s)
    if a <= 0:
        return Staffing(agents, 0.0, 0.0, 1.0, 0.0, 0.0)
    if agents <= a:
        return Staffing(agents, a, 1.0, 0.0, math.inf, 1.0)
    pw = erlang_c(agents, a)
    sl = 1.0 - pw * math.exp(-(agents - a) * target_s / handling_time_s)
    asa = pw * handling_time_s / (agents - a)
    return Staffing(agents, a, pw, max(0.0, sl), asa, a / agents)


def required_agents(
    contacts: float,
    interval_s: float,
    handling_time_s: float,
    service_level: float,
    target_s: float,
    max_occupancy: float | None = None,
) -> Staffing:
    """Fewest agents meeting the service level (and the occupancy cap, if given)."""
    if not 0 < service_level < 1:
        raise ValueError("service level must be strictly between 0 and 1")
    a = traffic_intensity(contacts, interval_s, handling_time_s)
    if a <= 0:
        return staffing(0, contacts, interval_s, handling_time_s, target_s)
    agents = max(1, math.floor(a) + 1)
    if max_occupancy is not None:
        agents = max(agents, math.ceil(a / max_occupancy - 1e-12))
    while True:
        result = staffing(agents, contacts, interval_s, handling_time_s, target_s)
        if result.service_level >= service_level:
            return result
        agents += 1


def requirement_curve(
    contacts_per_interval: Sequence[float],
    interval_s: float,
    handling_time_s: float,
    service_level: float,
    target_s: float,
    max_occupancy: float | None = None,
) -> list[Staffing]:
    """`required_agents` for each interval of a forecast."""
    return [
        required_agents(c, interval_s, handling_time_s, service_level, target_s, max_occupancy)
        for c in contacts_per_interval
    ]
