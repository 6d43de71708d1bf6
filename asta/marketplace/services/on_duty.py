"""Who is on shift at a unit now, and who comes next."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.tenancy import unit_for_staff_or_worker
from asta.marketplace.models import Assignment, Shift
from asta.marketplace.schemas import OnDutyEntry, OnDutyRead
from asta.marketplace.services._common import CONFIRMED

NEXT_WINDOW = timedelta(hours=24)
MAX_LISTED = 100


async def on_duty(session: AsyncSession, principal: Principal, unit_id: uuid.UUID) -> OnDutyRead:
    works_there = await session.scalar(select(Assignment.id).where(
        Assignment.unit_id == unit_id, Assignment.professional_id == principal.user_id,
        Assignment.status == CONFIRMED).limit(1)) is not None
    unit = await unit_for_staff_or_worker(session, principal, unit_id, works_there=works_there)
    now = utcnow()
    rows = await session.execute(
        select(Assignment, Shift.profession, Shift.is_remote, User.full_name)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(User, User.id == Assignment.professional_id)
        .where(Assignment.unit_id == unit.id, Assignment.status == CONFIRMED,
               Assignment.ends_at > now, Assignment.starts_at < now + NEXT_WINDOW)
        .order_by(Assignment.starts_at, User.full_name).limit(MAX_LISTED))
    current: list[OnDutyEntry] = []
    upcoming: list[OnDutyEntry] = []
    for a, profession, is_remote, name in rows:
        entry = OnDutyEntry(assignment_id=a.id, shift_id=a.shift_id,
                            professional_id=a.professional_id, professional_name=name,
                            profession=profession, starts_at=a.starts_at, ends_at=a.ends_at,
                            is_remote=is_remote)
        (current if a.starts_at <= now else upcoming).append(entry)
    return OnDutyRead(unit_id=unit.id, unit_name=unit.name, at=now, now=current, next=upcoming)
