"""The proven gap a matching run reports."""

from __future__ import annotations

import pytest

from asta.scheduling.gap import proven_gap


@pytest.mark.parametrize(
    ("objective", "bound", "gap"),
    [
        (None, 10, None),
        (100, None, None),
        (100, 100, 0.0),
        (100, 101, 0.0),
        (0, 0, 0.0),
        (100, 90, 0.1),
        (200, 50, 0.75),
        (180, -60, 1.0),
    ],
)
def test_proven_gap(objective: int | None, bound: int | None, gap: float | None) -> None:
    assert proven_gap(objective, bound) == (None if gap is None else pytest.approx(gap))
