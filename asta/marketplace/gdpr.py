"""A professional's marketplace data in their GDPR export, and what erasure removes.

Worked hours, pay and outcomes stay (accounting and the plan's statistics need them);
free text the person wrote is erased, and future bookings are released.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core import audit
from asta.core.clock import utcnow
from asta.marketplace.lifecycle import fill_status
from asta.marketplace.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_WAITLIST_STATUSES,
    Assignment,
    AssignmentStatus,
    Shift,
    Timesheet,
    UnitProfessionalMark,
    WaitlistEntry,
    WaitlistStatus,
)


def _exporter(model: Any) -> Any:
    column = model.professional_id

    async def export(session: AsyncSession, user_id: uuid.UUID) -> Any:
        rows = await session.scalars(select(model).where(column == user_id))
        return [audit.snapshot(r) or {} for r in rows]

    return export


EXPORTERS = {
    "shift_assignments": _exporter(Assignment),
    "standby_entries": _exporter(WaitlistEntry),
    "timesheets": _exporter(Timesheet),
    "unit_marks": _exporter(UnitProfessionalMark),  # favourite or blocked, with the reason
}


async def erase_marketplace_data(session: AsyncSession, user_id: uuid.UUID) -> None:
    now = utcnow()
    await session.execute(update(Timesheet).where(col(Timesheet.professional_id) == user_id)
                          .values(notes="(erased)"))
    await session.execute(delete(UnitProfessionalMark).where(
        col(UnitProfessionalMark.professional_id) == user_id))
    future = (await session.scalars(select(Assignment).where(
        col(Assignment.professional_id) == user_id, col(Assignment.starts_at) > now,
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES))  # type: ignore[attr-defined]
        .order_by(col(Assignment.shift_id)))).all()
    for assignment in future:
        shift = await session.get(Shift, assignment.shift_id, with_for_update=True)
        if shift is not None and assignment.status == AssignmentStatus.CONFIRMED.value:
            shift.assigned_count -= 1
            shift.sequence += 1
            shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                                       shift.offered_count).value
        assignment.status = AssignmentStatus.CANCELLED.value
        assignment.cancelled_at, assignment.cancel_reason = now, "account erased"
    entries = await session.scalars(select(WaitlistEntry).where(
        col(WaitlistEntry.professional_id) == user_id,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    for entry in entries:
        if entry.status == WaitlistStatus.OFFERED.value:
            shift = await session.get(Shift, entry.shift_id, with_for_update=True)
            if shift is not None:
                shift.offered_count -= 1
                shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                                           shift.offered_count).value
        entry.status, entry.decided_at = WaitlistStatus.LEFT.value, now
    await session.execute(update(Assignment).where(col(Assignment.professional_id) == user_id)
                          .values(cancel_reason=None))
