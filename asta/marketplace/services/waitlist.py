"""Standby lists: join a full shift, get a time-limited offer when a position frees up.

An open offer holds its position (`shifts.offered_count`), so nobody else can claim it
while the standby decides. Offers expire after OFFER_HOURS (or at the shift's start);
the periodic job `expire_standby_offers` then offers the next in line.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import ClaimMode, Unit
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import AstaError, NotFoundError
from asta.marketplace.errors import OfferNotOpenError
from asta.marketplace.lifecycle import fill_status
from asta.marketplace.models import (
    OPEN_WAITLIST_STATUSES,
    Assignment,
    Shift,
    ShiftStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from asta.marketplace.rules.shift_action import ShiftAction
from asta.marketplace.schemas import WaitlistRead
from asta.marketplace.services import notices
from asta.marketplace.services._checks import (
    require_eligible,
    require_visible,
    require_working_time,
)
from asta.marketplace.services._common import (
    CONFIRMED,
    confirm,
    get_shift,
    lock_profile,
    shift_read,
    standing,
)
from asta.marketplace.services.shift_action import UnitLimits, decide, require
from asta.marketplace.services.staff_notices import tell_schedulers

OFFER_HOURS = 2
WAITING, OFFERED = WaitlistStatus.WAITING.value, WaitlistStatus.OFFERED.value


async def _position(session: AsyncSession, entry: WaitlistEntry) -> int | None:
    if entry.status != WAITING:
        return None
    ahead = await session.scalar(select(func.count()).where(
        WaitlistEntry.shift_id == entry.shift_id, WaitlistEntry.status == WAITING,
        WaitlistEntry.created_at < entry.created_at))
    return (ahead or 0) + 1


async def entry_read(session: AsyncSession, entry: WaitlistEntry) -> WaitlistRead:
    return WaitlistRead(id=entry.id, shift_id=entry.shift_id,
                        professional_id=entry.professional_id, status=entry.status,
                        position=await _position(session, entry), offered_at=entry.offered_at,
                        offer_expires_at=entry.offer_expires_at, created_at=entry.created_at)


def _record(session: AsyncSession, actor: uuid.UUID | None, entry: WaitlistEntry, action: str,
            unit: Unit, before: dict[str, object] | None = None) -> None:
    audit.record(session, actor_id=actor, entity_type="waitlist_entry", entity_id=entry.id,
                 action=action, before=before, after=audit.snapshot(entry),
                 organisation_id=unit.organisation_id)


async def join(session: AsyncSession, principal: Principal, shift_id: uuid.UUID) -> WaitlistRead:
    now = utcnow()
    shift = await get_shift(session, shift_id)
    unit = await session.get(Unit, shift.unit_id)
    assert unit is not None
    profile = await lock_profile(session, principal.user_id)
    who = await standing(session, principal.user_id, profile)
    require_visible(shift, who)
    shift = await get_shift(session, shift_id, for_update=True)
    # The same decision as the board's "Stand by" button, now under the shift's lock.
    require(await decide(session, who, shift, _limits(unit), now), shift, ShiftAction.STANDBY)
    entry = WaitlistEntry(shift_id=shift.id, professional_id=principal.user_id)
    session.add(entry)
    await session.flush()
    _record(session, principal.user_id, entry, "join", unit)
    return await entry_read(session, entry)


def _limits(unit: Unit) -> UnitLimits:
    return UnitLimits(unit.claim_mode, unit.min_rest_hours, unit.weekly_max_hours)


async def offer_next(session: AsyncSession, shift: Shift, unit: Unit, now: datetime) -> None:
    """Offer free positions to standbys in order; the caller holds the shift's lock.

    Standbys who can no longer take the shift (hours, credentials) are skipped, not
    removed: they may fit again after their own plans change.
    """
    if shift.status not in (ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value) \
            or shift.starts_at <= now:
        return
    free = shift.positions - shift.assigned_count - shift.offered_count
    if free <= 0:
        return
    queue = await session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.shift_id == shift.id, WaitlistEntry.status == WAITING)
        .order_by(WaitlistEntry.created_at))
    for entry in list(queue):
        if free <= 0:
            break
        who = await standing(session, entry.professional_id)
        try:
            require_eligible(shift, who, instant=unit.claim_mode != ClaimMode.REQUEST.value)
            await require_working_time(session, shift, unit, who)
        except AstaError:
            continue
        before = audit.snapshot(entry)
        entry.status, entry.offered_at = OFFERED, now
        entry.offer_expires_at = min(now + timedelta(hours=OFFER_HOURS), shift.starts_at)
        shift.offered_count += 1
        free -= 1
        _record(session, None, entry, "offer", unit, before)
        await notices.offered(session, entry, shift, unit)


async def _own_entry(session: AsyncSession, principal: Principal,
                     entry_id: uuid.UUID) -> WaitlistEntry:
    entry = await session.get(WaitlistEntry, entry_id)
    if entry is None or entry.professional_id != principal.user_id:
        raise NotFoundError("No such standby entry")
    return entry


async def _release_offer(session: AsyncSession, entry: WaitlistEntry, shift: Shift, unit: Unit,
                         status: WaitlistStatus, now: datetime) -> None:
    """End an offer (declined, expired, left) and pass the position on."""
    entry.status, entry.decided_at = status.value, now
    shift.offered_count -= 1
    await offer_next(session, shift, unit, now)
    shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                               shift.offered_count).value
    shift.updated_at = now


async def accept(session: AsyncSession, principal: Principal,
                 entry_id: uuid.UUID) -> WaitlistRead:
    entry = await _own_entry(session, principal, entry_id)
    shift = await get_shift(session, entry.shift_id)
    unit = await session.get(Unit, shift.unit_id)
    assert unit is not None
    now = utcnow()
    if entry.status != OFFERED or (entry.offer_expires_at and entry.offer_expires_at <= now):
        raise OfferNotOpenError("There is no open offer to accept: it expired or was already "
                                "answered", current_status=entry.status)
    profile = await lock_profile(session, principal.user_id)
    who = await standing(session, principal.user_id, profile)
    shift = await get_shift(session, entry.shift_id, for_update=True)
    await session.refresh(entry)
    if entry.status != OFFERED:
        raise OfferNotOpenError("There is no open offer to accept: it expired or was already "
                                "answered", current_status=entry.status)
    require(await decide(session, who, shift, _limits(unit), now), shift,
            ShiftAction.ACCEPT_OFFER)
    before = audit.snapshot(entry)
    entry.status, entry.decided_at = WaitlistStatus.ACCEPTED.value, now
    shift.offered_count -= 1
    assignment = Assignment(shift_id=shift.id, professional_id=principal.user_id,
                            unit_id=shift.unit_id, starts_at=shift.starts_at,
                            ends_at=shift.ends_at, status=CONFIRMED, decided_at=now)
    session.add(assignment)
    confirm(shift)
    await session.flush()
    _record(session, principal.user_id, entry, "accept", unit, before)
    audit.record(session, actor_id=principal.user_id, entity_type="assignment",
                 entity_id=assignment.id, action="claim_from_standby",
                 after=audit.snapshot(assignment), organisation_id=unit.organisation_id)
    await notices.assigned(session, assignment, shift, unit)
    await tell_schedulers(session, "shift_claimed", shift, unit, principal.user_id,
                          str(assignment.id))
    return await entry_read(session, entry)


async def decline_or_leave(session: AsyncSession, principal: Principal, entry_id: uuid.UUID,
                           *, leave: bool) -> WaitlistRead:
    entry = await _own_entry(session, principal, entry_id)
    shift = await get_shift(session, entry.shift_id, for_update=True)
    await session.refresh(entry)
    allowed = OPEN_WAITLIST_STATUSES if leave else (OFFERED,)
    if entry.status not in allowed:
        raise OfferNotOpenError(f"The standby entry is {entry.status}", current_status=entry.status)
    unit = await session.get(Unit, shift.unit_id)
    assert unit is not None
    before, now = audit.snapshot(entry), utcnow()
    status = WaitlistStatus.LEFT if leave else WaitlistStatus.DECLINED
    if entry.status == OFFERED:
        await _release_offer(session, entry, shift, unit, status, now)
    else:
        entry.status, entry.decided_at = status.value, now
    await session.flush()
    _record(session, principal.user_id, entry, status.value, unit, before)
    return await entry_read(session, entry)


async def expire_offers(session: AsyncSession, now: datetime, *, limit: int = 200) -> int:
    """Expire offers past their deadline and offer the next standby; for the periodic job."""
    due = (await session.execute(select(WaitlistEntry.id, WaitlistEntry.shift_id).where(
        WaitlistEntry.status == OFFERED, WaitlistEntry.offer_expires_at <= now)  # type: ignore[operator]
        .order_by(WaitlistEntry.shift_id).limit(limit))).all()
    expired = 0
    for entry_id, shift_id in due:
        shift = await get_shift(session, shift_id, for_update=True)
        entry = await session.get(WaitlistEntry, entry_id, populate_existing=True)
        if entry is None or entry.status != OFFERED:
            continue
        unit = await session.get(Unit, shift.unit_id)
        assert unit is not None
        before = audit.snapshot(entry)
        await _release_offer(session, entry, shift, unit, WaitlistStatus.EXPIRED, now)
        _record(session, None, entry, "expire", unit, before)
        expired += 1
    await session.flush()
    return expired


async def my_entries(session: AsyncSession, principal: Principal) -> list[WaitlistRead]:
    """Open standby entries with their shifts, so an offer names the shift it is for."""
    rows = await session.execute(
        select(WaitlistEntry, Shift, Unit.name, Unit.claim_mode)
        .join(Shift, Shift.id == WaitlistEntry.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .where(WaitlistEntry.professional_id == principal.user_id,
               WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES))  # type: ignore[attr-defined]
        .order_by(WaitlistEntry.created_at))
    return [(await entry_read(session, e)).model_copy(update={
        "shift": shift_read(s, name, mode)}) for e, s, name, mode in rows]
