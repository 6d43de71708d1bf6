"""The contacts professionals handled on a unit's worked remote shifts, as contact history.

Recorded when a timesheet is approved, recomputed for the intervals it touches from every
approved timesheet there, so approving in any order gives the same rows. An imported row
for the same interval wins: the telephony system counts every contact, timesheets only the
handled ones, spread evenly over each shift.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.marketplace.models import Shift, Timesheet, TimesheetStatus
from asta.scheduling.models import ContactHistory
from asta.scheduling.worked_spread import WorkedShift, interval_floor, spread

FROM_SHIFTS = "shifts"
FROM_IMPORT = "import"
DEFAULT_INTERVAL_MINUTES = 30


async def _interval_minutes(session: AsyncSession, unit_id: uuid.UUID) -> int:
    """The imported history's interval length, else the one already used, else 30 min."""
    for source in (FROM_IMPORT, FROM_SHIFTS):
        found = await session.scalar(sa.select(col(ContactHistory.interval_minutes)).where(
            col(ContactHistory.unit_id) == unit_id,
            col(ContactHistory.source) == source).limit(1))
        if found is not None:
            return int(found)
    return DEFAULT_INTERVAL_MINUTES


async def record_worked_contacts(session: AsyncSession, unit_id: uuid.UUID, start: datetime,
                                 end: datetime) -> int:
    """Recompute the unit's intervals from `start` to `end`; returns the intervals written."""
    minutes = await _interval_minutes(session, unit_id)
    first = interval_floor(start, minutes)
    last = interval_floor(end - timedelta(microseconds=1), minutes) + timedelta(minutes=minutes)
    sheets = await session.execute(
        sa.select(col(Timesheet.actual_start), col(Timesheet.actual_end),
                  col(Timesheet.contacts_handled))
        .join(Shift, col(Shift.id) == Timesheet.shift_id)
        .where(col(Shift.unit_id) == unit_id, col(Shift.is_remote).is_(True),
               col(Timesheet.status) == TimesheetStatus.APPROVED.value,
               col(Timesheet.contacts_handled) > 0,
               col(Timesheet.actual_end) > first, col(Timesheet.actual_start) < last))
    counts = {at: n for at, n in spread(
        (WorkedShift(s, e, n) for s, e, n in sheets.all()), minutes).items()
        if first <= at < last}
    await session.execute(sa.delete(ContactHistory).where(
        col(ContactHistory.unit_id) == unit_id, col(ContactHistory.source) == FROM_SHIFTS,
        col(ContactHistory.starts_at) >= first, col(ContactHistory.starts_at) < last))
    if counts:
        await session.execute(insert(ContactHistory).values([
            {"unit_id": unit_id, "starts_at": at, "interval_minutes": minutes, "contacts": n,
             "handled": n, "source": FROM_SHIFTS} for at, n in sorted(counts.items())])
            .on_conflict_do_nothing(index_elements=["unit_id", "starts_at"]))
    return len(counts)


async def rebuild_worked_contacts(session: AsyncSession, unit_id: uuid.UUID) -> None:
    """All of the unit's rows from shifts again, e.g. after an import in another interval
    length (one unit's history has one interval length)."""
    await session.execute(sa.delete(ContactHistory).where(
        col(ContactHistory.unit_id) == unit_id, col(ContactHistory.source) == FROM_SHIFTS))
    span = (await session.execute(
        sa.select(sa.func.min(Timesheet.actual_start), sa.func.max(Timesheet.actual_end))
        .join(Shift, col(Shift.id) == Timesheet.shift_id)
        .where(col(Shift.unit_id) == unit_id, col(Shift.is_remote).is_(True),
               col(Timesheet.status) == TimesheetStatus.APPROVED.value,
               col(Timesheet.contacts_handled) > 0))).one()
    if span[0] is not None:
        await record_worked_contacts(session, unit_id, span[0], span[1])
