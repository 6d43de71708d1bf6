from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.scheduling import services
from asta.scheduling.schemas import ContactForecast, PackagingRead, PackagingRequest, StaffingRead
from asta.scheduling.schemas_forecast import (
    ForecastComparisonRead,
    ForecastRequest,
    ForecastRunListItem,
    ForecastRunRead,
    HistoryImport,
    HistoryImportRead,
    HistorySummaryRead,
)
from asta.scheduling.schemas_runs import (
    AcceptProposals,
    MatchingRunCreate,
    MatchingRunListItem,
    MatchingRunRead,
)


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


class ContactHistoryController(Controller):
    path = "/api/units/{unit_id:uuid}"
    tags = ["demand planning"]
    guards = [requires(*STAFF_ROLES)]

    @post("/contact-history", status_code=200,
          summary="Import contacts per interval from CSV; all rows or none, idempotent")
    async def import_history(self, unit_id: uuid.UUID, data: HistoryImport, db: AsyncSession,
                             principal: Principal) -> HistoryImportRead:
        return await services.import_history(db, principal, unit_id, data.csv)

    @get("/contact-history", summary="How much contact history the unit has")
    async def history(self, unit_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> HistorySummaryRead:
        return await services.history_summary(db, principal, unit_id)

    @post("/forecasts", status_code=201,
          summary="Forecast a day from the history, staff it (Erlang C) and store the run")
    async def forecast(self, unit_id: uuid.UUID, data: ForecastRequest, db: AsyncSession,
                       principal: Principal) -> ForecastRunRead:
        return await services.run_forecast(db, principal, unit_id, data)

    @get("/forecast-runs", summary="The unit's stored forecast runs, newest day first")
    async def forecast_runs(self, unit_id: uuid.UUID, db: AsyncSession,
                            principal: Principal) -> list[ForecastRunListItem]:
        return await services.list_forecast_runs(db, principal, unit_id)


class ForecastRunController(Controller):
    path = "/api/forecast-runs"
    tags = ["demand planning"]
    guards = [requires(*STAFF_ROLES)]

    @get("/{run_id:uuid}", summary="A stored forecast run with its backtest and staffing")
    async def get_run(self, run_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> ForecastRunRead:
        return await services.get_forecast_run(db, principal, run_id)

    @get("/{run_id:uuid}/comparison",
         summary="A stored run against the contacts recorded since: error, band, target met")
    async def comparison(self, run_id: uuid.UUID, db: AsyncSession,
                         principal: Principal) -> ForecastComparisonRead:
        return await services.compare_forecast_run(db, principal, run_id)


class MatchingRunController(Controller):
    path = "/api/matching-runs"
    tags = ["matching"]
    guards = [requires(*STAFF_ROLES)]

    @post("/", status_code=202, summary="Start matching the pool to open shifts (a job)")
    async def start(self, data: MatchingRunCreate, db: AsyncSession,
                    principal: Principal) -> MatchingRunRead:
        return await services.start_matching_run(db, principal, data)

    @get("/", summary="The newest runs of my units with their figures")
    async def list_runs(self, db: AsyncSession,
                        principal: Principal) -> list[MatchingRunListItem]:
        return await services.list_matching_runs(db, principal)

    @get("/{run_id:uuid}", summary="Progress and, when done, the proposals with reasons")
    async def get_run(self, run_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> MatchingRunRead:
        return await services.get_matching_run(db, principal, run_id)

    @post("/{run_id:uuid}/accept", status_code=200,
          summary="Accept all or some proposals; each is checked by the claim rules")
    async def accept(self, run_id: uuid.UUID, data: AcceptProposals, db: AsyncSession,
                     principal: Principal) -> MatchingRunRead:
        return await services.accept_proposals(db, principal, run_id, data)
