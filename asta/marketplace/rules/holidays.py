"""Finnish public holidays, the days that earn the Sunday/holiday pay supplement.

Midsummer Eve and Christmas Eve are not holidays by law, but they are days off by
custom and under the public-sector collective agreements, so they count here for pay
and demand planning. `Holiday.statutory` tells them apart for anyone who needs the
legal list only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from asta.marketplace.rules.errors import RuleError

# The Gregorian Easter rule is only meaningful from its introduction on.
MIN_YEAR, MAX_YEAR = 1583, 9999


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str
    name_fi: str
    statutory: bool = True


def easter_sunday(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    _check_year(year)
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> date:
    """The one date with `weekday` (0 = Monday) in the 7 days from `first_day`."""
    start = date(year, month, first_day)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=64)
def finnish_holidays(year: int) -> tuple[Holiday, ...]:
    """The year's holidays in date order."""
    easter = easter_sunday(year)
    midsummer_eve = _weekday_between(year, 6, 19, 4)  # Friday 19-25 June
    days = [
        Holiday(date(year, 1, 1), "New Year's Day", "Uudenvuodenpäivä"),
        Holiday(date(year, 1, 6), "Epiphany", "Loppiainen"),
        Holiday(easter - timedelta(days=2), "Good Friday", "Pitkäperjantai"),
        Holiday(easter, "Easter Sunday", "Pääsiäispäivä"),
        Holiday(easter + timedelta(days=1), "Easter Monday", "2. pääsiäispäivä"),
        Holiday(date(year, 5, 1), "May Day", "Vappu"),
        Holiday(easter + timedelta(days=39), "Ascension Day", "Helatorstai"),
        Holiday(easter + timedelta(days=49), "Whitsun", "Helluntaipäivä"),
        Holiday(midsummer_eve, "Midsummer Eve", "Juhannusaatto", statutory=False),
        Holiday(midsummer_eve + timedelta(days=1), "Midsummer Day", "Juhannuspäivä"),
        # Saturday 31 October - 6 November
        Holiday(_weekday_between(year, 10, 31, 5), "All Saints' Day", "Pyhäinpäivä"),
        Holiday(date(year, 12, 6), "Independence Day", "Itsenäisyyspäivä"),
        Holiday(date(year, 12, 24), "Christmas Eve", "Jouluaatto", statutory=False),
        Holiday(date(year, 12, 25), "Christmas Day", "Joulupäivä"),
        Holiday(date(year, 12, 26), "St Stephen's Day", "Tapaninpäivä"),
    ]
    return tuple(sorted(days, key=lambda holiday: holiday.day))


@lru_cache(maxsize=64)
def holiday_dates(year: int) -> frozenset[date]:
    return frozenset(holiday.day for holiday in finnish_holidays(year))


def is_public_holiday(day: date) -> bool:
    return day in holiday_dates(day.year)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleError("year", f"Year must be between {MIN_YEAR} and {MAX_YEAR}")
