"""Periodic marketplace jobs; each is idempotent, so a repeat or an overlap does no harm."""

from __future__ import annotations

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every
from asta.marketplace.services.matching import match_shift, remind_upcoming, shifts_to_match
from asta.marketplace.services.timesheets import advance_due
from asta.marketplace.services.waitlist import expire_offers


@every(30)
@actor(max_retries=3)
async def notify_matching_professionals() -> None:
    """E-mail professionals about newly published shifts that suit them (once per shift),
    one short transaction per shift."""
    async with unit_of_work() as session:
        shift_ids = await shifts_to_match(session)
    for shift_id in shift_ids:
        async with unit_of_work() as session:
            await match_shift(session, shift_id, utcnow())


@every(300)
@actor(max_retries=3)
async def send_shift_reminders() -> None:
    """Remind each booked professional once, within 24 hours of the start."""
    async with unit_of_work() as session:
        await remind_upcoming(session, utcnow())


@every(60)
@actor(max_retries=3)
async def expire_standby_offers() -> None:
    """Withdraw unanswered standby offers and offer the position to the next in line."""
    async with unit_of_work() as session:
        await expire_offers(session, utcnow())


@every(60)
@actor(max_retries=3)
async def advance_shift_statuses() -> None:
    """Staffed shifts become in_progress at their start and completed at their end."""
    async with unit_of_work() as session:
        await advance_due(session, utcnow())
