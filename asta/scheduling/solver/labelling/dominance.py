"""Dominance between labels of one day."""

from __future__ import annotations

from collections import defaultdict

from asta.scheduling.solver.labelling.types import Entry, State


def undominated(labels: dict[State, Entry]) -> dict[State, Entry]:
    """Labels no other label dominates: one in the same state but for fewer weekends
    and per-kind counts (upper limits only), at no more cost, can do all it can."""
    groups: dict[tuple[object, ...], list[tuple[State, Entry]]] = defaultdict(list)
    for state, entry in labels.items():
        groups[(*state[:6], state[7], state[8])].append((state, entry))
    out: dict[State, Entry] = {}
    for items in groups.values():
        if len(items) == 1:
            out[items[0][0]] = items[0][1]
            continue
        items.sort(key=lambda item: item[1][0])
        kept: list[tuple[State, Entry]] = []
        for state, entry in items:
            weekends, counts = state[6], state[9]
            if not any(
                other[6] <= weekends and all(a <= b for a, b in zip(other[9], counts, strict=True))
                for other, _ in kept
            ):
                kept.append((state, entry))
        out.update(kept)
    return out
