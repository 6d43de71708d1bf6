"""Pricing with series charges: a person pays sigma once for each series their roster touches.

The existing pricers price shifts one by one; a roster touching the series in U
costs `base + sigma(U)`. Branch and bound over the charged series finds the least
exactly. A node fixes some series in (their charge paid whatever the roster) and
some out (their shifts blocked); each series left open charges each of its n
shifts sigma / n. A roster takes at most n shifts of a series, so those shares
never add up to more than its charge: the best roster under them, plus the
charges fixed in, bounds every roster of the node. Where that roster takes all
or none of each open series' shifts, the shares are its true charges and the node
is solved; otherwise it branches on the series whose charge its shares cover
least. A series of one shift is thus charged exactly and never branched on. When
the pricings run out (`MAX_PRICINGS`) the least bound left open is still a proven
lower bound.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
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
    """The cover duals, less each open series' share, with some shifts blocked."""

    def __init__(self, cover: Sequence[float], share: dict[int, float], blocked: frozenset[int]) -> None:
        self.cover, self.share, self.blocked = cover, share, blocked

    @overload
    def __getitem__(self, si: int) -> float: ...
    @overload
    def __getitem__(self, si: slice) -> Sequence[float]: ...
    def __getitem__(self, si: int | slice) -> float | Sequence[float]:
        if isinstance(si, slice):
            return [self[k] for k in range(len(self.cover))[si]]
        return BLOCKED if si in self.blocked else self.cover[si] - self.share.get(si, 0.0)

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
    columns: list[Column] = []
    best = math.inf
    """The least true reduced cost of a roster found."""
    closed = math.inf
    """The least bound of a node solved (its roster's cost where the pricer is exact)."""
    pricings = 0

    def true_cost(column: Column) -> float:
        touched = {series_of[si] for si in column.shifts if si in series_of}
        value = column.cost - sum(duals[si] for si in column.shifts) - mu
        return value + sum(charged[k] for k in touched)

    # (bound, tie-breaker, series fixed in, series fixed out)
    nodes: list[tuple[float, int, frozenset[int], frozenset[int]]] = [
        (-math.inf, 0, frozenset(), frozenset())
    ]
    made = 1
    while nodes and nodes[0][0] < best - 1e-9:
        if pricings >= max_pricings:
            return columns, min(best, closed, nodes[0][0])
        _, _, kept, out = heapq.heappop(nodes)
        share = {si: charged[k] / len(shifts_of_series[k])
                 for si, k in series_of.items() if k not in kept and k not in out}
        blocked = frozenset(si for k in out for si in shifts_of_series[k])
        found, low = pricer.price(Prices(duals, share, blocked), mu, limit_s, seed)
        pricings += 1
        if low is None or not found:
            return columns, None
        columns.extend(found)
        best = min(best, *(true_cost(column) for column in found))
        bound = low + sum(charged[k] for k in kept)
        taken = Counter(series_of[si] for si in found[-1].shifts if si in share)
        # What the shares leave unpaid of each open series the roster works only part of.
        short = {k: charged[k] * (1 - t / len(shifts_of_series[k])) for k, t in taken.items()
                 if t < len(shifts_of_series[k])}
        if not short:
            closed = min(closed, bound)  # the shares were the roster's true charges
            continue
        if bound >= best - 1e-9:
            continue
        k = max(short, key=lambda k: (short[k], -k))
        heapq.heappush(nodes, (bound, made, kept | {k}, out))
        heapq.heappush(nodes, (bound, made + 1, kept, out | {k}))
        made += 2
    return columns, min(best, closed)
