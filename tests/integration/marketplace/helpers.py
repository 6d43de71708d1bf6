"""Shared steps of the marketplace tests: posting shifts through the API, moving time."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select, update

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment, Shift
from asta.marketplace.rules.holidays import is_public_holiday

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A Helsinki wall-clock time `days` from today."""
    day = utcnow().astimezone(HELSINKI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI)


def workday(at_least: int = 3) -> int:
    """Days from today to the first Monday-Friday that is not a public holiday, at least
    `at_least` days ahead: a shift there earns the base rate only, whatever today is."""
    days = at_least
    while (day := local(days, 12).date()).weekday() >= 5 or is_public_holiday(day):
        days += 1
    return days


def shift_body(days: int | None = None, start: int = 8, end: int = 16, **over: Any) -> dict[str, Any]:
    days = workday() if days is None else days
    body: dict[str, Any] = {"starts_at": local(days, start).isoformat(),
                            "ends_at": local(days, end).isoformat(),
                            "profession": "doctor", "visibility": "national"}
    body.update(over)
    return body


async def post_shifts(client: httpx.AsyncClient, headers: dict[str, str], unit_id: uuid.UUID,
                      *shifts: dict[str, Any], publish: bool = True) -> list[dict[str, Any]]:
    response = await client.post(f"/api/units/{unit_id}/shifts", headers=headers,
                                 json={"shifts": list(shifts) or [shift_body()],
                                       "publish": publish})
    assert response.status_code == 201, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def move_shift(shift_id: uuid.UUID | str, starts_at: datetime, ends_at: datetime) -> None:
    """Time travel: put a shift (and its assignments) at other times."""
    sid = uuid.UUID(str(shift_id))
    async with unit_of_work() as session:
        await session.execute(update(Shift).where(Shift.id == sid)  # type: ignore[arg-type]
                              .values(starts_at=starts_at, ends_at=ends_at))
        await session.execute(update(Assignment).where(Assignment.shift_id == sid)  # type: ignore[arg-type]
                              .values(starts_at=starts_at, ends_at=ends_at))


def hours_ago(hours: float) -> datetime:
    return (utcnow() - timedelta(hours=hours)).replace(second=0, microsecond=0)


async def count(model: Any, *conditions: Any) -> int:
    async with unit_of_work() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
