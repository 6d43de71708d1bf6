"""Demo: the next two weeks of open shifts, posted as each area's scheduler would post them."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core.auth import principal_in
from asta.core.clock import today, utcnow
from asta.demo import SEEDERS, DemoWorld, Progress
from asta.marketplace.models import Shift
from asta.marketplace.schemas import DemandBlock, DemandCreate
from asta.marketplace.services import post_demand

DAYS_AHEAD = 14
WEEKDAYS = [1, 2, 3, 4, 5]
# unit name -> (scheduler, demand terms, blocks (start, end, headcount))
PATTERNS: dict[str, tuple[str, dict[str, Any], list[tuple[int, int, int]]]] = {
    "Kaiku24 remote reception": (
        "scheduler.kymenlaakso@asta.demo",
        {"profession": "doctor", "description": "Remote reception: assess, treat and refer "
         "patients of the Kaiku24 contact centre by phone and video.", "visibility": "national"},
        [(8, 16, 3), (16, 20, 2)]),
    "Kaiku24 remote consultation": (
        "scheduler.kymenlaakso@asta.demo",
        {"profession": "doctor", "description": "Consultation line for Kaiku24 nurses.",
         "required_competences": ["remote_consultation"], "visibility": "area"},
        [(9, 15, 1)]),
    "Vaasa bilingual remote reception": (
        "scheduler.pohjanmaa@asta.demo",
        {"profession": "doctor", "description": "Remote reception in Finnish and Swedish.",
         "required_languages": {"sv": "fluent"}, "visibility": "national"},
        [(8, 16, 2)]),
    "Jakobstad digital health centre": (
        "scheduler.pohjanmaa@asta.demo",
        {"profession": "doctor", "description": "Digital health centre, mostly in Swedish.",
         "required_languages": {"sv": "professional"}, "visibility": "national"},
        [(10, 16, 1)]),
}


async def seed_upcoming_shifts(session: AsyncSession, world: DemoWorld,
                               progress: Progress) -> None:
    from asta.accounts.models import User

    first = today() + timedelta(days=1)
    for unit_name, (scheduler_email, terms, blocks) in PATTERNS.items():
        unit = world.units[unit_name]
        upcoming = await session.scalar(select(func.count()).select_from(Shift).where(
            Shift.unit_id == unit.id, col(Shift.starts_at) > utcnow()))
        if upcoming:
            continue  # idempotent: this unit already has open demand
        scheduler_id = await session.scalar(select(User.id).where(User.email == scheduler_email))
        principal = await principal_in(session, scheduler_id) if scheduler_id else None
        assert principal is not None, f"demo scheduler {scheduler_email} is seeded first"
        demand = DemandCreate(
            first_date=first, last_date=first + timedelta(days=DAYS_AHEAD - 1),
            weekdays=WEEKDAYS, publish=True,
            blocks=[DemandBlock(start=time(a), end=time(b), headcount=n) for a, b, n in blocks],
            **terms)
        await post_demand(session, principal, unit.id, demand)
    progress(f"  open shifts for the next {DAYS_AHEAD} days posted")


SEEDERS.append(seed_upcoming_shifts)
