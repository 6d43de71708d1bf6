"""Finnish public holidays (and the de facto days off the contact centres see as holidays).

Computed, not looked up: Easter by the anonymous Gregorian algorithm (Meeus/Jones/Butcher),
the moving Saturdays by their published windows (Juhannus, Pyhäinpäivä).
"""

from __future__ import annotations

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Western Easter Sunday of `year`."""
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


def _saturday_between(first: date) -> date:
    """The Saturday in the seven days starting at `first`."""
    return first + timedelta(days=(5 - first.weekday()) % 7)


def finnish_holidays(year: int) -> dict[date, str]:
    """Public holidays plus Midsummer Eve and Christmas Eve, which shut services as holidays do."""
    easter = easter_sunday(year)
    midsummer = _saturday_between(date(year, 6, 20))
    return {
        date(year, 1, 1): "New Year's Day",
        date(year, 1, 6): "Epiphany",
        easter - timedelta(days=2): "Good Friday",
        easter: "Easter Sunday",
        easter + timedelta(days=1): "Easter Monday",
        date(year, 5, 1): "May Day",
        easter + timedelta(days=39): "Ascension Day",
        easter + timedelta(days=49): "Whit Sunday",
        midsummer - timedelta(days=1): "Midsummer Eve",
        midsummer: "Midsummer Day",
        _saturday_between(date(year, 10, 31)): "All Saints' Day",
        date(year, 12, 6): "Independence Day",
        date(year, 12, 24): "Christmas Eve",
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
    }


def finnish_holiday_dates(first: date, last: date) -> frozenset[date]:
    """Holidays from `first` to `last` inclusive."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        days.update(d for d in finnish_holidays(year) if first <= d <= last)
    return frozenset(days)
