"""Everyone's pricing in one round: in threads, or on large runs in processes.

The labelling is pure Python, so threads take turns on one core: at 5,000 people
a round's pricing took 45-57 s with two. In processes, each owns a fixed share of
the people, builds their pricers once, and gets only the round's prices.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor

from asta.scheduling.problem import Problem
from asta.scheduling.solver.label_pricing import LabelPricer
from asta.scheduling.solver.master import Column
from asta.scheduling.solver.pricing import Pricer
from asta.scheduling.solver.series_pricing import price_with_series

Priced = tuple[list[Column], float | None]
"""A person's rosters found, and the proven least reduced cost (None if late)."""

PROCESS_PEOPLE = 1_000
"""From this many people, pricing runs in processes (starting one takes about a second)."""


class Prices:
    """One round's prices: cover duals, each person's series duals and convexity dual."""

    def __init__(self, duals: Sequence[float], sigmas: Sequence[dict[int, float]], mu: Sequence[float],
                 limit_s: float, seed: int, max_pricings: int, deadline: float) -> None:
        self.duals, self.sigmas, self.mu = list(duals), list(sigmas), list(mu)
        self.limit_s, self.seed, self.max_pricings, self.deadline = limit_s, seed, max_pricings, deadline


class People:
    """The pricers of some people, made on first use (the deadline bounds their set-up)."""

    def __init__(self, problem: Problem, shifts_of: Sequence[Sequence[int]],
                 series_of: Sequence[dict[int, list[int]]], by_labels: bool) -> None:
        self.problem, self.shifts_of, self.series_of = problem, shifts_of, series_of
        self.kind = LabelPricer if by_labels else Pricer
        self.pricers: dict[int, Pricer | LabelPricer] = {}

    def price(self, pi: int, prices: Prices) -> Priced:
        if time.monotonic() > prices.deadline:
            return [], None  # out of time: this round proves nothing
        pricer = self.pricers.get(pi)
        if pricer is None:
            pricer = self.pricers[pi] = self.kind(self.problem, pi, self.shifts_of[pi])
        return price_with_series(pricer, self.series_of[pi], prices.duals, prices.sigmas[pi],
                                 prices.mu[pi], prices.limit_s, prices.seed, prices.max_pricings)


_share: People | None = None
"""In a pricing process: the people it owns."""


def _own(people: People) -> None:
    global _share
    _share = people


def _price_share(share: Sequence[int], prices: Prices) -> list[Priced]:
    assert _share is not None, "a pricing process prices after it is given its people"
    return [_share.price(pi, prices) for pi in share]


def _peak_mb() -> float | None:
    """This process's peak resident memory in MB (Linux's VmHWM: since its exec, unlike
    ru_maxrss, which a spawned process inherits from the parent it was forked from)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class PricingPool:
    def __init__(self, people: People, count: int, workers: int, processes: bool) -> None:
        self.people, self.count = people, count
        self.executors: list[Executor]
        if processes:
            # Spawned, not forked: a Dramatiq worker or the solver may hold threads and locks.
            spawn = multiprocessing.get_context("spawn")
            self.executors = [ProcessPoolExecutor(1, spawn, _own, (people,)) for _ in range(workers)]
        else:
            self.executors = [ThreadPoolExecutor(max(1, workers))]

    def price(self, prices: Prices) -> list[Priced]:
        """Every person's pricing, in person order."""
        if isinstance(self.executors[0], ThreadPoolExecutor):
            return list(self.executors[0].map(lambda pi: self.people.price(pi, prices), range(self.count)))
        n = len(self.executors)
        shares = [range(k, self.count, n) for k in range(n)]
        futures = [executor.submit(_price_share, share, prices)
                   for executor, share in zip(self.executors, shares, strict=True)]
        priced: list[Priced] = [([], None)] * self.count
        for share, future in zip(shares, futures, strict=True):
            for pi, answer in zip(share, future.result(), strict=True):
                priced[pi] = answer
        return priced

    def peak_memory_mb(self) -> float | None:
        """The largest pricing process's peak resident memory (None in threads, or if unknown)."""
        if isinstance(self.executors[0], ThreadPoolExecutor):
            return None
        try:
            peaks = [executor.submit(_peak_mb).result() for executor in self.executors]
        except BrokenExecutor:
            return None
        return max((peak for peak in peaks if peak is not None), default=None)

    def shutdown(self) -> None:
        for executor in self.executors:
            executor.shutdown(wait=True, cancel_futures=True)
