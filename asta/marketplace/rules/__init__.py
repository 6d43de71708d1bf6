"""Pure marketplace rules: frozen dataclasses in, frozen dataclasses out, no I/O."""

from asta.marketplace.rules.eligibility import (
    LANGUAGE_LEVELS,
    Eligibility,
    ProfessionalFacts,
    Reason,
    ShiftRequirements,
    check_eligibility,
)
from asta.marketplace.rules.errors import RuleError
from asta.marketplace.rules.holidays import (
    Holiday,
    easter_sunday,
    finnish_holidays,
    holiday_dates,
    is_public_holiday,
)
from asta.marketplace.rules.pay import (
    PayBreakdown,
    PaySegment,
    RateCard,
    compute_shift_pay,
)
from asta.marketplace.rules.recurrence import (
    MAX_HEADCOUNT,
    MAX_PATTERN_DAYS,
    Block,
    DemandPattern,
    ExpandedShift,
    expand_demand,
)
from asta.marketplace.rules.reliability import (
    ReliabilityEvent,
    ReliabilityKind,
    reliability_history,
)
from asta.marketplace.rules.working_time import (
    Interval,
    RuleViolation,
    cancel_counts_as_late,
    cancellation_is_late,
    check_working_time,
    reliability_score,
)

__all__ = [
    "LANGUAGE_LEVELS",
    "MAX_HEADCOUNT",
    "MAX_PATTERN_DAYS",
    "Block",
    "DemandPattern",
    "Eligibility",
    "ExpandedShift",
    "Holiday",
    "Interval",
    "PayBreakdown",
    "PaySegment",
    "ProfessionalFacts",
    "RateCard",
    "Reason",
    "ReliabilityEvent",
    "ReliabilityKind",
    "RuleError",
    "RuleViolation",
    "ShiftRequirements",
    "cancel_counts_as_late",
    "cancellation_is_late",
    "check_eligibility",
    "check_working_time",
    "compute_shift_pay",
    "easter_sunday",
    "expand_demand",
    "finnish_holidays",
    "holiday_dates",
    "is_public_holiday",
    "reliability_history",
    "reliability_score",
]
