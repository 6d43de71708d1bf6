"""E-mails to a unit's schedulers about its shifts (claims, late cancellations, requests,
submitted timesheets), queued in the caller's transaction (outbox), each in the scheduler's
language and as they chose per kind: instantly, in the daily digest or not at all.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role, RoleAssignment, Unit, User
from asta.core.hot_reads import Precompiled, driver_connection
from asta.marketplace.models import Shift
from asta.marketplace.services.notices import shift_facts
from asta.notifications.services import queue

# Rendered once: every claim tells the schedulers (hot_reads).
_SCHEDULERS = Precompiled(
    select(User.id, User.locale, User.staff_notifications).distinct()
    .join(RoleAssignment, RoleAssignment.user_id == User.id)
    .where(RoleAssignment.role == Role.SCHEDULER.value,
           RoleAssignment.organisation_id == bindparam("organisation_id", type_=Uuid),
           or_(RoleAssignment.unit_id.is_(None),  # type: ignore[union-attr]
               RoleAssignment.unit_id == bindparam("unit_id", type_=Uuid)),
           User.is_active, User.erased_at.is_(None))  # type: ignore[union-attr]
    .order_by(User.id),
    organisation_id=uuid.UUID(int=0), unit_id=uuid.UUID(int=0))


async def schedulers_of(session: AsyncSession,
                        unit: Unit) -> list[tuple[uuid.UUID, str, dict[str, str]]]:
    """The unit's schedulers and the area's: id, language and e-mail choices."""
    connection = await driver_connection(await session.connection())
    rows = await _SCHEDULERS.fetch(connection, organisation_id=unit.organisation_id,
                                   unit_id=unit.id)
    return [(r["id"], r["locale"] or "fi", dict(r["staff_notifications"] or {})) for r in rows]


async def tell_schedulers(session: AsyncSession, kind: str, shift: Shift, unit: Unit,
                          professional_id: uuid.UUID, event_key: str, *,
                          why: str = "", name: str | None = None) -> None:
    """`event_key` names the cause once (e.g. the assignment), so a repeat sends nothing.
    `name`: the professional's, when the caller knows it (one read fewer)."""
    # Imported here: the pages import the marketplace, so a module-level import would cycle.
    from asta.web.emails import merged_subject, render

    who = name if name is not None else await session.scalar(
        select(User.full_name).where(User.id == professional_id))
    facts = shift_facts(shift, unit)
    for user_id, locale, choices in await schedulers_of(session, unit):
        email = render(locale, kind, facts, why=why, who=who or "")
        await queue(session, user_id=user_id, kind=kind, subject=email.subject,
                    merged_subject=merged_subject(locale, kind), body=email.text,
                    dedup_key=f"{kind}:{event_key}:{user_id}", choices=choices, item="")
