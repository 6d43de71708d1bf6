"""The audit log: who changed what, when, with the state before and after."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_entity", "entity_type", "entity_id"),
                      sa.Index("ix_audit_events_at", "at"))
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    organisation_id: uuid.UUID | None = Field(default=None, index=True)
    entity_type: str = Field(max_length=60)
    entity_id: str = Field(max_length=100)
    action: str = Field(max_length=60)
    before: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSONB(none_as_null=True)))
    after: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSONB(none_as_null=True)))


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


SECRET_COLUMNS = frozenset({"password_hash", "calendar_token"})


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """A row's columns as JSON, without secrets."""
    if row is None:
        return None
    return {k: _jsonable(v) for k, v in row.model_dump().items() if k not in SECRET_COLUMNS}


def record(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None,
    entity_type: str,
    entity_id: uuid.UUID | str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: uuid.UUID | None = None,
) -> None:
    """Add an audit event to the caller's transaction, so it lands exactly when the change does."""
    session.add(AuditEvent(actor_id=actor_id, organisation_id=organisation_id,
                           entity_type=entity_type, entity_id=str(entity_id), action=action,
                           before=_jsonable(before), after=_jsonable(after)))
