"""The demand forms' inputs as the marketplace and scheduling schemas want them, and their
errors renamed back to the inputs they belong to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from asta.marketplace.schemas import DemandCreate, ShiftCreate
from asta.scheduling.schemas import PackagingRequest
from asta.web.forms import FORM, text
from asta.web.planning import local, local_span, numbers, parse_date, parse_time

TERMS = ["unit_id", "profession", "description", "visibility", "sv_level"]
SHIFT_FIELDS = [*TERMS, "day", "start", "end", "positions", "publish"]
BLOCKS = 3
PATTERN_FIELDS = [*TERMS, "first_date", "last_date", "exclude_holidays", "publish",
                  *(f"blocks.{i}.{part}" for i in range(BLOCKS) for part in ("start", "end",
                                                                              "headcount"))]
PACKAGING_FIELDS = [*TERMS, "day", "source", "first_hour", "interval_minutes", "required",
                    "contacts", "average_handling_minutes", "service_level_pct",
                    "target_answer_s", "start_hours", "lengths_h", "extend_past_end",
                    "forecast_run"]
PACKAGING_DEFAULTS = {
    "profession": "doctor", "visibility": "", "source": "required", "first_hour": "08:00",
    "interval_minutes": "60", "required": "3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2",
    "contacts": "12, 18, 18, 14, 12, 10, 8, 6, 6, 5, 4, 3", "average_handling_minutes": "15",
    "service_level_pct": "80", "target_answer_s": "600", "start_hours": "8, 10, 12, 14, 16",
    "lengths_h": "4, 6, 8"}


def terms(values: Mapping[str, Any]) -> dict[str, Any]:
    # No visibility chosen: the unit's default decides (asta.marketplace.services.posting).
    data: dict[str, Any] = {"profession": values.get("profession", ""),
                            "description": values.get("description", ""),
                            "visibility": values.get("visibility") or None}
    if values.get("sv_level"):
        data["required_languages"] = {"sv": values["sv_level"]}
    return data


def _wall_clock(day: str, start: str, end: str) -> tuple[Any, Any, dict[str, str]]:
    """Start and end as aware datetimes, or the raw text with the name of the bad input."""
    parsed_day, parsed_start, parsed_end = parse_date(day), parse_time(start), parse_time(end)
    bad: dict[str, str] = {}
    if isinstance(parsed_day, str):
        bad["day"] = "date"
    if parsed_start is None:
        bad["start"] = "time"
    if parsed_end is None:
        bad["end"] = "time"
    if bad or isinstance(parsed_day, str) or parsed_start is None or parsed_end is None:
        return None, None, bad
    starts_at, ends_at = local_span(parsed_day, parsed_start, parsed_end)
    return starts_at, ends_at, {}


def shift_data(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    starts_at, ends_at, bad = _wall_clock(values["day"], values["start"], values["end"])
    data = {**terms(values), "starts_at": starts_at, "ends_at": ends_at,
            "positions": values["positions"] or "1"}
    return data, bad


def shift_create(values: Mapping[str, Any]) -> ShiftCreate:
    data, _ = shift_data(values)
    return ShiftCreate.model_validate(data)


def rename_shift(name: str) -> str:
    name = re.sub(r"^shifts\[\d+\]\.", "", name)
    return {"starts_at": "day", "ends_at": "end"}.get(name, "sv_level" if name.startswith(
        "required_languages") else name)


def pattern_create(values: Mapping[str, Any], weekdays: list[str]) -> DemandCreate:
    blocks = []
    for i in range(BLOCKS):
        raw = [values[f"blocks.{i}.{part}"].strip() for part in ("start", "end", "headcount")]
        if not any(raw) and i > 0:
            continue
        start, end = parse_time(raw[0]), parse_time(raw[1])
        blocks.append({"start": start or raw[0], "end": end or raw[1], "headcount": raw[2]})
    return DemandCreate.model_validate({
        **terms(values), "first_date": values["first_date"], "last_date": values["last_date"],
        "weekdays": weekdays, "blocks": blocks, "publish": values.get("publish") == "on",
        "exclude_holidays": values.get("exclude_holidays") == "on"})


def rename_pattern(name: str) -> str:
    name = re.sub(r"\[(\d+)\]", r".\1", name)
    name = name.replace(".starts_at", ".start").replace(".ends_at", ".end")
    return "sv_level" if name.startswith("required_languages") else name


def _seconds(minutes: str) -> Any:
    try:
        return float(minutes.replace(",", ".")) * 60
    except ValueError:
        return minutes


def _share(percent: str) -> Any:
    try:
        return float(percent.replace(",", ".")) / 100
    except ValueError:
        return percent


def packaging_request(values: Mapping[str, Any], time_limit_s: float) -> PackagingRequest:
    day, first = parse_date(values["day"]), parse_time(values["first_hour"])
    start: datetime | str = (local(day, first) if not isinstance(day, str) and first is not None
                             else values["day"] or "")
    templates = {"start_hours": numbers(values["start_hours"]),
                 "lengths_h": numbers(values["lengths_h"]),
                 "extend_past_end": values.get("extend_past_end") == "on"}
    data: dict[str, Any] = {"templates": templates, "time_limit_s": time_limit_s}
    if values["source"] == "forecast":
        data["forecast"] = {
            "start": start, "interval_minutes": values["interval_minutes"],
            "contacts": numbers(values["contacts"]),
            "average_handling_time_s": _seconds(values["average_handling_minutes"]),
            "service_level": _share(values["service_level_pct"]),
            "target_answer_s": values["target_answer_s"]}
    else:
        data.update(start=start, interval_minutes=values["interval_minutes"],
                    required=numbers(values["required"]))
    return PackagingRequest.model_validate(data)


_PACKAGING_NAMES = {"start": "day", "average_handling_time_s": "average_handling_minutes",
                    "service_level": "service_level_pct", "templates": "start_hours"}


def rename_packaging(name: str) -> str:
    parts = [p for p in name.split(".") if p not in {"forecast", "templates"}
             and not p.isdigit()]
    if not parts:
        return FORM
    return _PACKAGING_NAMES.get(parts[0], parts[0])


def packaged_shifts(form: Any) -> list[dict[str, Any]]:
    """The previewed shifts, carried by the publish form as hidden inputs."""
    starts, ends, counts = (form.getall(name, []) for name in ("shift_starts", "shift_ends",
                                                                "shift_counts"))
    return [{"starts_at": s, "ends_at": e, "positions": c}
            for s, e, c in zip(starts, ends, counts, strict=False)]


def publish_values(form: Any) -> dict[str, Any]:
    return {name: text(form, name) for name in TERMS}
