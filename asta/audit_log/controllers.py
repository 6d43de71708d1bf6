from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.audit_log import services
from asta.audit_log.csv_export import events_csv
from asta.audit_log.schemas import AuditEventRead, AuditFilters
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.schemas import Page

Text = Annotated[str | None, Parameter(max_length=100)]


def filters(organisation_id: uuid.UUID | None = None, entity_type: Text = None,
            entity_id: Text = None,
            actor: Annotated[str | None, Parameter(max_length=320)] = None,
            since: date | None = None, until: date | None = None,
            limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
            offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0) -> AuditFilters:
    return AuditFilters(organisation_id=organisation_id, entity_type=entity_type,
                        entity_id=entity_id, actor=actor, since=since, until=until,
                        limit=limit, offset=offset)


class AuditEventController(Controller):
    path = "/api/audit-events"
    tags = ["audit"]
    guards = [requires(*ADMIN_ROLES)]
    dependencies = {"audit_filters": Provide(filters, sync_to_thread=False)}

    @get("/", summary="The audit log: area admins their own area's events, the operator all; "
         "filtered by area, entity, actor (e-mail or id) and period (since..until, days)")
    async def list_events(self, db: AsyncSession, principal: Principal,
                          audit_filters: AuditFilters) -> Page[AuditEventRead]:
        return await services.list_events(db, principal, audit_filters)

    @get("/csv", summary="The same events as CSV (every match, newest first)")
    async def export(self, db: AsyncSession, principal: Principal,
                     audit_filters: AuditFilters) -> Response[Any]:
        events = await services.all_events(db, principal, audit_filters)
        return Response(events_csv(events), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition":
                                 'attachment; filename="asta-audit-events.csv"'})
