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
from asta.notifications.rules import KINDS
from asta.notifications.services import queue
from asta.profiles.models import ProfessionalProfile
from asta.push.services import PUSHED_KINDS, queue_push

if TYPE_CHECKING:
    from asta.web.emails import ShiftFacts


async def _reader(session: AsyncSession, user_id: uuid.UUID) -> tuple[str, dict[str, str]]:
    """The recipient's language and their choices of how e-mails arrive."""
    row = (await session.execute(
        select(User.locale, ProfessionalProfile.notifications)
        .outerjoin(ProfessionalProfile, ProfessionalProfile.user_id == User.id)
        .where(User.id == user_id))).first()
    return (row[0] or "fi", dict(row[1] or {})) if row else ("fi", {})


def shift_facts(shift: Shift, unit: Unit) -> ShiftFacts:
    from asta.web.emails import ShiftFacts

    return ShiftFacts(shift_id=str(shift.id), unit_name=unit.name, profession=shift.profession,
                      starts_at=shift.starts_at, ends_at=shift.ends_at,
                      is_remote=shift.is_remote, pay_total_cents=shift.pay_total_cents)


async def _send(session: AsyncSession, user_id: uuid.UUID, kind: str, shift: Shift, unit: Unit,
                dedup_key: str, *, why: str = "", deadline: datetime | None = None,
                onboarding_needed: bool = False,
                reader: tuple[str, dict[str, str]] | None = None) -> None:
    # Imported here: the pages import the marketplace, so a module-level import would cycle.
    from asta.web.emails import merged_subject, render, shift_link

    locale, choices = reader or await _reader(session, user_id)
    email = render(locale, kind, shift_facts(shift, unit), why=why, deadline=deadline,
                   onboarding_needed=onboarding_needed)
    await queue(session, user_id=user_id, kind=kind, subject=email.subject,
                merged_subject=merged_subject(locale, kind), body=email.text,
                dedup_key=dedup_key, choices=choices,
                item=shift_link(str(shift.id)) if kind == "shift_match" else "")
    if kind in PUSHED_KINDS and choices.get(KINDS[kind]) != "off":
        # At once even when the e-mail waits for the daily summary: an offer has a deadline.
        # The same words as the e-mail: its subject and opening sentence.
        await queue_push(session, user_id=user_id, dedup_key=dedup_key, title=email.subject,
                         body=email.text.split("\n", 1)[0], url=shift_link(str(shift.id)),
                         tag=f"{kind}:{shift.id}")


async def assigned(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit, *, reader: tuple[str, dict[str, str]] | None = None) -> None:
    """`reader`: the recipient's language and e-mail choices, when the caller has read them."""
    await _send(session, assignment.professional_id, "shift_assigned", shift, unit,
                f"assigned:{assignment.id}", reader=reader)


async def requested(session: AsyncSession, assignment: Assignment, shift: Shift,
                    unit: Unit, *, reader: tuple[str, dict[str, str]] | None = None) -> None:
    await _send(session, assignment.professional_id, "shift_requested", shift, unit,
                f"requested:{assignment.id}", reader=reader)


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


async def offered_directly(session: AsyncSession, entry: WaitlistEntry, shift: Shift,
                           unit: Unit) -> None:
    await _send(session, entry.professional_id, "direct_offer", shift, unit,
                f"offer:{entry.id}:{entry.offered_at}", deadline=entry.offer_expires_at)


async def timesheet_corrected(session: AsyncSession, assignment: Assignment, shift: Shift,
                              unit: Unit, reason: str) -> None:
    await _send(session, assignment.professional_id, "timesheet_corrected", shift, unit,
                f"corrected:{assignment.id}", why=reason)


async def reminder(session: AsyncSession, assignment: Assignment, shift: Shift,
                   unit: Unit) -> None:
    await _send(session, assignment.professional_id, "shift_reminder", shift, unit,
                f"reminder:{assignment.id}")


async def new_shift(session: AsyncSession, user_id: uuid.UUID, shift: Shift, unit: Unit,
                    *, onboarding_needed: bool) -> None:
    """Batched: at most one "new shifts" e-mail an hour; later shifts join the waiting one."""
    await _send(session, user_id, "shift_match", shift, unit, f"match:{shift.id}:{user_id}",
                onboarding_needed=onboarding_needed)
