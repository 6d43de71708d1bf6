"""A claim's last statement: take a position and write the assignment in one round trip.

The shift's row is locked by this statement and released at the commit that follows it, so
rival claimers of the shift never wait for a holder's other round trips (the audit and the
notices are written before it). Losers of the last position get no row back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from asta.marketplace.models import Assignment, Shift, ShiftStatus

# The statuses in which a position can be taken (require_open refuses the others; a draft
# is not visible), and what `lifecycle.fill_status` makes of them as positions fill.
_TAKEABLE = (ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value)


def _still_free(now: datetime) -> list[ColumnElement[bool]]:
    return [col(Shift.status).in_(_TAKEABLE), col(Shift.starts_at) > now,  # require_open
            col(Shift.assigned_count) + col(Shift.offered_count) < col(Shift.positions)]


async def take_position(session: AsyncSession, assignment: Assignment, *, instant: bool,
                        now: datetime) -> bool:
    """Insert `assignment` if its shift still has a free position; count it when `instant`
    (a request waits for the scheduler and counts nothing yet). False: no position."""
    where = [col(Shift.id) == assignment.shift_id, *_still_free(now)]
    if instant:
        taken = (update(Shift).where(*where)
                 .values(assigned_count=Shift.assigned_count + 1, updated_at=now,
                         # lifecycle.fill_status, in the statement that counts
                         status=case((Shift.assigned_count + 1 + Shift.offered_count
                                      >= Shift.positions, ShiftStatus.FILLED.value),
                                     else_=ShiftStatus.PUBLISHED.value))
                 .returning(col(Shift.id)).cte("taken"))
    else:
        taken = select(col(Shift.id)).where(*where).with_for_update().cte("taken")
    table = Assignment.__table__  # type: ignore[attr-defined]
    values = {c.name: getattr(assignment, c.name) for c in table.columns}
    statement = insert(table).from_select(
        list(values), select(*[literal(v, type_=table.c[k].type) for k, v in values.items()])
        .select_from(taken)).returning(table.c.id)
    connection = await session.connection()
    return (await connection.execute(statement)).first() is not None
