"""/health for load balancers and monitors; the outbox view for platform operators."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import requires
from asta.core.clock import utcnow
from asta.operations import services


@get("/health", tags=["operations"], summary="Database, broker and background work",
     description="503 when the database or the broker is down; 200 with status `degraded` "
                 "and the problems listed when background work lags or has dead items.")
async def health() -> Response[dict[str, Any]]:
    state = await services.check_health()
    return Response(state.as_dict(), status_code=200 if state.serving else 503)


class OperationsController(Controller):
    path = "/api/operations"
    tags = ["operations"]
    guards = [requires(Role.PLATFORM_OPERATOR)]

    @get("/outbox", summary="Background work: due, in flight and dead items per outbox")
    async def outbox(self, db: AsyncSession) -> dict[str, Any]:
        states = await services.outbox_states(db, utcnow())
        return {"outbox": {name: state.as_dict() for name, state in states.items()},
                "dead": await services.dead_items(db)}

    @post("/outbox/{outbox:str}/{item_id:uuid}/retry", status_code=202,
          summary="Send a dead item again")
    async def retry(self, db: AsyncSession, outbox: str, item_id: uuid.UUID) -> None:
        await services.retry_dead(db, outbox, item_id)
