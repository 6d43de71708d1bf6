"""Reading and changing an area's settings (savings model, payouts, invoicing, surveys)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from asta.core import audit
from asta.core.auth import Principal
from asta.core.tenancy import organisation_for_admin
from asta.metrics.area_settings import AreaSettings, area_settings, store_area_settings


async def get_area_settings(session: AsyncSession, principal: Principal,
                            organisation_id: uuid.UUID) -> AreaSettings:
    return area_settings(await organisation_for_admin(session, principal, organisation_id))


async def put_area_settings(session: AsyncSession, principal: Principal,
                            organisation_id: uuid.UUID, data: AreaSettings) -> AreaSettings:
    organisation = await organisation_for_admin(session, principal, organisation_id)
    before = area_settings(organisation)
    store_area_settings(organisation, data)
    audit.record(session, actor_id=principal.user_id, entity_type="area_settings",
                 entity_id=organisation.id, action="update",
                 before=before.model_dump(mode="json"), after=data.model_dump(mode="json"),
                 organisation_id=organisation.id)
    return area_settings(organisation)
