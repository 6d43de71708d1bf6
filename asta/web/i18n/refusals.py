"""Refusals (rules.refusals) in the reader's language, their numbers formatted for it.

The template is the English msgid from the one catalogue; parameters that are codes
(profession, language, level...) become their display names, moments and numbers are
written as the language writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from babel import dates

from asta.marketplace.rules.refusals import MESSAGES, Param
from asta.web import labels
from asta.web.i18n.catalogue import gettext
from asta.web.i18n.formatting import (
    babel_locale,
    format_date,
    format_datetime,
    format_number,
    language_name,
)

_LABELLED = {"required": labels.PROFESSION_LABELS, "yours": labels.PROFESSION_LABELS,
             "level": labels.LEVEL_LABELS, "competence": labels.COMPETENCE_LABELS,
             "specialty": labels.SPECIALTY_LABELS}


def _value(locale: str, code: str, key: str, value: Param) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, locale)
    if isinstance(value, date):
        return format_date(value, locale, "short")
    if isinstance(value, time):
        return str(dates.format_time(value, "short", locale=babel_locale(locale)))
    if isinstance(value, int | float):
        return format_number(value, locale)
    if value is None:
        return ""
    if key == "language":
        return language_name(value, locale)
    table = labels.LEVEL_LABELS if code == "language_level_too_low" and key == "yours" \
        else _LABELLED.get(key, {})
    if value in table:
        return gettext(locale, table[value]).lower()  # the names sit mid-sentence
    return value.replace("_", " ")


def render_refusal(locale: str, code: str, params: Mapping[str, Any]) -> str:
    template = gettext(locale, MESSAGES[code])
    return template.format(**{k: _value(locale, code, k, v) for k, v in params.items()})


def render_refusals(locale: str, refusals: list[dict[str, Any]]) -> str:
    """The error details' refusals ({code, params}) as one sentence per rule."""
    return " ".join(render_refusal(locale, r["code"], r.get("params") or {}) + "."
                    for r in refusals if r.get("code") in MESSAGES)
