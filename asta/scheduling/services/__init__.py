"""Scheduling services: the database and time zones around the pure optimiser."""

from asta.scheduling.services.demand import package_demand, staffing_for_forecast

__all__ = ["package_demand", "staffing_for_forecast"]
