"""A stored forecast against the contacts that came: its error, band and staffing (pure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Interval:
    forecast: float
    low: float
    high: float
    required: int
    actual: float | None  # None: nothing recorded for the interval yet


@dataclass(frozen=True, slots=True)
class Comparison:
    intervals: int  # with an actual count
    mae: float | None
    band_coverage: float | None
    target_met: float | None  # share of intervals whose staff met the target for the actual
    forecast_total: float
    actual_total: float


def compare(intervals: Sequence[Interval], meets: Callable[[int, float], bool]) -> Comparison:
    """`meets(staff, contacts)` says whether the staff met the service target.

    Only intervals with a recorded count, open in the forecast or the actual, count: a night
    the unit is always closed would flatter the error.
    """
    known = [i for i in intervals if i.actual is not None and (i.actual > 0 or i.forecast > 0)]
    if not known:
        return Comparison(0, None, None, None, 0.0, 0.0)
    actual = [float(i.actual or 0) for i in known]
    return Comparison(
        intervals=len(known),
        mae=sum(abs(i.forecast - a) for i, a in zip(known, actual, strict=True)) / len(known),
        band_coverage=sum(i.low <= a <= i.high for i, a in zip(known, actual, strict=True))
        / len(known),
        target_met=sum(meets(i.required, a) for i, a in zip(known, actual, strict=True))
        / len(known),
        forecast_total=sum(i.forecast for i in known), actual_total=sum(actual))
