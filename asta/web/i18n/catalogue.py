"""Translations read from asta/web/locales/<locale>/LC_MESSAGES/messages.po.

The .po files are the source of truth and are parsed once per process with Babel, so no
compiled .mo files need to be built or committed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LOCALE = "fi"
CATALOGUES = Path(__file__).resolve().parent.parent / "locales"

Plural = tuple[str, ...]


@cache
def catalogue(locale: str) -> dict[str, str | Plural]:
    """msgid -> translation (a tuple of forms for plurals); fuzzy and empty entries are left out."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    entries: dict[str, str | Plural] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(str(s) for s in message.string or ())
            if all(forms):
                entries[str(message.id[0])] = forms
        elif message.string:
            entries[str(message.id)] = str(message.string)
    return entries


def gettext(locale: str, message: str, **values: Any) -> str:
    translated = catalogue(locale).get(message, message)
    text = translated if isinstance(translated, str) else translated[0]
    return text.format(**values) if values else text


def ngettext(locale: str, singular: str, plural: str, n: int, **values: Any) -> str:
    """Plural forms; Finnish, Swedish and English all use "one" for 1 and "other" otherwise."""
    translated = catalogue(locale).get(singular)
    if isinstance(translated, tuple):
        text = translated[0] if n == 1 else translated[-1]
    else:
        text = singular if n == 1 else plural
    return text.format(n=n, **values)


def missing_translations(locale: str, msgids: set[str]) -> set[str]:
    return msgids - set(catalogue(locale))
