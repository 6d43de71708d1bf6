"""Dominance between labels of one day."""

from __future__ import annotations

from collections import defaultdict

from asta.scheduling.solver.labelling.types import Entry, State

_COMPARED = 8
"""A state's weekends and per-kind counts (its last two) have upper limits only; labels
alike in everything before them can dominate each other."""


def undominated(labels: dict[State, Entry]) -> dict[State, Entry]:
    """Labels no other label dominates: one in the same state but for fewer weekends
    and per-kind counts (upper limits only), at no more cost, can do all it can."""
    if len({state[:_COMPARED] for state in labels}) == len(labels):
        return labels  # no two labels alike but for those: nothing to compare
    groups: dict[tuple[object, ...], list[tuple[State, Entry]]] = defaultdict(list)
    for state, entry in labels.items():
        groups[state[:_COMPARED]].append((state, entry))
    out: dict[State, Entry] = {}
    for items in groups.values():
        if len(items) == 1:
            out[items[0][0]] = items[0][1]
            continue
        items.sort(key=lambda item: item[1][0])
        if not items[0][0][9]:  # no per-kind counts: fewer weekends than every cheaper label
            fewest = 1 << 30
            for state, entry in items:
                if state[8] < fewest:
                    fewest = state[8]
                    out[state] = entry
            continue
        kept: list[tuple[State, Entry]] = []
        for state, entry in items:
            weekends, counts = state[8], state[9]
            if not any(
                other[8] <= weekends and all(a <= b for a, b in zip(other[9], counts, strict=True))
                for other, _ in kept
            ):
                kept.append((state, entry))
        out.update(kept)
    return out
