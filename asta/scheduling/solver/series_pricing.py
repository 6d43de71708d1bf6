"""Pricing with series charges: a person pays sigma once for each series their roster touches.

The existing pricers price shifts one by one; a roster touching the series in U
costs `base + sigma(U)`. Branch and bound over the charged series finds the least
exactly: a node fixes some series in (their charge paid whatever the roster) and
some out (their shifts blocked); its bound is the best roster with the blocked
ones out, plus the charges fixed in. Where that roster touches no charged series
beyond those fixed in, the node is solved; otherwise it branches on one it
touches. Blocking only makes rosters dearer, so every bound holds, and when the
pricings run out (`MAX_PRICINGS`) the least bound left open is still a proven
lower bound.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from typing import overload

from asta.scheduling.solver.label_pricing import LabelPricer
from asta.scheduling.solver.master import Column
from asta.scheduling.solver.pricing import Pricer

MAX_PRICINGS = 64
"""Pricings per person and round at most; usually one to three are needed."""
CHARGED = 1e-9
BLOCKED = -1e7
"""A shift's price that no roster can make up for: it takes the shift out of the pricing."""


class Prices(Sequence[float]):
    """The cover duals, with some shifts blocked."""

    def __init__(self, cover: Sequence[float], blocked: frozenset[int]) -> None:
        self.cover = cover
        self.blocked = blocked

    @overload
    def __getitem__(self, si: int) -> float: ...
    @overload
    def __getitem__(self, si: slice) -> Sequence[float]: ...
    def __getitem__(self, si: int | slice) -> float | Sequence[float]:
        if isinstance(si, slice):
            return [self[k] for k in range(len(self.cover))[si]]
        return BLOCKED if si in self.blocked else self.cover[si]

    def __len__(self) -> int:
        return len(self.cover)

    def __iter__(self) -> Iterator[float]:
        return (self[k] for k in range(len(self.cover)))


def price_with_series(
    pricer: Pricer | LabelPricer,
    shifts_of_series: dict[int, list[int]],
    duals: Sequence[float],
    sigma: dict[int, float],
    mu: float,
    limit_s: float,
    seed: int,
    max_pricings: int = MAX_PRICINGS,
) -> tuple[list[Column], float | None]:
    """Rosters found, and a proven lower bound on the least reduced cost (None if late).

    `shifts_of_series`: this person's candidate shifts per series index.
    """
    charged = {k: v for k, v in sigma.items() if v > CHARGED and k in shifts_of_series}
    if not charged:
        return pricer.price(duals, mu, limit_s, seed)
    series_of = {si: k for k in charged for si in shifts_of_series[k]}
    solved: dict[frozenset[int], tuple[Column, float]] = {}
    columns: list[Column] = []
    best = math.inf
    """The least true reduced cost of a roster found."""

    def solve(out: frozenset[int]) -> tuple[Column, float] | None:
        nonlocal best
        if out not in solved:
            blocked = frozenset(si for k in out for si in shifts_of_series[k])
            found, low = pricer.price(Prices(duals, blocked), mu, limit_s, seed)
            if low is None or not found:
                return None
            for column in found:
                touched = {series_of[si] for si in column.shifts if si in series_of}
                value = column.cost - sum(duals[si] for si in column.shifts) - mu
                best = min(best, value + sum(charged[k] for k in touched))
            columns.extend(found)
            solved[out] = (found[-1], low)
        return solved[out]

    # (bound, tie-breaker, series fixed in, series fixed out)
    nodes: list[tuple[float, int, frozenset[int], frozenset[int]]] = [
        (-math.inf, 0, frozenset(), frozenset())
    ]
    made = 1
    while nodes and nodes[0][0] < best - 1e-9:
        if len(solved) >= max_pricings:
            return columns, min(best, nodes[0][0])
        _, _, kept, out = heapq.heappop(nodes)
        answer = solve(out)
        if answer is None:
            return columns, None
        roster, low = answer
        bound = low + sum(charged[k] for k in kept)
        more = sorted(
            {series_of[si] for si in roster.shifts if si in series_of} - kept - out,
            key=lambda k: -charged[k],
        )
        if not more or bound >= best - 1e-9:
            continue  # solved: no roster here beats `roster`'s true reduced cost
        k = more[0]
        heapq.heappush(nodes, (bound + charged[k], made, kept | {k}, out))
        heapq.heappush(nodes, (bound, made + 1, kept, out | {k}))
        made += 2
    return columns, best
