"""A scheduler offers a shift to a named professional: a time-limited offer that holds a
position, accepted or declined like a standby offer (asta.marketplace.services.waitlist)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import ClaimMode
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import ConflictError
from asta.marketplace.lifecycle import fill_status
from asta.marketplace.models import OPEN_WAITLIST_STATUSES, WaitlistEntry, WaitlistStatus
from asta.marketplace.schemas import WaitlistRead
from asta.marketplace.services import notices
from asta.marketplace.services._checks import (
    require_eligible,
    require_free_position,
    require_no_open_claim,
    require_open,
    require_working_time,
)
from asta.marketplace.services._common import get_shift, lock_profile, staff_shift, standing
from asta.marketplace.services.waitlist import entry_read

DIRECT_OFFER_HOURS = 24  # longer than a standby offer: the person did not ask for it


async def offer_directly(session: AsyncSession, principal: Principal, shift_id: uuid.UUID,
                         professional_id: uuid.UUID) -> WaitlistRead:
    """Checked by the rules the acceptance will apply, so an offer made can be taken."""
    now = utcnow()
    shift, unit = await staff_shift(session, principal, shift_id)
    profile = await lock_profile(session, professional_id)
    who = await standing(session, professional_id, profile)
    require_open(shift, now)
    require_eligible(shift, who, instant=unit.claim_mode != ClaimMode.REQUEST.value)
    await require_no_open_claim(session, shift, who)
    await require_working_time(session, shift, unit, who)
    shift = await get_shift(session, shift_id, for_update=True)
    require_open(shift, now)
    require_free_position(shift)
    entry = await session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.shift_id == shift.id, WaitlistEntry.professional_id == professional_id,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    if entry is not None and entry.status == WaitlistStatus.OFFERED.value:
        raise ConflictError("This professional already has an open offer for the shift",
                            field="professional_id")
    before = audit.snapshot(entry)
    if entry is None:  # standing by already: the offer jumps the queue for them
        entry = WaitlistEntry(shift_id=shift.id, professional_id=professional_id)
        session.add(entry)
    entry.status, entry.offered_at = WaitlistStatus.OFFERED.value, now
    entry.offer_expires_at = min(now + timedelta(hours=DIRECT_OFFER_HOURS), shift.starts_at)
    shift.offered_count += 1
    shift.status = fill_status(shift.status, shift.positions, shift.assigned_count,
                               shift.offered_count).value
    shift.updated_at = now
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="waitlist_entry",
                 entity_id=entry.id, action="offer_direct", before=before,
                 after=audit.snapshot(entry), organisation_id=unit.organisation_id)
    await notices.offered_directly(session, entry, shift, unit)
    return await entry_read(session, entry)
