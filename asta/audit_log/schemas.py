from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asta.core.schemas import Schema


@dataclass(frozen=True)
class AuditFilters:
    organisation_id: uuid.UUID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None  # an e-mail address or a user id
    since: date | None = None  # first day, Helsinki time
    until: date | None = None  # last day, included
    limit: int = 100
    offset: int = 0


class AuditEventRead(Schema):
    id: int
    at: datetime
    actor_id: uuid.UUID | None
    actor_email: str | None
    organisation_id: uuid.UUID | None
    entity_type: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
