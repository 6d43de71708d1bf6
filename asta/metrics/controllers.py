from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Response, get, put
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.metrics import services
from asta.metrics.area_settings import AreaSettings
from asta.metrics.csv_export import summary_csv, timeseries_csv
from asta.metrics.services import MetricsQuery
from asta.metrics.settings_service import get_area_settings, put_area_settings

CSV = "text/csv; charset=utf-8"
Format = Literal["json", "csv"]
Bucket = Literal["week", "month", "quarter"]
First = Annotated[date | None, QueryParameter(name="from", required=False,
                                         description="First day (Europe/Helsinki)")]
Last = Annotated[date | None, QueryParameter(name="to", required=False,
                                        description="Last day, inclusive")]


def _csv(body: str, name: str) -> Response[Any]:
    return Response(body, media_type=CSV,
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


class MetricsController(Controller):
    """The plan's measures for area admins (their own areas) and the operator (all areas)."""

    path = "/api/metrics"
    tags = ["metrics"]
    guards = [requires(*ADMIN_ROLES)]

    @get("/summary", summary="The period's figures (JSON, or CSV with ?format=csv)")
    async def summary(self, db: AsyncSession, principal: Principal,
                      organisation_id: uuid.UUID | None = None, unit_id: uuid.UUID | None = None,
                      first: First = None, last: Last = None,
                      format: Format = "json") -> Response[Any]:
        result = await services.summary(
            db, principal, MetricsQuery(organisation_id, unit_id, first, last))
        if format == "csv":
            return _csv(summary_csv(result), "asta-metrics-summary")
        return Response(result)

    @get("/summary.csv", summary="The period's figures as CSV")
    async def summary_as_csv(self, db: AsyncSession, principal: Principal,
                             organisation_id: uuid.UUID | None = None,
                             unit_id: uuid.UUID | None = None, first: First = None,
                             last: Last = None) -> Response[Any]:
        result = await services.summary(
            db, principal, MetricsQuery(organisation_id, unit_id, first, last))
        return _csv(summary_csv(result), "asta-metrics-summary")

    @get("/timeseries", summary="The same figures per week, month or quarter (JSON or CSV)")
    async def timeseries(self, db: AsyncSession, principal: Principal,
                         organisation_id: uuid.UUID | None = None,
                         unit_id: uuid.UUID | None = None, first: First = None,
                         last: Last = None, bucket: Bucket = "month",
                         format: Format = "json") -> Response[Any]:
        result = await services.timeseries(
            db, principal, MetricsQuery(organisation_id, unit_id, first, last), bucket)
        if format == "csv":
            return _csv(timeseries_csv(result), f"asta-metrics-{bucket}")
        return Response(result)

    @get("/timeseries.csv", summary="The same figures per bucket as CSV")
    async def timeseries_as_csv(self, db: AsyncSession, principal: Principal,
                                organisation_id: uuid.UUID | None = None,
                                unit_id: uuid.UUID | None = None, first: First = None,
                                last: Last = None, bucket: Bucket = "month") -> Response[Any]:
        result = await services.timeseries(
            db, principal, MetricsQuery(organisation_id, unit_id, first, last), bucket)
        return _csv(timeseries_csv(result), f"asta-metrics-{bucket}")


class AreaSettingsController(Controller):
    path = "/api/organisations/{organisation_id:uuid}/settings"
    tags = ["organisations"]
    guards = [requires(*ADMIN_ROLES)]

    @get("/", summary="The area's savings model, payout mode, invoicing and survey settings")
    async def get_settings(self, organisation_id: uuid.UUID, db: AsyncSession,
                           principal: Principal) -> AreaSettings:
        return await get_area_settings(db, principal, organisation_id)

    @put("/", summary="Replace the area's settings (omitted fields take the defaults)")
    async def put_settings(self, organisation_id: uuid.UUID, data: AreaSettings,
                           db: AsyncSession, principal: Principal) -> AreaSettings:
        return await put_area_settings(db, principal, organisation_id, data)


METRICS_CONTROLLERS = [MetricsController, AreaSettingsController]
