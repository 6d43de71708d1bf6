"""My reliability score and the events that made it (rules.reliability_history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Unit
from asta.core.auth import Principal
from asta.marketplace.models import Assignment, AssignmentStatus, Timesheet, TimesheetStatus
from asta.marketplace.rules import ReliabilityEvent, ReliabilityKind, reliability_history
from asta.marketplace.schemas import ReliabilityEventRead, ReliabilityRead
from asta.marketplace.services._common import reliability


async def my_reliability(session: AsyncSession, principal: Principal) -> ReliabilityRead:
    """The counts are the ones `_common.reliability` (what schedulers see) counts."""
    rows = await session.execute(
        select(Assignment.shift_id, Assignment.starts_at, Assignment.status,
               Assignment.late_cancellation, Assignment.cancelled_at, Assignment.decided_at,
               col(Unit.name).label("unit_name"), col(Timesheet.status).label("sheet"),
               Timesheet.approved_at)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.professional_id == principal.user_id))
    found: list[tuple[ReliabilityEvent, ReliabilityEventRead]] = []
    for r in rows:
        moves: list[tuple[ReliabilityKind, datetime]] = []
        if r.sheet == TimesheetStatus.APPROVED.value:
            moves.append(("completed", r.approved_at or r.starts_at))
        if r.late_cancellation:
            moves.append(("late_cancelled", r.cancelled_at or r.starts_at))
        if r.status == AssignmentStatus.NO_SHOW.value:
            moves.append(("no_show", r.decided_at or r.starts_at))
        for kind, at in moves:
            event = ReliabilityEvent(at=at, kind=kind)
            found.append((event, ReliabilityEventRead(
                at=event.at, kind=kind, shift_id=r.shift_id, unit_name=r.unit_name,
                shift_starts_at=r.starts_at, score_after=None)))
    found.sort(key=lambda pair: pair[0].at)
    scores = reliability_history([event for event, _ in found])
    events = [read.model_copy(update={"score_after": score})
              for (_, read), score in zip(found, scores, strict=True)]
    counts = {kind: sum(1 for e, _ in found if e.kind == kind)
              for kind in ("completed", "late_cancelled", "no_show")}
    score = (await reliability(session, [principal.user_id]))[principal.user_id]
    return ReliabilityRead(score=score, completed=counts["completed"],
                           late_cancelled=counts["late_cancelled"], no_show=counts["no_show"],
                           events=events[::-1])
