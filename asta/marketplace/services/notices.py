"""The e-mails the marketplace sends, queued in the caller's transaction (outbox).

Every notice has a dedup key, so a repeated job or request never sends it twice.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit
from asta.core.config import get_settings
from asta.marketplace.calendar_feed import format_eur
from asta.marketplace.models import Assignment, Shift, WaitlistEntry
from asta.marketplace.rules._time import format_span, zone
from asta.notifications.services import notify

_TZ = zone("Europe/Helsinki")


def _when(shift: Shift) -> str:
    return format_span(shift.starts_at, shift.ends_at, _TZ)


def _link(shift: Shift) -> str:
    return f"{get_settings().public_base_url}/shifts/{shift.id}"


def _what(shift: Shift, unit: Unit) -> str:
    place = "remote" if shift.is_remote else "on site"
    return (f"{shift.profession} shift at {unit.name} ({place}), {_when(shift)}, "
            f"pay {format_eur(shift.pay_total_cents)}")


async def assigned(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit) -> None:
    await notify(session, user_id=assignment.professional_id, kind="shift_assigned",
                 subject=f"Booked: {unit.name} {_when(shift)}",
                 body=f"You are booked for the {_what(shift, unit)}.\n\n{_link(shift)}",
                 dedup_key=f"assigned:{assignment.id}")


async def requested(session: AsyncSession, assignment: Assignment, shift: Shift,
                    unit: Unit) -> None:
    await notify(session, user_id=assignment.professional_id, kind="shift_requested",
                 subject=f"Request sent: {unit.name} {_when(shift)}",
                 body=(f"Your request for the {_what(shift, unit)} was sent to the unit. "
                       f"You will hear when the scheduler decides.\n\n{_link(shift)}"),
                 dedup_key=f"requested:{assignment.id}")


async def request_declined(session: AsyncSession, assignment: Assignment, shift: Shift,
                           unit: Unit, why: str) -> None:
    await notify(session, user_id=assignment.professional_id, kind="shift_request_declined",
                 subject=f"Not this time: {unit.name} {_when(shift)}",
                 body=f"Your request for the {_what(shift, unit)} was not accepted: {why}",
                 dedup_key=f"declined:{assignment.id}")


async def shift_cancelled(session: AsyncSession, assignment: Assignment, shift: Shift,
                          unit: Unit, reason: str) -> None:
    await notify(session, user_id=assignment.professional_id, kind="shift_cancelled",
                 subject=f"Cancelled: {unit.name} {_when(shift)}",
                 body=(f"The unit cancelled your {_what(shift, unit)}.\n\nReason: {reason}"),
                 dedup_key=f"cancelled:{assignment.id}")


async def offered(session: AsyncSession, entry: WaitlistEntry, shift: Shift,
                  unit: Unit) -> None:
    expires = entry.offer_expires_at.astimezone(_TZ).strftime("%Y-%m-%d %H:%M") \
        if entry.offer_expires_at else "soon"
    await notify(session, user_id=entry.professional_id, kind="standby_offer",
                 subject=f"A position opened: {unit.name} {_when(shift)}",
                 body=(f"A position opened in the {_what(shift, unit)}. It is yours if you "
                       f"accept by {expires} (Helsinki time).\n\n{_link(shift)}"),
                 dedup_key=f"offer:{entry.id}:{entry.offered_at}")


async def reminder(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit) -> None:
    await notify(session, user_id=assignment.professional_id, kind="shift_reminder",
                 subject=f"Tomorrow: {unit.name} {_when(shift)}",
                 body=f"A reminder of your {_what(shift, unit)}.\n\n{_link(shift)}",
                 dedup_key=f"reminder:{assignment.id}")


async def new_shift(session: AsyncSession, user_id: uuid.UUID, shift: Shift, unit: Unit,
                    *, onboarding_needed: bool) -> None:
    extra = ("\n\nThe unit requires onboarding before your first shift; you can apply and "
             "the unit books it.") if onboarding_needed else ""
    await notify(session, user_id=user_id,
                 kind="shift_match", subject=f"New shift for you: {unit.name} {_when(shift)}",
                 body=f"A {_what(shift, unit)} matches your preferences.{extra}\n\n{_link(shift)}",
                 dedup_key=f"match:{shift.id}:{user_id}")
