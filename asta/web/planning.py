"""Turning the scheduler's form inputs (Helsinki wall-clock dates and times, lists typed with
commas) into the services' schemas, and back into values a form can show again."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.core.auth import Principal
from asta.web.i18n import HELSINKI

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*$")


async def unit_options(db: AsyncSession, principal: Principal) -> list[tuple[str, str]]:
    """(unit id, "Unit – Area") for every unit the person schedules."""
    options = []
    for area in await accounts.list_organisations(db, principal):
        for unit in await accounts.list_units(db, principal, area.id):
            options.append((str(unit.id), unit.name))
    return options


def parse_date(value: str) -> date | str:
    """A date, or the raw text so that pydantic reports it next to its field."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return value


def parse_time(value: str) -> time | None:
    """'8', '08:00' and '8.30' are all accepted, as people write times in Finland."""
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour == 24 and minute == 0:
        return time(0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=HELSINKI)


def local_span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """An end at or before the start runs past midnight, as on a paper roster."""
    end_day = day + timedelta(days=1) if end <= start else day
    return local(day, start), local(end_day, end)


def numbers(value: str) -> list[str]:
    """'3, 3, 2' or '3 3 2' -> ['3', '3', '2'] (left as text for pydantic to check)."""
    return [part for part in re.split(r"[\s,;]+", value.strip()) if part]


def week_start(value: str | None, today: date) -> date:
    """The Monday of the given date's week (or of this week)."""
    chosen = today
    if value:
        try:
            chosen = date.fromisoformat(value)
        except ValueError:
            chosen = today
    return chosen - timedelta(days=chosen.weekday())


def form_values(form: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        raw = form.get(name, "")
        values[name] = raw if isinstance(raw, str) else ""
    return values


def uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError):
        return None


# A shift with open positions this close to its start needs the scheduler's attention now.
def parse_local_datetime(value: str) -> datetime | str:
    """A datetime-local input ("2026-11-20T08:00") read as Helsinki time, or the raw text."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=HELSINKI)


def local_input(moment: datetime) -> str:
    """The value a datetime-local input shows for a moment, in Helsinki time."""
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")
