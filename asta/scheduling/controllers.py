from __future__ import annotations

import uuid

from litestar import Controller, post
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.scheduling import services
from asta.scheduling.schemas import ContactForecast, PackagingRead, PackagingRequest, StaffingRead


class DemandPlanningController(Controller):
    path = "/api/units/{unit_id:uuid}/demand"
    tags = ["demand planning"]
    guards = [requires(*STAFF_ROLES)]

    @post("/staffing", status_code=200,
          summary="Required professionals per interval from a contact forecast (Erlang C)")
    async def staffing(self, unit_id: uuid.UUID, data: ContactForecast, db: AsyncSession,
                       principal: Principal) -> StaffingRead:
        return await services.staffing_for_forecast(db, principal, unit_id, data)

    @post("/packaging", status_code=200,
          summary="Preview the shifts that best cover a requirement curve, with coverage")
    async def packaging(self, unit_id: uuid.UUID, data: PackagingRequest, db: AsyncSession,
                        principal: Principal) -> PackagingRead:
        return await services.package_demand(db, principal, unit_id, data)
