"""Schedulers change drafts before anyone sees them, and copy a week's shifts to the next."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.tenancy import unit_for_staff
from asta.marketplace.models import Shift, ShiftStatus
from asta.marketplace.schemas import ShiftCreate, ShiftRead, ShiftTerms, WeekCopyRead
from asta.marketplace.services._common import HELSINKI, local_midnight, shift_read, staff_shift
from asta.marketplace.services.posting import build_shift, store_shifts
from asta.marketplace.staff_actions import refuse, shift_refusal

# What an edit replaces; counts, status and history stay with the shift.
EDITABLE = ("starts_at", "ends_at", "profession", "positions", "required_specialties",
            "required_languages", "language_tokens", "required_competences",
            "onboarding_required", "is_remote", "description", "visibility", "break_minutes",
            "base_hourly_cents", "pay_total_cents", "pay_breakdown")
WEEK = timedelta(days=7)


async def edit_draft(session: AsyncSession, principal: Principal, shift_id: uuid.UUID,
                     data: ShiftCreate) -> ShiftRead:
    """Replaces a draft's times, positions, pay and requirements (checked as when posted)."""
    shift, unit = await staff_shift(session, principal, shift_id, for_update=True)
    now = utcnow()
    refuse(shift_refusal("edit", shift.status, shift.starts_at, now, open_claims=0))
    before = audit.snapshot(shift)
    changed = build_shift(unit, data, data.starts_at, data.ends_at, data.positions,
                          publish=False, author=shift.created_by, field="")
    for name in EDITABLE:
        setattr(shift, name, getattr(changed, name))
    shift.updated_at = now
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="shift", entity_id=shift.id,
                 action="edit", before=before, after=audit.snapshot(shift),
                 organisation_id=unit.organisation_id)
    return shift_read(shift, unit.name, unit.claim_mode)


def terms_of(shift: Shift) -> ShiftTerms:
    """A posted shift's terms, so a copy asks for and pays the same."""
    return ShiftTerms(
        profession=shift.profession, required_specialties=list(shift.required_specialties),
        required_languages=dict(shift.required_languages),
        required_competences=list(shift.required_competences),
        onboarding_required=shift.onboarding_required, is_remote=shift.is_remote,
        description=shift.description, visibility=shift.visibility,
        break_minutes=shift.break_minutes, base_hourly_cents=shift.base_hourly_cents or None)


async def copy_week(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                    any_day: date) -> WeekCopyRead:
    """The unit's shifts of one week (Monday to Sunday, Helsinki) become drafts a week later
    at the same wall-clock times (so across a DST change too); cancelled ones are left out,
    and a shift the next week already has (same times and profession) is not doubled."""
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    start = local_midnight(any_day - timedelta(days=any_day.weekday()))
    cancelled = ShiftStatus.CANCELLED.value
    rows = (await session.scalars(select(Shift).where(
        Shift.unit_id == unit_id, Shift.status != cancelled,
        Shift.starts_at >= start, Shift.starts_at < start + 2 * WEEK)
        .order_by(Shift.starts_at))).all()
    next_week = start + WEEK
    sources = [s for s in rows if s.starts_at < next_week]
    taken = {(s.starts_at, s.ends_at, s.profession) for s in rows if s.starts_at >= next_week}
    now, copies, already, past = utcnow(), [], 0, 0
    for source in sources:
        starts = _week_later(source.starts_at)
        ends = _week_later(source.ends_at)
        if (starts, ends, source.profession) in taken:
            already += 1
        elif starts <= now:
            past += 1
        else:
            copies.append(build_shift(unit, terms_of(source), starts, ends, source.positions,
                                      publish=False, author=principal.user_id, field=""))
            taken.add((starts, ends, source.profession))
    stored = await store_shifts(session, principal, unit, copies)
    return WeekCopyRead(copied=[s.id for s in stored], already_there=already, in_the_past=past)


def _week_later(instant: datetime) -> datetime:
    # Aware arithmetic on a ZoneInfo datetime keeps the wall clock; the offset follows.
    return (instant.astimezone(HELSINKI) + WEEK).astimezone(UTC)
