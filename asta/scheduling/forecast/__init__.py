"""Forecasting contacts per interval from a unit's history (pure; numpy only)."""

from asta.scheduling.forecast.holidays import finnish_holiday_dates
from asta.scheduling.forecast.model import MODEL_NAME, Forecast, History, Settings, forecast

__all__ = ["MODEL_NAME", "Forecast", "History", "Settings", "finnish_holiday_dates", "forecast"]
