"""Loading what people said about when they work, for the one rule (asta.profiles.availability)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.profiles.availability import Availability, WeeklyTime
from asta.profiles.models import AvailabilityException, AvailabilityPattern, AvailabilityWindow


async def availability_of(session: AsyncSession, user_ids: Collection[uuid.UUID], *,
                          since: datetime | None = None) -> dict[uuid.UUID, Availability]:
    """Everyone's weekly times, days off and dated times (those ending after `since`);
    a person who said nothing gets the empty Availability (any time goes)."""
    weekly: dict[uuid.UUID, list[WeeklyTime]] = {u: [] for u in user_ids}
    days_off: dict[uuid.UUID, set[date]] = {u: set() for u in user_ids}
    dated: dict[uuid.UUID, list[tuple[datetime, datetime]]] = {u: [] for u in user_ids}
    for p in await session.scalars(select(AvailabilityPattern).where(
            col(AvailabilityPattern.user_id).in_(user_ids))):
        weekly[p.user_id].append(WeeklyTime(p.weekday, p.starts, p.ends))
    for e in await session.scalars(select(AvailabilityException).where(
            col(AvailabilityException.user_id).in_(user_ids))):
        days_off[e.user_id].add(e.day)
    windows = select(AvailabilityWindow).where(col(AvailabilityWindow.user_id).in_(user_ids))
    if since is not None:
        windows = windows.where(col(AvailabilityWindow.ends_at) > since)
    for w in await session.scalars(windows):
        dated[w.user_id].append((w.starts_at, w.ends_at))
    return {u: Availability(tuple(weekly[u]), frozenset(days_off[u]), tuple(sorted(dated[u])))
            for u in user_ids}
