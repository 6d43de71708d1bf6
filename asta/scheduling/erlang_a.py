"""Erlang A (M/M/n+M): Erlang C with callers who hang up after an exponential patience.

Used instead of Erlang C when a unit's history records abandoned contacts: people who hang
up shorten the queue, so fewer professionals meet the same target than Erlang C says.

Exact for the model, no approximations: the number in the system is a birth-death chain
(arrivals, services by min(k, n) agents, abandonment by the max(k - n, 0) waiting); a
contact arriving behind i others waits through i + 1 steps of rate n mu + j theta while its
own patience runs at rate theta, and the chance it is answered within the target follows by
uniformising that small chain. The service level leaves out contacts that hang up within
the target time (short abandons), as contact centres usually count it; with endless
patience it is Erlang C's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from asta.scheduling import erlang

_TAIL = 40.0  # states whose probability is below e^-40 of the largest are left out
MAX_PATIENCE_S = 3600.0  # longer is Erlang C for any interval a unit staffs


@dataclass(frozen=True, slots=True)
class Queue:
    agents: int
    probability_wait: float
    probability_abandon: float
    service_level: float
    """Contacts answered within the target, of those that did not hang up before it."""
    occupancy: float


def _in_system(agents: int, arrival: float, service: float, abandon: float) -> np.ndarray:
    """Stationary probabilities of k = 0, 1, ... contacts in the system."""
    logs = [0.0]
    top = 0.0
    k = 0
    while True:
        k += 1
        death = min(k, agents) * service + max(k - agents, 0) * abandon
        logs.append(logs[-1] + math.log(arrival / death))
        top = max(top, logs[-1])
        if k > agents and logs[-1] < logs[-2] and logs[-1] < top - _TAIL:
            break
    weights = np.exp(np.array(logs) - top)
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def queue(agents: int, contacts: float, interval_s: float, handling_time_s: float,
          patience_s: float, target_s: float) -> Queue:
    """Erlang A figures for `agents` professionals over one interval."""
    if agents < 0 or contacts < 0 or patience_s <= 0 or handling_time_s <= 0:
        raise ValueError("agents, contacts, patience and handling time must be non-negative")
    if contacts == 0:
        return Queue(agents, 0.0, 0.0, 1.0, 0.0)
    if agents == 0:
        return Queue(0, 1.0, 1.0, 0.0, 0.0)
    arrival, service, abandon = contacts / interval_s, 1 / handling_time_s, 1 / patience_s
    pi = _in_system(agents, arrival, service, abandon)
    waiting = pi[agents:]  # arrivals finding i = 0, 1, ... others waiting ahead
    ahead = np.arange(waiting.size)
    rates = agents * service + ahead * abandon  # how fast the queue ahead moves
    # Hangs up before its turn: patience ends before each step ahead of it.
    reaches = np.cumprod(rates / (rates + abandon))
    p_abandon = float(np.sum(waiting * (1 - reaches)))
    answered, short_abandons = _within(waiting, rates, abandon, target_s)
    p_wait = float(waiting.sum())
    in_time = (1 - p_wait) + answered
    service_level = in_time / max(1e-300, 1 - short_abandons)
    busy = float(np.sum(pi * np.minimum(np.arange(pi.size), agents))) / agents
    return Queue(agents, p_wait, p_abandon, min(1.0, service_level), busy)


def _within(waiting: np.ndarray, rates: np.ndarray, abandon: float,
            target_s: float) -> tuple[float, float]:
    """Probabilities that an arrival waits and is answered, or hangs up, within `target_s`.

    Uniformisation: the waiting contact's position moves down at `rates[i]` and it leaves at
    `abandon`; both stay within the uniform rate, so each step is a plain matrix step.
    """
    if target_s <= 0:
        return 0.0, 0.0
    uniform = float(rates[-1] + abandon)
    step_down, leave = rates / uniform, abandon / uniform
    p = waiting.copy()
    answered = gone = 0.0
    mean = uniform * target_s
    steps = int(mean + 10 * math.sqrt(mean) + 20)
    weight = math.exp(-mean)  # Poisson(mean) probability of k steps, k = 0 first
    served_by = abandoned_by = 0.0
    for k in range(steps + 1):
        if k:
            served_by += float(p[0] * step_down[0])
            abandoned_by += float(p.sum() * leave)
            moved = p * step_down
            p = p * (1 - step_down - leave)
            p[:-1] += moved[1:]
            weight *= mean / k
        answered += weight * served_by
        gone += weight * abandoned_by
        if weight < 1e-300 and k > mean:
            break
    return answered, gone


def required_agents(contacts: float, interval_s: float, handling_time_s: float,
                    patience_s: float, service_level: float, target_s: float) -> Queue:
    """Fewest agents meeting the service level, searched down from Erlang C's answer (the
    service level rises with the agents; hanging up only lowers the need) in growing steps,
    then by bisection: the overloaded staffing far below is slow to compute and never
    needed."""
    if not 0 < service_level < 1:
        raise ValueError("service level must be strictly between 0 and 1")

    def with_agents(agents: int) -> Queue:
        return queue(agents, contacts, interval_s, handling_time_s, patience_s, target_s)

    high = erlang.required_agents(contacts, interval_s, handling_time_s, service_level,
                                  target_s).agents
    best = with_agents(high)
    while best.service_level < service_level:  # not expected; kept so the answer is right
        high += 1
        best = with_agents(high)
    step, low = 1, high
    while low > 0:  # find a failing `low` near `high`
        low = max(0, high - step)
        tried = with_agents(low)
        if tried.service_level < service_level:
            break
        high, best, step = low, tried, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        tried = with_agents(middle)
        if tried.service_level >= service_level:
            high, best = middle, tried
        else:
            low = middle
    return best


def patience_from_history(abandon_share: float, contacts: float, interval_s: float,
                          handling_time_s: float, service_level: float,
                          target_s: float) -> float | None:
    """Mean patience (s) that explains the share of contacts that hung up, at a typical
    interval's load staffed to the target (the history records no waits, so the staffing it
    had is taken to be the one the unit aims at). None when nobody hung up."""
    if abandon_share <= 0 or contacts <= 0:
        return None
    low, high = math.log(5.0), math.log(MAX_PATIENCE_S)
    for _ in range(30):  # bisection on log patience: shorter patience, more hang up
        mid = (low + high) / 2
        staffed = required_agents(contacts, interval_s, handling_time_s, math.exp(mid),
                                  service_level, target_s)
        if staffed.probability_abandon > abandon_share:
            low = mid
        else:
            high = mid
    return math.exp((low + high) / 2)
