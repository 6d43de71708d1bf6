"""A claim's first write: take a position and write the assignment in one round trip.

The shift's row is locked by this statement and released at the claim's commit. Losers of
the last position get no row back, having written nothing, and leave after one more read;
rivals wait for the row without using the CPU (benchmarks/README_claims.md weighs this
against writing first and taking last).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CTE, Insert, bindparam, case, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.marketplace.models import Assignment, Shift, ShiftStatus

# The statuses in which a position can be taken (require_open refuses the others; a draft
# is not visible), and what `lifecycle.fill_status` makes of them as positions fill.
_TAKEABLE = (ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value)


_TABLE = Assignment.__table__  # type: ignore[attr-defined]
_COLUMNS = [c.name for c in _TABLE.columns]


def _statement(*, instant: bool) -> Insert:
    """Built once: each claim binds values (no statement built or cache key traversed)."""
    where = [col(Shift.id) == bindparam("shift_id"),
             col(Shift.status).in_(_TAKEABLE), col(Shift.starts_at) > bindparam("now"),  # require_open
             col(Shift.assigned_count) + col(Shift.offered_count) < col(Shift.positions)]
    taken: CTE
    if instant:
        taken = (update(Shift).where(*where)
                 .values(assigned_count=Shift.assigned_count + 1, updated_at=bindparam("now"),
                         # lifecycle.fill_status, in the statement that counts
                         status=case((Shift.assigned_count + 1 + Shift.offered_count
                                      >= Shift.positions, ShiftStatus.FILLED.value),
                                     else_=ShiftStatus.PUBLISHED.value))
                 .returning(col(Shift.id)).cte("taken"))
    else:
        taken = select(col(Shift.id)).where(*where).with_for_update().cte("taken")
    values = select(*[bindparam(f"a_{name}", type_=_TABLE.c[name].type) for name in _COLUMNS])
    return insert(_TABLE).from_select(_COLUMNS, values.select_from(taken)).returning(_TABLE.c.id)


_INSTANT, _REQUEST = _statement(instant=True), _statement(instant=False)


async def take_position(session: AsyncSession, assignment: Assignment, *, instant: bool,
                        now: datetime) -> bool:
    """Insert `assignment` if its shift still has a free position; count it when `instant`
    (a request waits for the scheduler and counts nothing yet). False: no position."""
    params = {f"a_{name}": getattr(assignment, name) for name in _COLUMNS}
    connection = await session.connection()
    result = await connection.execute(_INSTANT if instant else _REQUEST,
                                      {**params, "shift_id": assignment.shift_id, "now": now})
    return result.first() is not None
