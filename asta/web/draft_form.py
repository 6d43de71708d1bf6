"""The draft form: a shift's terms as typed (local day and times, pay in euros) and the
marketplace's ShiftCreate built from them; its errors renamed back to the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from asta.marketplace.schemas import ShiftCreate, ShiftRead
from asta.web import demand_forms as df
from asta.web.forms import FormValues, tags, text
from asta.web.i18n import HELSINKI
from asta.web.unit_form import cents

FIELDS = ("profession", "description", "visibility", "sv_level", "day", "start", "end",
          "positions", "break_minutes", "base_hourly", "specialties", "competences")


def values_of(shift: ShiftRead) -> FormValues:
    start, end = shift.starts_at.astimezone(HELSINKI), shift.ends_at.astimezone(HELSINKI)
    return {"profession": shift.profession, "description": shift.description,
            "visibility": shift.visibility,
            "sv_level": shift.required_languages.get("sv", ""),
            "day": start.date().isoformat(), "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"), "positions": str(shift.positions),
            "break_minutes": str(shift.pay.breakdown.get("break_minutes", 0)),
            "base_hourly": f"{Decimal(shift.pay.base_hourly_cents) / 100:.2f}",
            "specialties": ", ".join(shift.required_specialties),
            "competences": ", ".join(shift.required_competences),
            "onboarding_required": "on" if shift.onboarding_required else ""}


def typed(form: Any) -> FormValues:
    values: FormValues = {name: text(form, name) for name in FIELDS}
    values["onboarding_required"] = "on" if text(form, "onboarding_required") else ""
    return values


def bad_inputs(values: Mapping[str, Any]) -> dict[str, str]:
    """Inputs that are not a date or a time at all: name -> "date" or "time"."""
    return df.shift_data(values)[1]


def shift_create(values: Mapping[str, Any]) -> ShiftCreate:
    data, _ = df.shift_data(values)
    data.update(break_minutes=values["break_minutes"].strip() or "0",
                required_specialties=tags(values["specialties"]),
                required_competences=tags(values["competences"]),
                onboarding_required=values["onboarding_required"] == "on")
    if values["base_hourly"].strip():
        data["base_hourly_cents"] = cents(values["base_hourly"])
    return ShiftCreate.model_validate(data)


def rename(name: str) -> str:
    if name == "base_hourly_cents":
        return "base_hourly"
    if name.startswith(("required_specialties", "required_competences")):
        return "specialties" if "specialties" in name else "competences"
    return df.rename_shift(name)
