"""Which language a request is answered in."""

from __future__ import annotations

from babel import negotiate_locale

from asta.web.i18n.catalogue import DEFAULT_LOCALE, LOCALES

LOCALE_COOKIE = "asta_locale"


def _preferred(header: str) -> list[str]:
    """The header's language tags, most wanted first; q=0 means "not this one".

    Babel matches tags to locales but does not read the header's q-values, so this orders them.
    """
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        try:
            quality = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            quality = 0.0
        if tag and quality > 0:
            weighted.append((quality, tag.strip()))
    # sorted() is stable, so equal weights keep the header's order.
    return [tag for _, tag in sorted(weighted, key=lambda w: -w[0])]


def choose_locale(*, user_locale: str | None, cookie: str | None, accept_language: str) -> str:
    """A signed-in person's stored choice, else this browser's choice, else what it asks for."""
    for candidate in (user_locale, cookie):
        if candidate in LOCALES:
            return candidate
    chosen = negotiate_locale(_preferred(accept_language), LOCALES, sep="-")
    return chosen if chosen in LOCALES else DEFAULT_LOCALE
