"""What operators need to know: is Asta up, and is its background work keeping up?"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import dramatiq
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.circuit import Circuit, open_circuits
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.errors import NotFoundError
from asta.core.jobs import broker_is_healthy
from asta.core.outbox import OutboxState, OutboxTable, outbox_state
from asta.notifications.jobs import NOTIFICATIONS
from asta.payments.services.transfers import TRANSFERS
from asta.push.jobs import PUSHES

OUTBOXES: dict[str, OutboxTable] = {"notifications": NOTIFICATIONS, "transfers": TRANSFERS,
                                     "push": PUSHES}
LAG_LIMIT = timedelta(minutes=5)  # a due row older than this means delivery is not keeping up
PROBE_TIMEOUT_S = 3


@dataclass
class Health:
    database: str = "ok"
    broker: str = "ok"
    outbox: dict[str, OutboxState] = field(default_factory=dict)
    circuits: list[Circuit] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = [f"{name} is down" for name, state in (("database", self.database),
                                                       ("broker", self.broker)) if state != "ok"]
        for name, state in self.outbox.items():
            if state.oldest_due_s > LAG_LIMIT.total_seconds():
                found.append(f"{name}: oldest due item waits {state.oldest_due_s:.0f} s")
            if state.dead:
                found.append(f"{name}: {state.dead} dead")
        found += [f"{c.name} unreachable since {c.opened_at.isoformat(timespec='seconds')}"
                  f" ({c.failures} failed tries): {c.last_error}" for c in self.circuits]
        return found

    @property
    def serving(self) -> bool:
        """Whether requests can be served at all (the load balancer's question)."""
        return self.database == "ok" and self.broker == "ok"

    def as_dict(self) -> dict[str, Any]:
        status = "ok" if not self.problems else "degraded" if self.serving else "down"
        return {"status": status, "database": self.database, "broker": self.broker,
                "outbox": {name: state.as_dict() for name, state in self.outbox.items()},
                "problems": self.problems}


async def outbox_states(session: AsyncSession, now: datetime) -> dict[str, OutboxState]:
    return {name: await outbox_state(session, table, now) for name, table in OUTBOXES.items()}


async def check_health() -> Health:
    """Probes that take table locks like a sign-in does, so a database that refuses them
    (out of connections or lock memory) is reported down, not ok."""
    health = Health()
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S), unit_of_work() as session:
            health.outbox = await outbox_states(session, utcnow())
            health.circuits = await open_circuits(session)
    except Exception:  # any failure is reported, not raised: this is a probe
        health.database = "down"
    if not await asyncio.to_thread(broker_is_healthy, dramatiq.get_broker()):
        health.broker = "down"
    return health


async def dead_items(session: AsyncSession, limit: int = 100) -> dict[str, list[dict[str, Any]]]:
    """The dead rows of each outbox, newest first, with why they died."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, table in OUTBOXES.items():
        rows = await session.scalars(
            select(table.model).where(table.column("status") == table.dead)
            .order_by(table.column("created_at").desc()).limit(limit))
        found[name] = [{"id": str(row.id), "created_at": row.created_at.isoformat(),
                        "attempts": row.attempts, "last_error": row.last_error}
                       for row in rows]
    return found


async def retry_dead(session: AsyncSession, outbox: str, row_id: uuid.UUID) -> None:
    """An operator sends a dead item again (after mending its cause): due now, once."""
    table = OUTBOXES.get(outbox)
    row = await session.get(table.model, row_id, with_for_update=True) if table else None
    if table is None or row is None or row.status != table.dead:
        raise NotFoundError(f"No dead item {row_id} in {outbox}")
    row.status, row.next_attempt_at = table.pending, None
