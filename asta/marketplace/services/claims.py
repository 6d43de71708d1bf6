"""Claiming positions: instant booking or request-and-approve; cancelling; no-shows.

Concurrency: a claim checks everything it can without locks, then locks the professional's
profile (so their own concurrent claims see each other's hours) and then the shift row
(so positions are counted by one claim at a time). Every path takes the locks in that
order; a claim takes the shift's row with its first write (take_position) and writes its
audit and notices after it, so a claim that loses the position has written nothing. The
exclusion constraint on assignments is the last line against overlaps.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import ClaimMode, Unit
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import CONSTRAINT_MESSAGES, AstaError, NotFoundError
from asta.core.hot_reads import driver_connection, read_connection
from asta.marketplace.errors import AlreadyDoneError, ShiftNotOpenError
from asta.marketplace.lifecycle import fill_status
from asta.marketplace.models import (
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from asta.marketplace.rules import cancel_counts_as_late
from asta.marketplace.rules.refusals import Refusal, to_json
from asta.marketplace.schemas import AssignmentRead
from asta.marketplace.services import notices
from asta.marketplace.services._checks import (
    require_eligible,
    require_free_position,
    require_no_open_claim,
    require_open,
    require_working_time,
)
from asta.marketplace.services._common import (
    CONFIRMED,
    REQUESTED,
    confirm,
    get_shift,
    lock_person,
    lock_profile,
    reliability,
    shift_with_unit,
    staff_shift,
    standing,
    user_names,
)
from asta.marketplace.services.claim_facts import claim_facts
from asta.marketplace.services.refusal_errors import refused
from asta.marketplace.services.staff_notices import tell_schedulers
from asta.marketplace.services.take_position import take_position
from asta.marketplace.services.waitlist import offer_next
from asta.marketplace.staff_actions import assignment_refusal, refuse

ALL_TAKEN = "All positions are filled"


def assignment_read(a: Assignment, *, name: str | None = None, score: int | None = None,
                    timesheet_status: str | None = None) -> AssignmentRead:
    return AssignmentRead(
        id=a.id, shift_id=a.shift_id, professional_id=a.professional_id, professional_name=name,
        reliability_score=score, unit_id=a.unit_id, starts_at=a.starts_at, ends_at=a.ends_at,
        status=a.status, late_cancellation=a.late_cancellation, cancel_reason=a.cancel_reason,
        created_at=a.created_at, timesheet_status=timesheet_status)


def _record(session: AsyncSession, actor: uuid.UUID, a: Assignment, action: str, unit: Unit,
            before: dict[str, object] | None = None) -> None:
    audit.record(session, actor_id=actor, entity_type="assignment", entity_id=a.id,
                 action=action, before=before, after=audit.snapshot(a),
                 organisation_id=unit.organisation_id)


async def claim(session: AsyncSession, principal: Principal,
                shift_id: uuid.UUID) -> AssignmentRead:
    now = utcnow()
    # The board's decision from one plain read outside the transaction: the losers of a
    # rush (nine in ten: every position taken) leave here, before any lock or write.
    async with read_connection() as reader:
        (await claim_facts(reader, principal.user_id, shift_id, now)).require_claimable()
    await lock_person(session, principal.user_id)
    connection = await driver_connection(await session.connection())
    # Again under the person's lock: their claims of other shifts that committed meanwhile
    # now count for rest and weekly hours.
    facts = await claim_facts(connection, principal.user_id, shift_id, now)
    facts.require_claimable()
    shift, unit = await shift_with_unit(session, shift_id)
    instant = unit.claim_mode != ClaimMode.REQUEST.value
    assignment = Assignment(
        shift_id=shift.id, professional_id=principal.user_id, unit_id=shift.unit_id,
        starts_at=shift.starts_at, ends_at=shift.ends_at,
        status=CONFIRMED if instant else REQUESTED, decided_at=now if instant else None)
    # The position first: a claim that loses it has written nothing, and its rivals wait for
    # the shift's row (no CPU) rather than write audit and e-mails a rollback throws away.
    if not await take_position(session, assignment, instant=instant, now=now):
        # Taken (or closed) since the read: the same decision says so, in its words.
        (await claim_facts(connection, principal.user_id, shift_id, now)).require_claimable()
        raise refused([Refusal("shift_full", {"positions": shift.positions})])
    _record(session, principal.user_id, assignment, "claim" if instant else "request", unit)
    if instant:
        await notices.assigned(session, assignment, shift, unit, reader=facts.reader)
    else:
        await notices.requested(session, assignment, shift, unit, reader=facts.reader)
    await tell_schedulers(session, "shift_claimed" if instant else "request_waiting", shift,
                          unit, principal.user_id, str(assignment.id), name=principal.full_name)
    return assignment_read(assignment)


async def _staff_assignment(session: AsyncSession, principal: Principal,
                            assignment_id: uuid.UUID) -> tuple[Assignment, Shift, Unit]:
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFoundError("No such assignment")
    try:
        shift, unit = await staff_shift(session, principal, assignment.shift_id)
    except NotFoundError as exc:
        raise NotFoundError("No such assignment") from exc
    return assignment, shift, unit


async def _relock(session: AsyncSession, assignment: Assignment) -> tuple[Assignment, Shift]:
    """Lock the shift, then re-read the assignment: another request may have decided it."""
    shift = await get_shift(session, assignment.shift_id, for_update=True)
    await session.refresh(assignment)
    return assignment, shift


async def approve_request(session: AsyncSession, principal: Principal,
                          assignment_id: uuid.UUID) -> AssignmentRead:
    """The scheduler picks a requester; when the shift fills, the rest hear no."""
    assignment, shift, unit = await _staff_assignment(session, principal, assignment_id)
    refuse(assignment_refusal("approve", assignment.status, shift.starts_at, utcnow()))
    profile = await lock_profile(session, assignment.professional_id)
    who = await standing(session, assignment.professional_id, profile)
    await require_working_time(session, shift, unit, who)
    assignment, shift = await _relock(session, assignment)
    refuse(assignment_refusal("approve", assignment.status, shift.starts_at, utcnow()))
    require_open(shift, utcnow())
    require_free_position(shift)
    before = audit.snapshot(assignment)
    assignment.status, assignment.decided_at = CONFIRMED, utcnow()
    assignment.decided_by = principal.user_id
    confirm(shift)
    await session.flush()
    _record(session, principal.user_id, assignment, "approve", unit, before)
    await notices.assigned(session, assignment, shift, unit)
    if shift.status == ShiftStatus.FILLED.value:
        await _decline_the_rest(session, principal, shift, unit)
    return assignment_read(assignment)


async def _decline_the_rest(session: AsyncSession, principal: Principal, shift: Shift,
                            unit: Unit) -> None:
    waiting = await session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id, Assignment.status == REQUESTED))
    for other in waiting:
        before = audit.snapshot(other)
        other.status, other.decided_at = AssignmentStatus.DECLINED.value, utcnow()
        other.decided_by = principal.user_id
        _record(session, principal.user_id, other, "decline", unit, before)
        await notices.request_declined(session, other, shift, unit, ALL_TAKEN)


async def decline_request(session: AsyncSession, principal: Principal,
                          assignment_id: uuid.UUID) -> AssignmentRead:
    assignment, _, unit = await _staff_assignment(session, principal, assignment_id)
    assignment, shift = await _relock(session, assignment)
    refuse(assignment_refusal("decline", assignment.status, shift.starts_at, utcnow()))
    before = audit.snapshot(assignment)
    assignment.status, assignment.decided_at = AssignmentStatus.DECLINED.value, utcnow()
    assignment.decided_by = principal.user_id
    await session.flush()
    _record(session, principal.user_id, assignment, "decline", unit, before)
    await notices.request_declined(session, assignment, shift, unit,
                                   "the scheduler chose another professional")
    return assignment_read(assignment)


async def cancel_assignment(session: AsyncSession, principal: Principal,
                            assignment_id: uuid.UUID, reason: str) -> AssignmentRead:
    """The professional cancels their own (late if inside the unit's notice period), or a
    scheduler cancels theirs (the professional is told why)."""
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFoundError("No such assignment")
    own = assignment.professional_id == principal.user_id
    if own:
        unit = await session.get(Unit, assignment.unit_id)
        assert unit is not None
    else:
        assignment, _, unit = await _staff_assignment(session, principal, assignment_id)
    assignment, shift = await _relock(session, assignment)
    if assignment.status not in (REQUESTED, CONFIRMED):
        raise AlreadyDoneError(f"The assignment is already {assignment.status}",
                               current_status=assignment.status)
    now = utcnow()
    if shift.starts_at <= now:
        raise ShiftNotOpenError("The shift has already started; the scheduler can record a "
                                "no-show instead", current_status=shift.status)
    before = audit.snapshot(assignment)
    before_status = assignment.status
    was_confirmed = before_status == CONFIRMED
    assignment.status = AssignmentStatus.CANCELLED.value
    assignment.cancelled_at, assignment.cancelled_by = now, principal.user_id
    assignment.cancel_reason = reason
    assignment.late_cancellation = own and cancel_counts_as_late(
        before_status, shift.starts_at, unit.cancellation_notice_hours, now)
    if was_confirmed:
        shift.assigned_count -= 1
        shift.sequence += 1
        await offer_next(session, shift, unit, now)
        shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                                   shift.offered_count).value
        shift.updated_at = now
    await session.flush()
    _record(session, principal.user_id, assignment,
            "cancel_late" if assignment.late_cancellation else "cancel", unit, before)
    if not own:
        await notices.shift_cancelled(session, assignment, shift, unit, reason)
    if assignment.late_cancellation:
        await tell_schedulers(session, "late_cancellation", shift, unit,
                              assignment.professional_id, str(assignment.id), why=reason)
    return assignment_read(assignment)


async def mark_no_show(session: AsyncSession, principal: Principal,
                       assignment_id: uuid.UUID) -> AssignmentRead:
    assignment, _, unit = await _staff_assignment(session, principal, assignment_id)
    assignment, shift = await _relock(session, assignment)
    refuse(assignment_refusal("no_show", assignment.status, shift.starts_at, utcnow()))
    before = audit.snapshot(assignment)
    assignment.status = AssignmentStatus.NO_SHOW.value
    assignment.decided_by, assignment.decided_at = principal.user_id, utcnow()
    await session.flush()
    _record(session, principal.user_id, assignment, "no_show", unit, before)
    return assignment_read(assignment)


async def assignments_of_shift(session: AsyncSession, shift_id: uuid.UUID,
                               timesheets: dict[uuid.UUID, str]) -> list[AssignmentRead]:
    rows = list(await session.scalars(select(Assignment).where(Assignment.shift_id == shift_id)
                                      .order_by(Assignment.created_at)))
    people = list({a.professional_id for a in rows})
    names, scores = await user_names(session, people), await reliability(session, people)
    return [assignment_read(a, name=names.get(a.professional_id),
                            score=scores.get(a.professional_id),
                            timesheet_status=timesheets.get(a.id)) for a in rows]


async def assign_professional(session: AsyncSession, principal: Principal, shift_id: uuid.UUID,
                              professional_id: uuid.UUID) -> tuple[str, list[dict[str, Any]]] | None:
    """A scheduler books a professional (e.g. an optimiser's proposal) under the claim rules.

    Runs in a savepoint and returns why it was refused (None when booked): the English
    message and the refusals from the one catalogue ({code, params} for a JSON column), so
    a caller booking many can keep the others and show each refusal in any language.
    """
    try:
        async with session.begin_nested():
            await _assign(session, principal, shift_id, professional_id)
    except AstaError as exc:
        listed = exc.details.get("refusals") or []
        return exc.message, [{"code": r["code"], "params": to_json(r["params"])}
                             for r in listed]
    except IntegrityError as exc:
        name = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
        return CONSTRAINT_MESSAGES.get(name or "",
                                       "The booking conflicts with existing data"), []
    return None


async def _assign(session: AsyncSession, principal: Principal, shift_id: uuid.UUID,
                  professional_id: uuid.UUID) -> None:
    now = utcnow()
    shift, unit = await staff_shift(session, principal, shift_id)
    profile = await lock_profile(session, professional_id)
    who = await standing(session, professional_id, profile)
    require_open(shift, now)
    require_eligible(shift, who, instant=False)  # the scheduler books any onboarding needed
    await require_no_open_claim(session, shift, who)
    await require_working_time(session, shift, unit, who)
    shift = await get_shift(session, shift_id, for_update=True)
    require_open(shift, now)
    require_free_position(shift)
    assignment = Assignment(
        shift_id=shift.id, professional_id=professional_id, unit_id=shift.unit_id,
        starts_at=shift.starts_at, ends_at=shift.ends_at, status=CONFIRMED, decided_at=now,
        decided_by=principal.user_id)
    session.add(assignment)
    confirm(shift)
    await session.flush()
    _record(session, principal.user_id, assignment, "assign", unit)
    await notices.assigned(session, assignment, shift, unit)
