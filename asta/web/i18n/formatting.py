"""Dates, times, numbers and money as each language writes them, in Finnish time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers

HELSINKI = ZoneInfo("Europe/Helsinki")
# Finnish and Swedish as written in Finland; English pages use English formats (9.5, not 9,5).
_BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(locale, "fi_FI"))


def format_datetime(value: datetime | None, locale: str, style: str = "short") -> str:
    if value is None:
        return ""
    return dates.format_datetime(value, style, tzinfo=HELSINKI, locale=babel_locale(locale))


def format_date(value: date | datetime | None, locale: str, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return dates.format_date(value, style, locale=babel_locale(locale))


def format_month(value: date | None, locale: str) -> str:
    """"joulukuu 2026", "december 2026", "December 2026"."""
    if value is None:
        return ""
    return str(dates.format_skeleton("yMMMM", value, locale=babel_locale(locale)))


def format_period(start: datetime, end: datetime, locale: str) -> str:
    """Days from `start` to an exclusive `end` in Helsinki: "1.12.–8.12.2026" (fi),
    "1.12–8.12.2026" (sv), "1 Dec – 8 Dec 2026" (en); the year once when both share it."""
    first = start.astimezone(HELSINKI).date()
    last = (end.astimezone(HELSINKI) - timedelta(microseconds=1)).date()
    short, full, dash = ("MMMd", "yMMMd", " – ") if locale == "en" else ("Md", "yMd", "–")
    where = babel_locale(locale)
    if first == last:
        return str(dates.format_skeleton(full, last, locale=where))
    head = dates.format_skeleton(short if first.year == last.year else full, first, locale=where)
    return f"{head}{dash}{dates.format_skeleton(full, last, locale=where)}"


def format_time(value: datetime | None, locale: str) -> str:
    if value is None:
        return ""
    return dates.format_time(value, "short", tzinfo=HELSINKI, locale=babel_locale(locale))


def format_number(value: float | int | Decimal | None, locale: str) -> str:
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=babel_locale(locale))


def format_money(cents: int | None, locale: str) -> str:
    """Money is kept in euro cents everywhere in Asta."""
    if cents is None:
        return ""
    return numbers.format_currency(Decimal(cents) / 100, "EUR", locale=babel_locale(locale))


def language_name(code: str, locale: str) -> str:
    return str(babel_locale(locale).languages.get(code, code))


def weekday_name(isoweekday: int, locale: str) -> str:
    """1 = Monday ... 7 = Sunday, as in the profile's preferences."""
    names = babel_locale(locale).days["stand-alone"]["wide"]
    return str(names[isoweekday - 1]).capitalize()
