"""One function per rule; each adds its constraints and returns its penalty terms.

`ALL_RULES` is the order the solver applies them in.
"""

from collections.abc import Callable

from asta.scheduling._model import Model, Penalty
from asta.scheduling.constraints.cover import fixed_assignments, shift_cover
from asta.scheduling.constraints.goals import (
    fair_hours,
    own_pool_and_cost,
    preferred_units,
    series_continuity,
    shift_off_requests,
    shift_on_requests,
)
from asta.scheduling.constraints.sequences import (
    max_consecutive_days,
    max_working_weekends,
    min_consecutive_days,
    min_consecutive_days_off,
)
from asta.scheduling.constraints.timing import (
    forbidden_successions,
    max_shifts_per_kind,
    min_rest_between_shifts,
    one_shift_per_day,
    period_minute_limits,
    weekly_hour_limit,
)

Rule = Callable[[Model], list[Penalty]]

ALL_RULES: tuple[Rule, ...] = (
    fixed_assignments,
    shift_cover,
    one_shift_per_day,
    min_rest_between_shifts,
    forbidden_successions,
    max_shifts_per_kind,
    period_minute_limits,
    weekly_hour_limit,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
    max_working_weekends,
    shift_on_requests,
    shift_off_requests,
    preferred_units,
    series_continuity,
    fair_hours,
    own_pool_and_cost,
)

__all__ = [
    "ALL_RULES",
    "Rule",
    "fair_hours",
    "fixed_assignments",
    "forbidden_successions",
    "max_consecutive_days",
    "max_shifts_per_kind",
    "max_working_weekends",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "min_rest_between_shifts",
    "one_shift_per_day",
    "own_pool_and_cost",
    "period_minute_limits",
    "preferred_units",
    "series_continuity",
    "shift_cover",
    "shift_off_requests",
    "shift_on_requests",
    "weekly_hour_limit",
]
