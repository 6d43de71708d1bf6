"""Who may read which events, and the filters: one query for the API, the CSV and the page."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import User
from asta.audit_log.schemas import AuditEventRead, AuditFilters
from asta.core.audit import AuditEvent
from asta.core.auth import Principal
from asta.core.errors import InvalidInputError
from asta.core.schemas import Page
from asta.core.tenancy import organisation_for_admin

CSV_LIMIT = 50_000
HELSINKI = ZoneInfo("Europe/Helsinki")


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """The operator reads every event; an area admin the events of the areas they run."""
    if principal.is_operator:
        return true()
    areas = principal.admin_organisations()
    return AuditEvent.organisation_id.in_(areas) if areas else false()  # type: ignore[union-attr]


def _start_of(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=HELSINKI)


async def _query(session: AsyncSession, principal: Principal,
                 filters: AuditFilters) -> Select[AuditEvent, str]:
    if filters.organisation_id is not None:  # another area's id answers 404
        await organisation_for_admin(session, principal, filters.organisation_id)
    if filters.since and filters.until and filters.until < filters.since:
        raise InvalidInputError("until must not be before since", field="until")
    conditions: list[Any] = [visible_clause(principal)]
    if filters.organisation_id is not None:
        conditions.append(AuditEvent.organisation_id == filters.organisation_id)
    if filters.entity_type:
        conditions.append(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id:
        conditions.append(AuditEvent.entity_id == filters.entity_id)
    if filters.actor:
        conditions.append(_actor_clause(filters.actor.strip()))
    if filters.since:
        conditions.append(AuditEvent.at >= _start_of(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _start_of(filters.until + timedelta(days=1)))
    query: Select[AuditEvent, str] = (
        select(AuditEvent, col(User.email))
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id)).where(*conditions))
    return query


def _actor_clause(actor: str) -> ColumnElement[bool]:
    try:
        return AuditEvent.actor_id == uuid.UUID(actor)  # type: ignore[return-value]
    except ValueError:
        return func.lower(User.email) == actor.lower()


def _read(event: AuditEvent, email: str | None) -> AuditEventRead:
    return AuditEventRead(id=event.id or 0, at=event.at, actor_id=event.actor_id,
                          actor_email=email, organisation_id=event.organisation_id,
                          entity_type=event.entity_type, entity_id=event.entity_id,
                          action=event.action, before=event.before, after=event.after)


async def list_events(session: AsyncSession, principal: Principal,
                      filters: AuditFilters) -> Page[AuditEventRead]:
    query = await _query(session, principal, filters)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(query.order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
                                 .limit(filters.limit).offset(filters.offset))
    return Page(items=[_read(e, email) for e, email in rows.all()], total=total or 0,
                limit=filters.limit, offset=filters.offset)


async def all_events(session: AsyncSession, principal: Principal,
                     filters: AuditFilters) -> list[AuditEventRead]:
    query = await _query(session, principal, filters)
    rows = await session.execute(query.order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
                                 .limit(CSV_LIMIT))
    return [_read(e, email) for e, email in rows.all()]
