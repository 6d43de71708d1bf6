"""Languages of the pages: gettext catalogues (Babel .po files read at start-up) and
locale-aware formatting of dates, times, numbers and money in Helsinki time.

English is the source language: its strings are the msgids, so it needs no catalogue.
"""

from __future__ import annotations

from asta.web.i18n.catalogue import (
    DEFAULT_LOCALE,
    LOCALES,
    gettext,
    missing_translations,
    ngettext,
)
from asta.web.i18n.formatting import (
    HELSINKI,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_time,
    language_name,
    weekday_name,
)
from asta.web.i18n.negotiation import LOCALE_COOKIE, choose_locale

__all__ = [
    "DEFAULT_LOCALE",
    "HELSINKI",
    "LOCALES",
    "LOCALE_COOKIE",
    "choose_locale",
    "format_date",
    "format_datetime",
    "format_money",
    "format_number",
    "format_time",
    "gettext",
    "language_name",
    "missing_translations",
    "ngettext",
    "weekday_name",
]


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
