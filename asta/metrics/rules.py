"""Pure metric rules from the plan: savings split, eNPS/NPS, care outcomes, percentiles.

No database here: services sum the raw counts and call these, so every number an
area sees can be checked with a table in tests/unit/metrics/.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from asta.core.errors import InvalidInputError


class MetricsInputError(InvalidInputError, ValueError):
    """Settings or inputs a metric cannot be computed from (maps to HTTP 422)."""


# -- savings ---------------------------------------------------------------------------

MIN_AGENCY_MARGIN = Decimal("0.15")
MAX_AGENCY_MARGIN = Decimal("0.25")


def _fraction(value: Decimal | str | int) -> Decimal:
    # Decimal, never float: 0.1 + 0.2 style errors must not leak into money.
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class SavingsSettings:
    """One wellbeing area's savings parameters (the plan's figures are the defaults).

    full_time_hours_per_month = 160: a Finnish full-time doctor works about 37 h/week
    (38.25 h/week for municipal doctors), i.e. 160 h a month rounded, which turns 12
    months of full-time work into exactly 12 agency months.
    """

    agency_reference_cents_per_month: int = 1_500_000  # 15,000 EUR per agency doctor
    agency_margin: Decimal = Decimal("0.20")
    full_time_hours_per_month: Decimal = Decimal("160")
    area_share: Decimal = Decimal("0.50")
    professional_share: Decimal = Decimal("0.20")
    platform_share: Decimal = Decimal("0.30")

    def __post_init__(self) -> None:
        for name in ("agency_margin", "full_time_hours_per_month", "area_share",
                     "professional_share", "platform_share"):
            object.__setattr__(self, name, _fraction(getattr(self, name)))
        if self.agency_reference_cents_per_month <= 0:
            raise MetricsInputError("Agency reference price must be positive",
                                    field="agency_reference_cents_per_month")
        if not MIN_AGENCY_MARGIN <= self.agency_margin <= MAX_AGENCY_MARGIN:
            raise MetricsInputError(
                f"Agency margin must be between {MIN_AGENCY_MARGIN:.0%} and "
                f"{MAX_AGENCY_MARGIN:.0%}, got {self.agency_margin:.2%}", field="agency_margin")
        if self.full_time_hours_per_month <= 0:
            raise MetricsInputError("Full-time hours per month must be positive",
                                    field="full_time_hours_per_month")
        shares = (self.area_share, self.professional_share, self.platform_share)
        if any(not 0 <= share <= 1 for share in shares):
            raise MetricsInputError("Each share must be between 0 % and 100 %",
                                    field="area_share")
        if sum(shares) != 1:
            raise MetricsInputError(
                f"Shares must sum to 100 %, got {sum(shares):.2%}", field="area_share")


@dataclass(frozen=True)
class SavingsSplit:
    total_cents: int
    area_cents: int
    professionals_cents: int
    platform_cents: int


def savings_for_hours(hours: Decimal | int | str, settings: SavingsSettings) -> SavingsSplit:
    """Agency margin saved on `hours` of direct work, split between the three parties.

    The total is rounded half-up to whole cents (the usual Finnish invoicing rule);
    shares use the largest-remainder method so they always add up to the total exactly,
    ties going to the area, then professionals, then the platform (a fixed order keeps
    reruns identical).
    """
    worked = _fraction(hours)
    if worked < 0:
        raise MetricsInputError("Hours cannot be negative", field="hours")
    exact = (worked / settings.full_time_hours_per_month
             * settings.agency_reference_cents_per_month * settings.agency_margin)
    total = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    shares = (settings.area_share, settings.professional_share, settings.platform_share)
    raw = [total * share for share in shares]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in raw]
    leftover = total - sum(floors)
    by_remainder = sorted(range(3), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return SavingsSplit(total, floors[0], floors[1], floors[2])


# -- eNPS, patient NPS, job satisfaction -------------------------------------------------


def _validated(scores: Iterable[int], low: int, high: int, what: str) -> list[int]:
    values = list(scores)
    for score in values:
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise MetricsInputError(f"{what} must be whole numbers {low}-{high}, got {score!r}",
                                    field="score")
    return values


def net_promoter_score(scores: Iterable[int]) -> float | None:
    """% promoters (9-10) minus % detractors (0-6), -100..+100; None without answers.

    Used for both eNPS (professionals) and patient NPS, which share the 0-10 question.
    """
    values = _validated(scores, 0, 10, "NPS scores")
    if not values:
        return None
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return 100 * (promoters - detractors) / len(values)


def average_job_satisfaction(scores: Iterable[int]) -> float | None:
    """Mean of 1-5 answers; None without answers (not 0, which would read as awful)."""
    values = _validated(scores, 1, 5, "Job satisfaction scores")
    return sum(values) / len(values) if values else None


# -- care outcomes -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeCounts:
    """Summed outcomes of remote reception over a period (from shift reports)."""

    contacts_handled: int
    resolved_remotely: int
    referred_to_health_station: int
    hours_worked: Decimal | int | str

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours_worked", _fraction(self.hours_worked))
        counts = (self.contacts_handled, self.resolved_remotely, self.referred_to_health_station)
        if any(c < 0 for c in counts) or _fraction(self.hours_worked) < 0:
            raise MetricsInputError("Outcome counts and hours cannot be negative",
                                    field="contacts_handled")
        if self.resolved_remotely + self.referred_to_health_station > self.contacts_handled:
            raise MetricsInputError("More contacts resolved or referred than handled",
                                    field="resolved_remotely")


@dataclass(frozen=True)
class OutcomeIndicators:
    contacts_per_hour: float | None
    remote_resolution_share: float | None  # 0..1
    referral_share: float | None  # 0..1; the plan wants this to fall


def ratio(numerator: float | int | Decimal, denominator: float | int | Decimal) -> float | None:
    """numerator / denominator, or None when there is nothing to divide by."""
    if denominator == 0:
        return None
    return float(numerator) / float(denominator)


def outcome_indicators(counts: OutcomeCounts) -> OutcomeIndicators:
    return OutcomeIndicators(
        contacts_per_hour=ratio(counts.contacts_handled, _fraction(counts.hours_worked)),
        remote_resolution_share=ratio(counts.resolved_remotely, counts.contacts_handled),
        referral_share=ratio(counts.referred_to_health_station, counts.contacts_handled),
    )


# -- marketplace health: time to fill, fill rate, late cancellations ----------------------


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the nearest ranks.

    Position fraction * (n - 1) in the sorted values, so SQL reports and Python agree.
    """
    if not 0 <= fraction <= 1 or math.isnan(fraction):
        raise MetricsInputError("Percentile fraction must be between 0 and 1", field="fraction")
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class TimeToFill:
    median: timedelta | None
    p90: timedelta | None


def time_to_fill(durations: Iterable[timedelta]) -> TimeToFill:
    """Median and 90th percentile of publish-to-filled times."""
    seconds = [d.total_seconds() for d in durations]
    if any(s < 0 for s in seconds):
        raise MetricsInputError("A shift cannot be filled before it is published",
                                field="durations")
    median, p90 = percentile_cont(seconds, 0.5), percentile_cont(seconds, 0.9)
    return TimeToFill(
        median=None if median is None else timedelta(seconds=median),
        p90=None if p90 is None else timedelta(seconds=p90),
    )


def _share(part: int, whole: int, what: str) -> float | None:
    if part < 0 or whole < 0 or part > whole:
        raise MetricsInputError(f"{what}: need 0 <= part <= whole, got {part}/{whole}",
                                field=what)
    return ratio(part, whole)


def fill_rate(filled_shifts: int, published_shifts: int) -> float | None:
    """Share of published shifts that got someone (0..1); None if none were published."""
    return _share(filled_shifts, published_shifts, "fill_rate")


def late_cancellation_rate(late_cancellations: int, assignments: int) -> float | None:
    """Share of assignments cancelled inside the cancellation window (0..1)."""
    return _share(late_cancellations, assignments, "late_cancellation_rate")


def nps_from_counts(promoters: int, detractors: int, answers: int) -> float | None:
    """net_promoter_score from counts a database summed (promoters 9-10, detractors 0-6)."""
    if promoters < 0 or detractors < 0 or promoters + detractors > answers:
        raise MetricsInputError("NPS counts do not add up", field="answers")
    if answers == 0:
        return None
    return 100 * (promoters - detractors) / answers
