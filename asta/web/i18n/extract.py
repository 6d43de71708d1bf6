"""Keeps the catalogues in step with the code: `python -m asta.web.i18n.extract`.

Finds every msgid in asta/web (Python and templates), adds new ones to each .po file with an
empty translation, drops ones no longer used, and prints what is still untranslated. The
tests run `msgids()` too, so a string without a translation fails the build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from asta.web.i18n.catalogue import CATALOGUES, LOCALES

WEB = Path(__file__).resolve().parent.parent
# Catalogues outside asta/web whose English templates the pages translate.
EXTRA_SOURCES = (WEB.parent / "marketplace" / "rules" / "refusals.py",)
Keywords = dict[str, tuple[int, ...] | None]
PYTHON_KEYWORDS: Keywords = {"N_": None, "_": None, "gettext": (2,), "ngettext": (2, 3)}
TEMPLATE_KEYWORDS: Keywords = {"_": None, "ngettext": (1, 2)}


def _messages() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    sources = [("python", p, PYTHON_KEYWORDS) for p in [*sorted(WEB.rglob("*.py")), *EXTRA_SOURCES]]
    sources += [("jinja2", p, TEMPLATE_KEYWORDS) for p in sorted((WEB / "templates").rglob("*.html"))]
    for method, path, keywords in sources:
        options = {"trim_blocks": "true", "lstrip_blocks": "true"} if method == "jinja2" else {}
        for line, message, _comments, _context in extract_from_file(
                method, str(path), keywords=keywords, options=options):
            key: str | tuple[str, str] = (
                (str(message[0]), str(message[1])) if isinstance(message, tuple | list)
                else str(message))
            if not key or (isinstance(key, tuple) and not key[0]):
                continue
            found.setdefault(key, []).append((os.path.relpath(path, WEB), line))
    return found


def msgids() -> set[str]:
    return {key[0] if isinstance(key, tuple) else key for key in _messages()}


def update() -> dict[str, list[str]]:
    messages = _messages()
    missing: dict[str, list[str]] = {}
    for locale in LOCALES:
        if locale == "en":
            continue
        path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
        old = Catalog(locale=locale)
        if path.exists():
            with path.open("rb") as handle:
                old = read_po(handle, locale=locale)
        # Keep the header stable so re-running only changes what really changed.
        new = Catalog(locale=locale, project="Asta", version="1", charset="utf-8",
                      creation_date=old.creation_date, revision_date=old.revision_date,
                      fuzzy=False, header_comment=f"# {locale} catalogue of the Asta pages.")
        for key, locations in messages.items():
            previous = old.get(key[0] if isinstance(key, tuple) else key)
            string = previous.string if previous is not None else ("", "") if isinstance(
                key, tuple) else ""
            new.add(key, string, locations=locations)
            if not string or (isinstance(string, tuple) and not all(string)):
                missing.setdefault(locale, []).append(key[0] if isinstance(key, tuple) else key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, new, width=100, sort_output=True, include_previous=False)
    return missing


if __name__ == "__main__":
    result = update()
    for locale, keys in result.items():
        print(f"{locale}: {len(keys)} untranslated", file=sys.stderr)
        for key in keys:
            print(f"  {key}", file=sys.stderr)
    sys.exit(1 if result else 0)
