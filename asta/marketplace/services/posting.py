"""Schedulers post demand: explicit shifts or patterns, then publish, unpublish or cancel."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import InvalidInputError
from asta.core.tenancy import unit_for_staff
from asta.marketplace.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_WAITLIST_STATUSES,
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from asta.marketplace.rules import MAX_PATTERN_DAYS, Block, DemandPattern, expand_demand
from asta.marketplace.schemas import (
    DemandCreate,
    ShiftBatchCreate,
    ShiftRead,
    ShiftTerms,
)
from asta.marketplace.services import notices
from asta.marketplace.services._common import (
    breakdown_json,
    compute_pay,
    language_tokens,
    rate_card,
    rule_guard,
    shift_read,
    staff_shift,
)
from asta.marketplace.staff_actions import refuse, shift_refusal

MAX_SHIFT_HOURS = 24
MAX_SHIFTS_PER_DEMAND = 2000


def build_shift(unit: Unit, terms: ShiftTerms, starts_at: datetime, ends_at: datetime,
                positions: int, *, publish: bool, author: uuid.UUID | None, field: str) -> Shift:
    """A new shift row, its pay from the unit's card; `field` prefixes the names in errors."""
    now = utcnow()
    prefix = f"{field}." if field else ""
    if starts_at <= now:
        raise InvalidInputError("A shift must start in the future", field=f"{prefix}starts_at")
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise InvalidInputError(f"A shift can last at most {MAX_SHIFT_HOURS} hours",
                                field=f"{prefix}ends_at")
    card = rate_card(unit, terms.base_hourly_cents, terms.profession)
    pay = compute_pay(starts_at, ends_at, terms.profession, card, terms.break_minutes)
    return Shift(
        unit_id=unit.id, organisation_id=unit.organisation_id, starts_at=starts_at,
        ends_at=ends_at, profession=terms.profession, positions=positions,
        required_specialties=sorted(set(terms.required_specialties)),
        required_languages=dict(terms.required_languages),
        language_tokens=language_tokens(dict(terms.required_languages)),
        required_competences=sorted(set(terms.required_competences)),
        onboarding_required=terms.onboarding_required,
        is_remote=unit.is_remote if terms.is_remote is None else terms.is_remote,
        description=terms.description,
        visibility=terms.visibility or unit.default_visibility,
        status=ShiftStatus.PUBLISHED.value if publish else ShiftStatus.DRAFT.value,
        published_at=now if publish else None, break_minutes=terms.break_minutes,
        base_hourly_cents=pay.base_hourly_cents, pay_total_cents=pay.total_cents,
        pay_breakdown=breakdown_json(pay), created_by=author)


async def store_shifts(session: AsyncSession, principal: Principal, unit: Unit,
                 shifts: Sequence[Shift]) -> list[ShiftRead]:
    session.add_all(shifts)
    await session.flush()
    for shift in shifts:
        audit.record(session, actor_id=principal.user_id, entity_type="shift",
                     entity_id=shift.id, action="create", after=audit.snapshot(shift),
                     organisation_id=unit.organisation_id)
    return [shift_read(s, unit.name, unit.claim_mode) for s in shifts]


async def create_shifts(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                        data: ShiftBatchCreate) -> list[ShiftRead]:
    unit = await unit_for_staff(session, principal, unit_id)
    shifts = [build_shift(unit, s, s.starts_at, s.ends_at, s.positions, publish=data.publish,
                          author=principal.user_id, field=f"shifts[{i}]")
              for i, s in enumerate(data.shifts)]
    return await store_shifts(session, principal, unit, shifts)


async def post_demand(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                      data: DemandCreate) -> list[ShiftRead]:
    """'3 doctors 8-16, 2 doctors 16-20 on weekdays for 4 weeks' becomes one shift a block."""
    unit = await unit_for_staff(session, principal, unit_id)
    if (data.last_date - data.first_date).days + 1 > MAX_PATTERN_DAYS:
        raise InvalidInputError(f"A pattern can span at most {MAX_PATTERN_DAYS} days",
                                field="last_date")
    with rule_guard():
        pattern = DemandPattern(
            first_date=data.first_date, last_date=data.last_date,
            weekdays={d - 1 for d in data.weekdays},
            blocks=[Block(b.start, b.end, b.headcount) for b in data.blocks],
            exclude_holidays=data.exclude_holidays)
        expanded = expand_demand(pattern)
    now = utcnow()
    upcoming = [e for e in expanded if e.start_utc > now]
    if not upcoming:
        raise InvalidInputError("The pattern produces no shift in the future", field="first_date")
    if len(upcoming) > MAX_SHIFTS_PER_DEMAND:
        raise InvalidInputError(f"The pattern produces {len(upcoming)} shifts; post at most "
                                f"{MAX_SHIFTS_PER_DEMAND} at a time", field="last_date")
    terms = ShiftTerms.model_validate(data.model_dump(include=set(ShiftTerms.model_fields)))
    shifts = [build_shift(unit, terms, e.start_utc, e.end_utc, e.headcount, publish=data.publish,
                          author=principal.user_id, field=f"blocks[{e.block_index}]")
              for e in upcoming]
    return await store_shifts(session, principal, unit, shifts)


async def publish(session: AsyncSession, principal: Principal,
                  shift_ids: Sequence[uuid.UUID]) -> list[ShiftRead]:
    """All or nothing: one shift that cannot be published leaves every shift unchanged."""
    now = utcnow()
    published: list[ShiftRead] = []
    for shift_id in sorted(set(shift_ids)):  # a fixed lock order
        shift, unit = await staff_shift(session, principal, shift_id, for_update=True)
        refuse(shift_refusal("publish", shift.status, shift.starts_at, now, open_claims=0))
        before = audit.snapshot(shift)
        shift.status, shift.published_at, shift.matched_at = ShiftStatus.PUBLISHED.value, now, None
        shift.updated_at = now
        audit.record(session, actor_id=principal.user_id, entity_type="shift",
                     entity_id=shift.id, action="publish", before=before,
                     after=audit.snapshot(shift), organisation_id=unit.organisation_id)
        published.append(shift_read(shift, unit.name, unit.claim_mode))
    await session.flush()
    return published


async def open_claims(session: AsyncSession, shift_id: uuid.UUID) -> int:
    assignments = await session.scalar(select(func.count()).where(
        Assignment.shift_id == shift_id,
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES)))  # type: ignore[attr-defined]
    standby = await session.scalar(select(func.count()).where(
        WaitlistEntry.shift_id == shift_id,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    return (assignments or 0) + (standby or 0)


async def unpublish(session: AsyncSession, principal: Principal,
                    shift_id: uuid.UUID) -> ShiftRead:
    shift, unit = await staff_shift(session, principal, shift_id, for_update=True)
    refuse(shift_refusal("unpublish", shift.status, shift.starts_at, utcnow(),
                         open_claims=await open_claims(session, shift.id)))
    before = audit.snapshot(shift)
    shift.status, shift.published_at, shift.updated_at = ShiftStatus.DRAFT.value, None, utcnow()
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="shift", entity_id=shift.id,
                 action="unpublish", before=before, after=audit.snapshot(shift),
                 organisation_id=unit.organisation_id)
    return shift_read(shift, unit.name, unit.claim_mode)


async def cancel_shift(session: AsyncSession, principal: Principal, shift_id: uuid.UUID,
                       reason: str) -> ShiftRead:
    """Cancels every claim on the shift and tells each professional why."""
    shift, unit = await staff_shift(session, principal, shift_id, for_update=True)
    now = utcnow()
    refuse(shift_refusal("cancel", shift.status, shift.starts_at, now, open_claims=0))
    before = audit.snapshot(shift)
    assignments = (await session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id,
        Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES)))).all()  # type: ignore[attr-defined]
    for assignment in assignments:
        was = audit.snapshot(assignment)
        assignment.status = AssignmentStatus.CANCELLED.value
        assignment.cancelled_at, assignment.cancelled_by = now, principal.user_id
        assignment.cancel_reason = reason
        audit.record(session, actor_id=principal.user_id, entity_type="assignment",
                     entity_id=assignment.id, action="cancel_with_shift", before=was,
                     after=audit.snapshot(assignment), organisation_id=unit.organisation_id)
        await notices.shift_cancelled(session, assignment, shift, unit, reason)
    standbys = await session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.shift_id == shift.id,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    for entry in standbys:
        entry.status, entry.decided_at = WaitlistStatus.EXPIRED.value, now
    shift.status, shift.cancel_reason = ShiftStatus.CANCELLED.value, reason
    shift.assigned_count = shift.offered_count = 0
    shift.sequence += 1
    shift.updated_at = now
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="shift", entity_id=shift.id,
                 action="cancel", before=before, after=audit.snapshot(shift),
                 organisation_id=unit.organisation_id)
    return shift_read(shift, unit.name, unit.claim_mode)

