"""Outbox rows as state machines: work recorded with its cause, delivered once by a job.

A row is *pending* until it is done (or dead). While pending it is either due (never tried,
or its `next_attempt_at` has come), *failed* (tried, waiting for `next_attempt_at`), or
*in flight*: claimed by one sweep (`claimed_by`, until `claimed_until`) and enqueued once.
A sweep claims only due rows that are not in flight, in small batches with SKIP LOCKED, and
never more than MAX_IN_FLIGHT at once, so the job queue stays bounded however large the
backlog and however long a dependency is down. A claim whose worker died runs out and the
row becomes due again. A row that fails for good, or too often, becomes *dead*: counted on
/health and listed for operators.
"""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from asta.core.config import get_settings

MAX_IN_FLIGHT = 200  # per kind of row: bounds the job queue and what workers prefetch
BATCH = 50
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(seconds=30)  # a dependency back after an outage is used within this

WORKER = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"  # who claims, for operators


def lease() -> timedelta:
    """How long a claim lasts: longer than a delivery job may run (their time limits)."""
    return timedelta(seconds=get_settings().outbox_lease_s)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with a cap: 5 s, 10 s, 20 s, then every 30 s."""
    return min(BACKOFF_CAP, BACKOFF_BASE * (1 << min(max(0, attempts - 1), 16)))


@dataclass(frozen=True)
class OutboxTable:
    """Which columns of a table model make its outbox (status names differ per domain)."""

    model: Any
    pending: str = "pending"
    done: str = "done"
    dead: str = "dead"
    order_by: str = "created_at"

    def column(self, name: str) -> Any:
        return getattr(self.model, name)

    def due(self, now: datetime) -> ColumnElement[bool]:
        next_attempt, claimed_until = self.column("next_attempt_at"), self.column("claimed_until")
        return and_(self.column("status") == self.pending,
                    or_(next_attempt.is_(None), next_attempt <= now),
                    or_(claimed_until.is_(None), claimed_until < now))

    def in_flight(self, now: datetime) -> ColumnElement[bool]:
        return and_(self.column("status") == self.pending, self.column("claimed_until") >= now)


async def claim_due(session: AsyncSession, table: OutboxTable, now: datetime, *,
                    limit: int = BATCH, token: str = WORKER,
                    where: ColumnElement[bool] | None = None) -> list[uuid.UUID]:
    """Claim up to `limit` due rows under `token` (only those `where` allows, e.g. not for a
    dependency whose circuit is open); the caller commits, then enqueues."""
    in_flight = await session.scalar(
        select(func.count()).select_from(table.model).where(table.in_flight(now))) or 0
    room = min(limit, MAX_IN_FLIGHT - in_flight)
    if room <= 0:
        return []
    due = table.due(now) if where is None else and_(table.due(now), where)
    chosen = (select(table.column("id")).where(due)
              .order_by(table.column(table.order_by)).limit(room)
              .with_for_update(skip_locked=True)).scalar_subquery()
    claimed = await session.scalars(
        update(table.model).where(table.column("id").in_(chosen))
        .values(claimed_by=token, claimed_until=now + lease())
        .returning(table.column("id")))
    return list(claimed)


async def take(session: AsyncSession, table: OutboxTable, row_ids: list[uuid.UUID]) -> list[Any]:
    """The pending rows to deliver, locked for this transaction; rows that another job holds
    or that are finished are left out. Delivery locks only these rows, never a row that a
    person's request waits for."""
    return list(await session.scalars(
        select(table.model).where(table.column("id").in_(row_ids),
                                  table.column("status") == table.pending)
        .order_by(table.column(table.order_by)).with_for_update(skip_locked=True)))


async def adopt(session: AsyncSession, table: OutboxTable, token: str) -> list[Any]:
    """Take over the rows a sweep claimed under `token` (one batch). If the broker delivers
    the same message twice, the second job finds nothing left to adopt."""
    mine = f"{WORKER}:{uuid.uuid4().hex[:8]}"
    return list(await session.scalars(
        update(table.model).where(table.column("claimed_by") == token,
                                  table.column("status") == table.pending)
        .values(claimed_by=mine).returning(table.model)
        .execution_options(synchronize_session=False)))


def release(row: Any) -> None:
    row.claimed_by = None
    row.claimed_until = None


def record_failure(row: Any, table: OutboxTable, now: datetime, error: str, *,
                   give_up: bool) -> bool:
    """Count a failed attempt; the row waits with backoff, or dies. True when it died."""
    row.attempts += 1
    row.last_error = error[:1000]
    release(row)
    if give_up:
        row.status = table.dead
        row.next_attempt_at = None
        return True
    row.next_attempt_at = now + retry_delay(row.attempts)
    return False


STATE_COLUMNS = ("status", "attempts", "last_error", "next_attempt_at", "claimed_by",
                 "claimed_until")


async def save_state(connection: AsyncConnection, table: OutboxTable, row: Any,
                     *extra: str) -> None:
    """Write a row's delivery state as one statement (on an autocommit connection, one round
    trip: delivery jobs record each item the moment it is delivered)."""
    await connection.execute(
        update(table.model).where(table.column("id") == row.id)
        .values({name: getattr(row, name) for name in (*STATE_COLUMNS, *extra)}))


@dataclass(frozen=True)
class OutboxState:
    due: int
    in_flight: int
    dead: int
    oldest_due_s: float

    def as_dict(self) -> dict[str, float | int]:
        return {"due": self.due, "in_flight": self.in_flight, "dead": self.dead,
                "oldest_due_s": round(self.oldest_due_s, 1)}


async def outbox_state(session: AsyncSession, table: OutboxTable, now: datetime) -> OutboxState:
    """Figures for operators and /health, in one query."""
    due, in_flight, dead, oldest = (await session.execute(select(
        func.count().filter(table.due(now)),
        func.count().filter(table.in_flight(now)),
        func.count().filter(table.column("status") == table.dead),
        func.min(func.coalesce(table.column("next_attempt_at"), table.column("created_at")))
        .filter(table.due(now)),
    ).select_from(table.model))).one()
    return OutboxState(due, in_flight, dead,
                       (now - oldest).total_seconds() if oldest is not None else 0.0)
