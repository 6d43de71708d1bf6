"""Forecasting contacts per interval from a unit's history (pure; numpy only)."""

from asta.scheduling.forecast.holidays import easter_sunday, finnish_holiday_dates, finnish_holidays
from asta.scheduling.forecast.model import MODEL_NAME, Forecast, History, Settings, forecast

__all__ = ["MODEL_NAME", "Forecast", "History", "Settings", "easter_sunday",
           "finnish_holiday_dates", "finnish_holidays", "forecast"]
