"""The profile form <-> ProfileUpdate. Pure functions: the page keeps what was typed, and the
schema (not this module) decides what is valid."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from asta.profiles.schemas import ProfileRead
from asta.web.forms import FormValues, optional, text
from asta.web.i18n import HELSINKI

SCALARS = ("full_name", "phone", "locale", "profession", "registration_number",
           "registration_valid_until", "bio", "home_municipality")
ROWS: dict[str, tuple[str, ...]] = {
    "languages": ("code", "level"),
    "certificates": ("name", "competence", "issued_on", "expires_on"),
    "availability": ("starts_at", "ends_at"),
    "weekly_availability": ("weekday", "starts", "ends"),
}
BLANK_ROWS = {"languages": 1, "certificates": 1, "availability": 2, "weekly_availability": 2}
CHOSEN = ("specialties", "competences")  # chosen from the localised lists of codes
LISTS = ("preferred_weekdays", "unwanted_weekdays", "preferred_times", "unwanted_times",
         "preferred_unit_ids")
NOTIFICATION_KINDS = ("new_shifts", "bookings", "reminders", "standby_offers")
LOCAL_DATETIME = "%Y-%m-%dT%H:%M"
_ROW_KEY = re.compile(r"^(languages|certificates|availability|weekly_availability)\.(\d+)\.")
_DAYS = re.compile(r"[\s,;]+")


def chosen(values: Mapping[str, Any], name: str) -> list[str]:
    """A checkbox group's ticked codes."""
    picked = values.get(name, [])
    return [v for v in ([picked] if isinstance(picked, str) else picked) if v]


def code_options(values: Mapping[str, Any], name: str, known: tuple[str, ...]) -> list[str]:
    """The codes to offer: the list, then any other code the profile holds (kept, not lost)."""
    return [*known, *(c for c in chosen(values, name) if c not in known)]


def values_from_form(form: Any) -> FormValues:
    """Everything as typed; multi-valued inputs (checkbox groups) as lists."""
    values: FormValues = {}
    for key in form:
        if key == "_csrf_token":
            continue
        if key in CHOSEN or (key.startswith("preferences.") and key.split(".", 1)[1] in LISTS):
            values[key] = [str(v) for v in form.getall(key)]
        else:
            values[key] = str(form.get(key))
    return values


def row_indices(values: Mapping[str, Any], group: str) -> list[int]:
    found = {int(m.group(2)) for key in values if (m := _ROW_KEY.match(key)) and m.group(1) == group}
    return sorted(found)


def row_count(values: Mapping[str, Any], group: str) -> int:
    indices = row_indices(values, group)
    return (max(indices) + 1) if indices else BLANK_ROWS[group]


def _local_to_aware(value: str) -> str:
    """datetime-local inputs carry no zone: they are Finnish wall-clock time."""
    try:
        return datetime.strptime(value, LOCAL_DATETIME).replace(tzinfo=HELSINKI).isoformat()
    except ValueError:
        return value


def _euros_to_cents(value: str) -> int | str:
    cleaned = value.replace("€", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return int((Decimal(cleaned) * 100).to_integral_value())
    except InvalidOperation:
        return value


def data_from_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The ProfileUpdate payload, and for each row group which input row each entry came from
    (blank rows are dropped, so entry k may be input row 3)."""
    data: dict[str, Any] = {name: optional(values, name) for name in SCALARS}
    data["full_name"] = text(values, "full_name").strip()
    data["bio"] = text(values, "bio").strip()
    if data["locale"] is None:
        del data["locale"]
    if data["profession"] is None:
        del data["profession"]
    for name in CHOSEN:
        data[name] = chosen(values, name)
    data["unavailable_days"] = [d for d in _DAYS.split(text(values, "unavailable_days")) if d]
    origins: dict[str, list[int]] = {}
    for group, fields in ROWS.items():
        entries, origins[group] = [], []
        for i in row_indices(values, group):
            row = {f: text(values, f"{group}.{i}.{f}").strip() for f in fields}
            if not any(row.values()):
                continue
            entry: dict[str, Any] = {f: v for f, v in row.items() if v}
            if group == "availability":
                entry = {f: _local_to_aware(v) for f, v in entry.items()}
            if group == "languages" and "code" in entry:
                entry["code"] = entry["code"].lower()
            entries.append(entry)
            origins[group].append(i)
        data[group] = entries
    prefs: dict[str, Any] = {
        "remote_only": text(values, "preferences.remote_only") == "on",
        **{name: [v for v in values.get(f"preferences.{name}", []) if v] for name in LISTS},
    }
    if hours := optional(values, "preferences.max_hours_per_week"):
        prefs["max_hours_per_week"] = hours.replace(",", ".")
    if pay := optional(values, "preferences.min_hourly_pay"):
        prefs["min_hourly_pay_cents"] = _euros_to_cents(pay)
    prefs["notifications"] = {kind: choice for kind in NOTIFICATION_KINDS
                              if (choice := optional(values, f"preferences.notifications.{kind}"))}
    data["preferences"] = prefs
    return data, origins


def error_field(name: str, origins: Mapping[str, list[int]]) -> str:
    """A schema error location as the input (or group of inputs) that shows it."""
    parts = name.split(".")
    if parts[0] in ("specialties", "competences"):
        return parts[0]
    if parts[0] in ROWS and len(parts) > 1 and parts[1].isdigit():
        k = int(parts[1])
        kept = origins.get(parts[0], [])
        parts[1] = str(kept[k]) if k < len(kept) else parts[1]
        return ".".join(parts)
    if name == "preferences.min_hourly_pay_cents":
        return "preferences.min_hourly_pay"
    if parts[0] == "unavailable_days":  # one input holds them all
        return parts[0]
    if name == "preferences.notifications":  # only standby offers limit the choices
        return "preferences.notifications.standby_offers"
    return name


def _money_text(cents: int | None, locale: str) -> str:
    if cents is None:
        return ""
    amount = f"{Decimal(cents) / 100:.2f}"
    return amount.replace(".", ",") if locale in ("fi", "sv") else amount


def values_from_profile(profile: ProfileRead, locale: str) -> FormValues:
    values: FormValues = {
        "full_name": profile.full_name, "phone": profile.phone or "", "locale": profile.locale,
        "profession": profile.profession or "",
        "registration_number": profile.registration_number or "",
        "registration_valid_until": (profile.registration_valid_until.isoformat()
                                     if profile.registration_valid_until else ""),
        "bio": profile.bio, "home_municipality": profile.home_municipality or "",
        "specialties": list(profile.specialties),
        "competences": list(profile.competences),
    }
    for i, skill in enumerate(profile.languages):
        values[f"languages.{i}.code"], values[f"languages.{i}.level"] = skill.code, skill.level
    for i, cert in enumerate(profile.certificates):
        values[f"certificates.{i}.name"] = cert.name
        values[f"certificates.{i}.competence"] = cert.competence or ""
        values[f"certificates.{i}.issued_on"] = cert.issued_on.isoformat() if cert.issued_on else ""
        values[f"certificates.{i}.expires_on"] = (cert.expires_on.isoformat()
                                                  if cert.expires_on else "")
    for i, window in enumerate(profile.availability):
        values[f"availability.{i}.starts_at"] = window.starts_at.astimezone(HELSINKI).strftime(
            LOCAL_DATETIME)
        values[f"availability.{i}.ends_at"] = window.ends_at.astimezone(HELSINKI).strftime(
            LOCAL_DATETIME)
    for i, week in enumerate(profile.weekly_availability):
        values[f"weekly_availability.{i}.weekday"] = str(week.weekday)
        values[f"weekly_availability.{i}.starts"] = week.starts.strftime("%H:%M")
        values[f"weekly_availability.{i}.ends"] = week.ends.strftime("%H:%M")
    values["unavailable_days"] = ", ".join(d.isoformat() for d in profile.unavailable_days)
    for group, n in (("languages", len(profile.languages)),
                     ("certificates", len(profile.certificates)),
                     ("availability", len(profile.availability)),
                     ("weekly_availability", len(profile.weekly_availability))):
        for i in range(n, n + BLANK_ROWS[group]):
            for f in ROWS[group]:
                values[f"{group}.{i}.{f}"] = ""
    prefs = profile.preferences
    values["preferences.max_hours_per_week"] = (f"{prefs.max_hours_per_week:g}"
                                                if prefs.max_hours_per_week else "")
    values["preferences.min_hourly_pay"] = _money_text(prefs.min_hourly_pay_cents, locale)
    values["preferences.remote_only"] = "on" if prefs.remote_only else ""
    for name in LISTS:
        values[f"preferences.{name}"] = [str(v) for v in getattr(prefs, name)]
    chosen: dict[str, str] = {str(k): str(v) for k, v in prefs.notifications.items()}
    for kind in NOTIFICATION_KINDS:
        values[f"preferences.notifications.{kind}"] = chosen.get(kind, "instant")
    return values
