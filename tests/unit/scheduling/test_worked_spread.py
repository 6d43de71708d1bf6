"""Contacts handled on worked shifts, spread over the history's intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asta.scheduling.worked_spread import WorkedShift, spread

T = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 08:00 in Helsinki


def test_a_shift_is_spread_by_the_time_worked_in_each_interval_and_keeps_its_total() -> None:
    # 08:15-09:30 local in 30-minute intervals: 15, 30 and 30 minutes worked of 75.
    shift = WorkedShift(T + timedelta(minutes=15), T + timedelta(minutes=90), 10)
    assert spread([shift], 30) == {T: 2, T + timedelta(minutes=30): 4,
                                   T + timedelta(minutes=60): 4}


def test_overlapping_shifts_add_up_and_empty_ones_add_nothing() -> None:
    a = WorkedShift(T, T + timedelta(hours=1), 7)
    b = WorkedShift(T + timedelta(minutes=30), T + timedelta(hours=1), 5)
    none = WorkedShift(T, T + timedelta(hours=4), 0)
    counts = spread([a, b, none], 30)
    assert counts == {T: 4, T + timedelta(minutes=30): 8}  # a tie goes to the earlier
    assert sum(counts.values()) == 12
