from datetime import timedelta
from decimal import Decimal

import pytest

from asta.metrics import (
    MetricsInputError,
    OutcomeCounts,
    OutcomeIndicators,
    average_job_satisfaction,
    fill_rate,
    late_cancellation_rate,
    net_promoter_score,
    outcome_indicators,
    percentile_cont,
    time_to_fill,
)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        ([10, 9, 9, 10], 100.0),
        ([0, 6, 3], -100.0),
        ([7, 8, 8, 7], 0.0),  # passives only
        ([10, 9, 8, 7, 6], 20.0),  # 40 % promoters - 20 % detractors
        ([9, 6, 7], 0.0),
        ([10, 0, 0], -100 / 3),
        ([6, 7], -50.0),  # 6 is a detractor, 7 is not
        ([9, 8], 50.0),  # 9 is a promoter, 8 is not
    ],
)
def test_net_promoter_score(scores: list[int], expected: float | None) -> None:
    assert net_promoter_score(scores) == pytest.approx(expected)


def test_nps_accepts_any_iterable() -> None:
    assert net_promoter_score(s for s in [10, 0]) == 0.0


@pytest.mark.parametrize("bad", [[11], [-1], [5.5], ["9"], [True], [None]])
def test_nps_rejects_invalid_scores(bad: list[object]) -> None:
    with pytest.raises(MetricsInputError, match="0-10"):
        net_promoter_score(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([], None), ([5], 5.0), ([1, 2, 3, 4, 5], 3.0), ([4, 5], 4.5), ([1, 1, 2], 4 / 3)],
)
def test_average_job_satisfaction(scores: list[int], expected: float | None) -> None:
    assert average_job_satisfaction(scores) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [[0], [6], [3.0]])
def test_job_satisfaction_rejects_out_of_range(bad: list[object]) -> None:
    with pytest.raises(MetricsInputError, match="1-5"):
        average_job_satisfaction(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (OutcomeCounts(120, 84, 18, Decimal("40")), OutcomeIndicators(3.0, 0.7, 0.15)),
        (OutcomeCounts(10, 5, 0, "7.5"), OutcomeIndicators(4 / 3, 0.5, 0.0)),
        (OutcomeCounts(0, 0, 0, 0), OutcomeIndicators(None, None, None)),
        (OutcomeCounts(0, 0, 0, 8), OutcomeIndicators(0.0, None, None)),  # on duty, no calls
        (OutcomeCounts(5, 5, 0, 0), OutcomeIndicators(None, 1.0, 0.0)),  # hours not reported
    ],
)
def test_outcome_indicators(counts: OutcomeCounts, expected: OutcomeIndicators) -> None:
    result = outcome_indicators(counts)
    for name in ("contacts_per_hour", "remote_resolution_share", "referral_share"):
        assert getattr(result, name) == pytest.approx(getattr(expected, name)), name


@pytest.mark.parametrize(
    "args", [(-1, 0, 0, 1), (1, -1, 0, 1), (1, 0, 0, -1), (10, 8, 3, 1)])
def test_outcome_counts_validate(args: tuple[int, int, int, int]) -> None:
    with pytest.raises(MetricsInputError):
        OutcomeCounts(*args)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        # Values checked against PostgreSQL: SELECT percentile_cont(f) WITHIN GROUP (ORDER BY v)
        ([], 0.5, None),
        ([7.0], 0.5, 7.0),
        ([7.0], 0.9, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 0.5, 2.5),  # order of input does not matter
        ([1.0, 2.0, 3.0], 0.5, 2.0),
        ([10.0, 20.0], 0.9, 19.0),
        ([float(v) for v in range(1, 11)], 0.9, 9.1),
        ([float(v) for v in range(1, 11)], 0.0, 1.0),
        ([float(v) for v in range(1, 11)], 1.0, 10.0),
        ([5.0, 5.0, 5.0, 100.0], 0.9, 71.5),  # pos 2.7: 5 + 0.7 * 95
    ],
)
def test_percentile_cont(values: list[float], fraction: float, expected: float | None) -> None:
    assert percentile_cont(values, fraction) == pytest.approx(expected)


@pytest.mark.parametrize("fraction", [-0.1, 1.1, float("nan")])
def test_percentile_fraction_is_validated(fraction: float) -> None:
    with pytest.raises(MetricsInputError):
        percentile_cont([1.0], fraction)


def test_time_to_fill() -> None:
    hours = [timedelta(hours=h) for h in (1, 2, 3, 4, 5, 6, 7, 8, 9, 48)]
    result = time_to_fill(hours)
    assert result.median == timedelta(hours=5.5)
    assert result.p90 == timedelta(hours=9 + 0.1 * 39)  # pos 8.1 between 9 h and 48 h


def test_time_to_fill_empty_and_negative() -> None:
    empty = time_to_fill([])
    assert (empty.median, empty.p90) == (None, None)
    with pytest.raises(MetricsInputError, match="before"):
        time_to_fill([timedelta(minutes=-1)])


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(0, 0, None), (0, 4, 0.0), (3, 4, 0.75), (4, 4, 1.0)])
def test_fill_and_late_cancellation_rates(part: int, whole: int,
                                          expected: float | None) -> None:
    assert fill_rate(part, whole) == expected
    assert late_cancellation_rate(part, whole) == expected


@pytest.mark.parametrize(("part", "whole"), [(5, 4), (-1, 4), (0, -1)])
def test_rates_reject_impossible_counts(part: int, whole: int) -> None:
    with pytest.raises(MetricsInputError):
        fill_rate(part, whole)
    with pytest.raises(MetricsInputError):
        late_cancellation_rate(part, whole)
