"""A scheduler's view of one shift: who holds it, who waits, what happened, and the
actions that will succeed now (asta.marketplace.staff_actions decides them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.core.audit import AuditEvent
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import AstaError
from asta.marketplace.models import OPEN_WAITLIST_STATUSES, Shift, WaitlistEntry
from asta.marketplace.schemas import ShiftDetail
from asta.marketplace.services._checks import require_free_position, require_open
from asta.marketplace.services._common import staff_shift
from asta.marketplace.services.board import shift_detail
from asta.marketplace.services.posting import open_claims
from asta.marketplace.staff_actions import allowed_assignment_actions, allowed_shift_actions

TRAIL_LIMIT = 100
TRAIL_ENTITIES = ("shift", "assignment", "waitlist_entry")


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    actor_name: str | None
    entity_type: str
    action: str


@dataclass(frozen=True)
class StandbyEntry:
    professional_name: str
    status: str
    offer_expires_at: datetime | None


@dataclass(frozen=True)
class ShiftWorkbench:
    shift: ShiftDetail
    actions: list[str]
    assignment_actions: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    standby: list[StandbyEntry] = field(default_factory=list)
    trail: list[TrailEntry] = field(default_factory=list)


def _offerable(shift: Shift, now: datetime) -> bool:
    """What offer_directly checks of the shift itself (the person is checked when offered)."""
    try:
        require_open(shift, now)
        require_free_position(shift)
    except AstaError:
        return False
    return True


async def shift_workbench(session: AsyncSession, principal: Principal,
                          shift_id: uuid.UUID) -> ShiftWorkbench:
    """Only for staff of the shift's unit (anyone else: not found)."""
    shift, _unit = await staff_shift(session, principal, shift_id)
    detail = await shift_detail(session, principal, shift_id)
    now = utcnow()
    actions = allowed_shift_actions(detail.status, detail.starts_at, now,
                                    open_claims=await open_claims(session, shift_id))
    if _offerable(shift, now):
        actions.append("offer")
    per_assignment = {a.id: allowed_assignment_actions(a.status, detail.starts_at, now)
                      for a in detail.assignments}
    entries = await session.scalars(select(WaitlistEntry.id).where(
        WaitlistEntry.shift_id == shift_id))
    entities = [str(shift_id), *(str(a.id) for a in detail.assignments),
                *(str(e) for e in entries)]
    rows = await session.execute(
        select(AuditEvent, User.full_name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.entity_id.in_(entities),  # type: ignore[attr-defined]
               AuditEvent.entity_type.in_(TRAIL_ENTITIES))  # type: ignore[attr-defined]
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())  # type: ignore[attr-defined, union-attr]
        .limit(TRAIL_LIMIT))
    trail = [TrailEntry(e.at, name, e.entity_type, e.action) for e, name in rows]
    waiting = await session.execute(
        select(User.full_name, WaitlistEntry.status, WaitlistEntry.offer_expires_at)
        .join(User, User.id == WaitlistEntry.professional_id)
        .where(WaitlistEntry.shift_id == shift_id,
               WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES))  # type: ignore[attr-defined]
        .order_by(WaitlistEntry.created_at))
    standby = [StandbyEntry(*row) for row in waiting]
    return ShiftWorkbench(detail, actions, per_assignment, standby, trail)
