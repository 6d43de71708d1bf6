"""After the shift: the professional reports hours and outcome; the scheduler approves the pay.

Also moves shifts along the lifecycle as time passes (in_progress, completed), both
lazily when a shift is touched and from the periodic job `advance_shift_statuses`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import ConflictError, InvalidInputError, NotFoundError
from asta.core.tenancy import staff_unit_clause, unit_for_staff
from asta.marketplace.errors import AlreadyDoneError
from asta.marketplace.lifecycle import check_transition, status_by_time
from asta.marketplace.models import (
    Assignment,
    Shift,
    ShiftStatus,
    Timesheet,
    TimesheetStatus,
)
from asta.marketplace.schemas import (
    PendingTimesheet,
    TimesheetApproval,
    TimesheetRead,
    TimesheetSubmit,
)
from asta.marketplace.services import notices
from asta.marketplace.services._common import (
    CONFIRMED,
    breakdown_json,
    compute_pay,
    get_shift,
    rate_card,
    staff_shift,
)
from asta.marketplace.services.staff_notices import tell_schedulers
from asta.payments.jobs import queue_transfers_after_commit
from asta.scheduling.worked_contacts import record_worked_contacts

# Reported hours may differ from the plan (overtime, late start), within reason.
MAX_DEVIATION = timedelta(hours=12)


def progress(session: AsyncSession, shift: Shift, now: datetime) -> None:
    """Bring a locked shift's status up to date with the clock."""
    target = status_by_time(shift.status, shift.starts_at, shift.ends_at, now,
                            staffed=shift.assigned_count > 0)
    while target.value != shift.status:
        # One lifecycle step at a time: a shift found already over still passes in_progress.
        step = (ShiftStatus.COMPLETED if shift.status == ShiftStatus.IN_PROGRESS.value
                else ShiftStatus.IN_PROGRESS)
        check_transition(shift.status, step)
        before = audit.snapshot(shift)
        shift.status, shift.updated_at = step.value, now
        audit.record(session, actor_id=None, entity_type="shift", entity_id=shift.id,
                     action=f"advance_{step.value}", before=before, after=audit.snapshot(shift),
                     organisation_id=shift.organisation_id)


async def advance_due(session: AsyncSession, now: datetime, *, limit: int = 500) -> int:
    """For the periodic job: shifts whose time has come, locked without waiting."""
    moving = or_(
        (Shift.status.in_([ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value])  # type: ignore[attr-defined]
         & (Shift.starts_at <= now) & (Shift.assigned_count > 0)),
        (Shift.status == ShiftStatus.IN_PROGRESS.value) & (Shift.ends_at <= now))
    shifts = (await session.scalars(select(Shift).where(moving).order_by(Shift.starts_at)
                                    .limit(limit).with_for_update(skip_locked=True))).all()
    for shift in shifts:
        progress(session, shift, now)
    await session.flush()
    return len(shifts)


def timesheet_read(t: Timesheet) -> TimesheetRead:
    return TimesheetRead.model_validate(t)


def _plausible(shift: Shift, start: datetime, end: datetime, now: datetime) -> None:
    if start < shift.starts_at - MAX_DEVIATION or end > shift.ends_at + MAX_DEVIATION:
        raise InvalidInputError("The reported hours are more than 12 hours off the shift's "
                                "planned times", field="actual_start")
    if end > now + timedelta(minutes=15):
        raise InvalidInputError("Hours cannot be reported for the future", field="actual_end")


async def submit(session: AsyncSession, principal: Principal, assignment_id: uuid.UUID,
                 data: TimesheetSubmit) -> TimesheetRead:
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None or assignment.professional_id != principal.user_id:
        raise NotFoundError("No such assignment")
    shift = await get_shift(session, assignment.shift_id, for_update=True)
    now = utcnow()
    if assignment.status != CONFIRMED:
        raise ConflictError(f"The assignment is {assignment.status}; there is nothing to report",
                            field="assignment_id")
    if shift.starts_at > now:
        raise ConflictError("Report the hours after the shift has started", field="actual_start")
    if await session.get(Timesheet, assignment.id) is not None:
        raise AlreadyDoneError("A timesheet has already been submitted for this shift")
    _plausible(shift, data.actual_start, data.actual_end, now)
    progress(session, shift, now)
    sheet = Timesheet(assignment_id=assignment.id, shift_id=shift.id,
                      professional_id=principal.user_id, **data.model_dump())
    session.add(sheet)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="timesheet",
                 entity_id=assignment.id, action="submit", after=audit.snapshot(sheet),
                 organisation_id=shift.organisation_id)
    unit = await session.get(Unit, shift.unit_id)
    assert unit is not None  # a shift's unit is a foreign key
    await tell_schedulers(session, "timesheet_submitted", shift, unit, principal.user_id,
                          str(assignment.id))
    return timesheet_read(sheet)


async def approve(session: AsyncSession, principal: Principal, assignment_id: uuid.UUID,
                  data: TimesheetApproval) -> TimesheetRead:
    """Approving fixes the pay from the hours actually worked (corrected if need be)."""
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFoundError("No such assignment")
    try:
        shift, unit = await staff_shift(session, principal, assignment.shift_id, for_update=True)
    except NotFoundError as exc:
        raise NotFoundError("No such assignment") from exc
    sheet = await session.get(Timesheet, assignment.id, with_for_update=True,
                              populate_existing=True)
    if sheet is None:
        raise ConflictError("The professional has not submitted a timesheet yet",
                            field="assignment_id")
    if sheet.status == TimesheetStatus.APPROVED.value:
        raise AlreadyDoneError("This timesheet is already approved")
    now = utcnow()
    before = audit.snapshot(sheet)
    if data.corrects and not (data.correction_note or "").strip():
        raise InvalidInputError("Give the reason for the correction: the professional sees it",
                                field="correction_note")
    if data.corrects:
        sheet.actual_start = data.actual_start or sheet.actual_start
        sheet.actual_end = data.actual_end or sheet.actual_end
        if data.break_minutes is not None:
            sheet.break_minutes = data.break_minutes
        _plausible(shift, sheet.actual_start, sheet.actual_end, now)
        sheet.corrected, sheet.correction_note = True, data.correction_note
        await notices.timesheet_corrected(session, assignment, shift, unit,
                                          str(data.correction_note).strip())
    pay = compute_pay(sheet.actual_start, sheet.actual_end, shift.profession,
                      rate_card(unit, shift.base_hourly_cents, shift.profession),
                      sheet.break_minutes)
    sheet.pay_total_cents, sheet.pay_breakdown = pay.total_cents, breakdown_json(pay)
    sheet.status, sheet.approved_at = TimesheetStatus.APPROVED.value, now
    sheet.approved_by = principal.user_id
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="timesheet",
                 entity_id=assignment.id, action="approve", before=before,
                 after=audit.snapshot(sheet), organisation_id=unit.organisation_id)
    if shift.is_remote and sheet.contacts_handled > 0:  # a contact centre's demand
        await record_worked_contacts(session, unit.id, sheet.actual_start, sheet.actual_end)
    await _approve_shift_when_done(session, principal, shift, unit, now)
    queue_transfers_after_commit(session)
    return timesheet_read(sheet)


async def approve_many(session: AsyncSession, principal: Principal,
                       assignment_ids: Sequence[uuid.UUID]) -> list[TimesheetRead]:
    """Approve several as submitted: all of them, or none (the first refusal says why)."""
    if not assignment_ids:
        raise InvalidInputError("Choose the timesheets to approve", field="assignment_ids")
    return [await approve(session, principal, assignment_id, TimesheetApproval())
            for assignment_id in sorted(set(assignment_ids))]  # a fixed lock order


async def _approve_shift_when_done(session: AsyncSession, principal: Principal, shift: Shift,
                                   unit: Unit, now: datetime) -> None:
    progress(session, shift, now)
    if shift.status != ShiftStatus.COMPLETED.value:
        return
    pending = await session.scalar(
        select(func.count()).select_from(Assignment)
        .outerjoin(Timesheet, Timesheet.assignment_id == Assignment.id)
        .where(Assignment.shift_id == shift.id, Assignment.status == CONFIRMED,
               or_(Timesheet.status.is_(None),  # type: ignore[attr-defined]
                   Timesheet.status != TimesheetStatus.APPROVED.value)))
    if pending:
        return
    check_transition(shift.status, ShiftStatus.APPROVED)
    before = audit.snapshot(shift)
    shift.status, shift.updated_at = ShiftStatus.APPROVED.value, now
    audit.record(session, actor_id=principal.user_id, entity_type="shift", entity_id=shift.id,
                 action="approve", before=before, after=audit.snapshot(shift),
                 organisation_id=unit.organisation_id)


async def timesheets_of_shift(session: AsyncSession,
                              shift_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(Timesheet.assignment_id, Timesheet.status).where(
        Timesheet.shift_id == shift_id))
    return {r.assignment_id: r.status for r in rows}


async def get_timesheet(session: AsyncSession, principal: Principal,
                        assignment_id: uuid.UUID) -> TimesheetRead:
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFoundError("No such assignment")
    if assignment.professional_id != principal.user_id:
        try:
            await staff_shift(session, principal, assignment.shift_id)
        except NotFoundError as exc:
            raise NotFoundError("No such assignment") from exc
    sheet = await session.get(Timesheet, assignment.id)
    if sheet is None:
        raise NotFoundError("No timesheet has been submitted for this assignment")
    return timesheet_read(sheet)


async def pending_timesheets(session: AsyncSession, principal: Principal, *,
                             unit_id: uuid.UUID | None, since: datetime,
                             until: datetime | None = None,
                             limit: int = 200) -> list[PendingTimesheet]:
    """Submitted timesheets of the caller's units, oldest shift first, in one query."""
    query = (select(Timesheet, User.full_name, Unit.name, Shift.starts_at, Shift.ends_at)
             .join(Shift, Shift.id == Timesheet.shift_id)
             .join(Unit, Unit.id == Shift.unit_id)
             .join(User, User.id == Timesheet.professional_id)
             .where(Timesheet.status == TimesheetStatus.SUBMITTED.value,
                    Shift.starts_at >= since,
                    staff_unit_clause(principal, Shift.unit_id, Shift.organisation_id))
             .order_by(Shift.starts_at).limit(limit))
    if unit_id is not None:
        await unit_for_staff(session, principal, unit_id)
        query = query.where(Shift.unit_id == unit_id)
    if until is not None:
        query = query.where(Shift.starts_at < until)
    return [PendingTimesheet(assignment_id=sheet.assignment_id, professional_name=name,
                             unit_name=unit_name, shift_starts_at=starts, shift_ends_at=ends,
                             timesheet=timesheet_read(sheet))
            for sheet, name, unit_name, starts, ends in await session.execute(query)]
