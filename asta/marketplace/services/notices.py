"""The e-mails the marketplace sends, queued in the caller's transaction (outbox).

Each is written in the recipient's language (asta.web.emails). Every notice has a dedup key,
so a repeated job or request never sends it twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.marketplace.models import Assignment, Shift, WaitlistEntry
from asta.notifications.services import notify, notify_batched

if TYPE_CHECKING:
    from asta.web.emails import ShiftFacts


async def _locale(session: AsyncSession, user_id: uuid.UUID) -> str:
    return await session.scalar(select(User.locale).where(User.id == user_id)) or "fi"


def _facts(shift: Shift, unit: Unit) -> ShiftFacts:
    from asta.web.emails import ShiftFacts

    return ShiftFacts(shift_id=str(shift.id), unit_name=unit.name, profession=shift.profession,
                      starts_at=shift.starts_at, ends_at=shift.ends_at,
                      is_remote=shift.is_remote, pay_total_cents=shift.pay_total_cents)


async def _send(session: AsyncSession, user_id: uuid.UUID, kind: str, shift: Shift, unit: Unit,
                dedup_key: str, *, why: str = "", deadline: datetime | None = None,
                onboarding_needed: bool = False) -> None:
    # Imported here: the pages import the marketplace, so a module-level import would cycle.
    from asta.web.emails import render

    email = render(await _locale(session, user_id), kind, _facts(shift, unit), why=why,
                   deadline=deadline, onboarding_needed=onboarding_needed)
    await notify(session, user_id=user_id, kind=kind, subject=email.subject, body=email.text,
                 dedup_key=dedup_key)


async def assigned(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit) -> None:
    await _send(session, assignment.professional_id, "shift_assigned", shift, unit,
                f"assigned:{assignment.id}")


async def requested(session: AsyncSession, assignment: Assignment, shift: Shift,
                    unit: Unit) -> None:
    await _send(session, assignment.professional_id, "shift_requested", shift, unit,
                f"requested:{assignment.id}")


async def request_declined(session: AsyncSession, assignment: Assignment, shift: Shift,
                           unit: Unit, why: str) -> None:
    await _send(session, assignment.professional_id, "shift_request_declined", shift, unit,
                f"declined:{assignment.id}", why=why)


async def shift_cancelled(session: AsyncSession, assignment: Assignment, shift: Shift,
                          unit: Unit, reason: str) -> None:
    await _send(session, assignment.professional_id, "shift_cancelled", shift, unit,
                f"cancelled:{assignment.id}", why=reason)


async def offered(session: AsyncSession, entry: WaitlistEntry, shift: Shift,
                  unit: Unit) -> None:
    await _send(session, entry.professional_id, "standby_offer", shift, unit,
                f"offer:{entry.id}:{entry.offered_at}", deadline=entry.offer_expires_at)


async def reminder(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit) -> None:
    await _send(session, assignment.professional_id, "shift_reminder", shift, unit,
                f"reminder:{assignment.id}")


async def new_shift(session: AsyncSession, user_id: uuid.UUID, shift: Shift, unit: Unit,
                    *, onboarding_needed: bool) -> None:
    """Batched: at most one "new shifts" e-mail an hour; later shifts join the waiting one."""
    from asta.web.emails import MERGED_SUBJECT, render, shift_link
    from asta.web.i18n.catalogue import gettext

    locale = await _locale(session, user_id)
    email = render(locale, "shift_match", _facts(shift, unit),
                   onboarding_needed=onboarding_needed)
    await notify_batched(session, user_id=user_id, kind="shift_match", subject=email.subject,
                         merged_subject=gettext(locale, MERGED_SUBJECT), body=email.text,
                         item=shift_link(str(shift.id)))
