"""A unit's favourite and blocked professionals.

Blocking is an eligibility fact (rules.eligibility, code `blocked_by_unit`), so the claim,
request, standby, offer, the board and both kinds of matching refuse it through the one
decision. A favourite counts as preferring the unit: new-shift notices reach them even when
the unit is not among their preferred units, and the matching optimiser's preferred-unit
goal favours them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import unit_for_staff
from asta.marketplace.models import UnitMarkKind, UnitProfessionalMark
from asta.marketplace.schemas import UnitMarkIn, UnitMarkRead
from asta.profiles.models import ProfessionalProfile


def _read(mark: UnitProfessionalMark, name: str) -> UnitMarkRead:
    return UnitMarkRead(unit_id=mark.unit_id, professional_id=mark.professional_id,
                        professional_name=name, kind=mark.kind, reason=mark.reason,
                        marked_by=mark.marked_by, created_at=mark.created_at)


async def list_marks(session: AsyncSession, principal: Principal,
                     unit_id: uuid.UUID) -> list[UnitMarkRead]:
    await unit_for_staff(session, principal, unit_id)
    rows = await session.execute(
        select(UnitProfessionalMark, User.full_name)
        .join(User, User.id == UnitProfessionalMark.professional_id)
        .where(UnitProfessionalMark.unit_id == unit_id)
        .order_by(UnitProfessionalMark.kind, User.full_name))
    return [_read(mark, name) for mark, name in rows]


async def mark_professional(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                            professional_id: uuid.UUID, data: UnitMarkIn) -> UnitMarkRead:
    """Sets (or changes) the mark; existing bookings stay until the scheduler cancels them."""
    if data.kind == UnitMarkKind.BLOCKED.value and not data.reason:
        raise InvalidInputError("Give a reason for blocking", field="reason")
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    person = await session.get(User, professional_id)
    if (person is None or person.erased_at is not None
            or await session.get(ProfessionalProfile, professional_id) is None):
        raise NotFoundError("No such professional")
    mark = await session.get(UnitProfessionalMark, (unit_id, professional_id))
    before = audit.snapshot(mark) if mark else None
    if mark is None:
        mark = UnitProfessionalMark(unit_id=unit_id, professional_id=professional_id,
                                    kind=data.kind)
        session.add(mark)
    mark.kind, mark.reason, mark.marked_by = data.kind, data.reason, principal.user_id
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="unit_mark",
                 entity_id=f"{unit_id}:{professional_id}",
                 action="update" if before else "create", before=before,
                 after=audit.snapshot(mark), organisation_id=unit.organisation_id)
    return _read(mark, person.full_name)


async def unmark_professional(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                              professional_id: uuid.UUID) -> None:
    unit = await unit_for_staff(session, principal, unit_id, for_update=True)
    mark = await session.get(UnitProfessionalMark, (unit_id, professional_id))
    if mark is None:
        raise NotFoundError("The professional is neither a favourite nor blocked here")
    before = audit.snapshot(mark)
    await session.delete(mark)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="unit_mark",
                 entity_id=f"{unit_id}:{professional_id}", action="delete", before=before,
                 organisation_id=unit.organisation_id)


async def marked_units(session: AsyncSession, user_ids: Iterable[uuid.UUID],
                       kind: UnitMarkKind) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Per professional, the units that marked them so (for matching many at once)."""
    marked: dict[uuid.UUID, set[uuid.UUID]] = {}
    ids = list(user_ids)
    if not ids:
        return marked
    for user_id, unit_id in await session.execute(
            select(UnitProfessionalMark.professional_id, UnitProfessionalMark.unit_id).where(
                UnitProfessionalMark.professional_id.in_(ids),  # type: ignore[attr-defined]
                UnitProfessionalMark.kind == kind.value)):
        marked.setdefault(user_id, set()).add(unit_id)
    return marked
