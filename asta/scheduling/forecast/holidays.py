"""The Finnish holidays a forecast treats as special days: the same list that decides holiday
pay (`asta.marketplace.rules.holidays`, Midsummer Eve and Christmas Eve included, since
services close on them as on holidays)."""

from __future__ import annotations

from datetime import date

from asta.marketplace.rules.holidays import holiday_dates


def finnish_holiday_dates(first: date, last: date) -> frozenset[date]:
    """Holidays from `first` to `last` inclusive."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        days.update(d for d in holiday_dates(year) if first <= d <= last)
    return frozenset(days)
