"""Metrics of the plan: savings, eNPS and patient NPS, care outcomes, marketplace health."""

from asta.metrics.rules import (
    MetricsInputError,
    OutcomeCounts,
    OutcomeIndicators,
    SavingsSettings,
    SavingsSplit,
    TimeToFill,
    average_job_satisfaction,
    fill_rate,
    late_cancellation_rate,
    net_promoter_score,
    nps_from_counts,
    outcome_indicators,
    percentile_cont,
    savings_for_hours,
    time_to_fill,
)

__all__ = [
    "MetricsInputError",
    "OutcomeCounts",
    "OutcomeIndicators",
    "SavingsSettings",
    "SavingsSplit",
    "TimeToFill",
    "average_job_satisfaction",
    "fill_rate",
    "late_cancellation_rate",
    "net_promoter_score",
    "nps_from_counts",
    "outcome_indicators",
    "percentile_cont",
    "savings_for_hours",
    "time_to_fill",
]
