"""Scheduling services: the database and time zones around the pure optimiser."""

from asta.scheduling.services.demand import package_demand, staffing_for_forecast
from asta.scheduling.services.forecast_runs import compare_forecast_run, list_forecast_runs
from asta.scheduling.services.forecasting import (
    HistoryTooShortError,
    get_forecast_run,
    history_summary,
    import_history,
    run_forecast,
)
from asta.scheduling.services.matching import accept as accept_proposals
from asta.scheduling.services.matching import get_run as get_matching_run
from asta.scheduling.services.matching import list_runs as list_matching_runs
from asta.scheduling.services.matching import start_matching_run

__all__ = [
    "HistoryTooShortError",
    "accept_proposals",
    "compare_forecast_run",
    "get_forecast_run",
    "get_matching_run",
    "history_summary",
    "import_history",
    "list_forecast_runs",
    "list_matching_runs",
    "package_demand",
    "run_forecast",
    "staffing_for_forecast",
    "start_matching_run",
]
