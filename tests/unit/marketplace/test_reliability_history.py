"""The score after each event is the one `reliability_score` gives for the events so far."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asta.marketplace.rules import ReliabilityEvent, ReliabilityKind, reliability_history

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)


def events(*kinds: ReliabilityKind) -> list[ReliabilityEvent]:
    return [ReliabilityEvent(at=T0 + timedelta(days=n), kind=k) for n, k in enumerate(kinds)]


@pytest.mark.parametrize(("kinds", "scores"), [
    ((), []),
    (("completed",), [100]),
    (("completed", "late_cancelled"), [100, 50]),
    (("completed", "completed", "completed", "no_show"), [100, 100, 100, 60]),
    (("late_cancelled", "completed", "completed"), [0, 50, 67]),
    (("no_show", "completed"), [0, 33]),
])
def test_score_after_each_event(kinds: tuple[ReliabilityKind, ...],
                                scores: list[int | None]) -> None:
    assert reliability_history(events(*kinds)) == scores


def test_events_count_in_time_order_whatever_order_they_come_in() -> None:
    late_first = events("late_cancelled", "completed")
    assert reliability_history(late_first[::-1]) == [0, 50]
