"""The unit form: a unit's rules and rate card as typed, and the API's schema built from it.

Inputs are named after the schema's fields ("rate_card.evening_pct"), so its errors land on
the inputs; base pay is typed in euros per hour and sent in cents.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from asta.accounts.schemas import UnitRead
from asta.web.forms import FormValues, text
from asta.web.labels import PROFESSION_LABELS

RULE_FIELDS = ("name", "description", "claim_mode", "default_visibility", "min_rest_hours",
               "weekly_max_hours", "cancellation_notice_hours")
SUPPLEMENTS = ("evening_pct", "night_pct", "saturday_pct", "sunday_pct")
PROFESSIONS = tuple(PROFESSION_LABELS)
LANGUAGES = ("fi", "sv", "en")
BASE = "rate_card.base_hourly_cents."


def blank() -> FormValues:
    """A new unit: the Working Hours Act's limits and common supplements filled in."""
    values: FormValues = {"name": "", "description": "", "claim_mode": "instant",
                          "default_visibility": "area", "min_rest_hours": "11",
                          "weekly_max_hours": "48", "cancellation_notice_hours": "48",
                          "is_remote": "on", "languages": ["fi"]}
    values.update({"rate_card.evening_pct": "15", "rate_card.night_pct": "30",
                   "rate_card.saturday_pct": "25", "rate_card.sunday_pct": "100"})
    values.update({BASE + p: "" for p in PROFESSIONS})
    return values


def values_of(unit: UnitRead) -> FormValues:
    values: FormValues = {n: _shown(getattr(unit, n)) for n in RULE_FIELDS}
    values["is_remote"] = "on" if unit.is_remote else ""
    values["languages"] = list(unit.languages)
    card = unit.rate_card
    values.update({f"rate_card.{n}": _shown(getattr(card, n)) for n in SUPPLEMENTS})
    values.update({BASE + p: _euros(card.base_hourly_cents.get(p)) for p in PROFESSIONS})
    return values


def typed(form: Any) -> FormValues:
    values: FormValues = {n: text(form, n) for n in RULE_FIELDS}
    values.update({f"rate_card.{n}": text(form, f"rate_card.{n}") for n in SUPPLEMENTS})
    values.update({BASE + p: text(form, BASE + p) for p in PROFESSIONS})
    values["is_remote"] = "on" if text(form, "is_remote") else ""
    values["languages"] = [v for v in form.getall("languages", []) if v in LANGUAGES]
    return values


def data(values: FormValues) -> dict[str, Any]:
    """What the schema validates; blank base pay means the unit does not pay that profession."""
    result: dict[str, Any] = {n: _number(values[n]) for n in RULE_FIELDS}
    result["is_remote"] = bool(values["is_remote"])
    result["languages"] = values["languages"]
    result["rate_card"] = {n: _number(values[f"rate_card.{n}"]) for n in SUPPLEMENTS}
    result["rate_card"]["base_hourly_cents"] = {
        p: cents(values[BASE + p]) for p in PROFESSIONS if values[BASE + p].strip()}
    return result


def _number(value: str) -> str:
    return value.strip().replace(",", ".")


def cents(value: str) -> int | str:
    try:
        return int((Decimal(_number(value)) * 100).to_integral_value())
    except InvalidOperation:
        return value  # the schema names the field and says what is wrong


def _euros(cents: int | None) -> str:
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}"


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
