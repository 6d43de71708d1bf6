"""A stored forecast compared with what came."""

from __future__ import annotations

import pytest

from asta.scheduling.forecast.compare import Interval, compare


def test_error_and_band_over_the_intervals_that_have_a_count() -> None:
    result = compare([
        Interval(forecast=10, low=8, high=12, required=3, actual=11),   # inside, error 1
        Interval(forecast=20, low=16, high=24, required=5, actual=26),  # above, error 6
        Interval(forecast=0, low=0, high=0, required=0, actual=0),      # closed: left out
        Interval(forecast=5, low=4, high=6, required=2, actual=None),   # not yet recorded
    ], meets=lambda staff, contacts: contacts <= 4 * staff)
    assert result.intervals == 2
    assert result.mae == pytest.approx(3.5)
    assert result.band_coverage == pytest.approx(0.5)
    assert result.target_met == pytest.approx(0.5)  # 11 <= 12, 26 > 20
    assert (result.forecast_total, result.actual_total) == (30, 37)


def test_nothing_recorded_yet_has_no_error() -> None:
    result = compare([Interval(forecast=5, low=4, high=6, required=2, actual=None)],
                     meets=lambda staff, contacts: True)
    assert (result.intervals, result.mae, result.target_met) == (0, None, None)
