"""Which language a request is answered in."""

from __future__ import annotations

from asta.web.i18n.catalogue import DEFAULT_LOCALE, LOCALES

LOCALE_COOKIE = "asta_locale"


def _from_accept_language(header: str) -> str | None:
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.split("-")[0].lower()
        if primary in LOCALES:
            weighted.append((quality, primary))
    return max(weighted, key=lambda w: w[0])[1] if weighted else None


def choose_locale(*, user_locale: str | None, cookie: str | None, accept_language: str) -> str:
    """A signed-in person's stored choice, else this browser's choice, else what it asks for."""
    for candidate in (user_locale, cookie):
        if candidate in LOCALES:
            return candidate
    return _from_accept_language(accept_language) or DEFAULT_LOCALE
