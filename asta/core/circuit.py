"""Circuit breakers for the dependencies background work talks to (the SMTP relay, Stripe).

While a dependency is down, trying every due row against it only burns CPU and fills the
logs: an hour of SMTP outage with a backlog would retry every e-mail every 30 s. Instead a
job that finds the dependency down *opens* its circuit (one row, shared by every worker),
the sweep then claims nothing until the circuit's retry time, and then one small probe
batch (granted to exactly one sweep by a single UPDATE). A delivery that succeeds closes
the circuit and the backlog flows again at full speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import Field, SQLModel

from asta.core.models import timestamp_field
from asta.core.outbox import BACKOFF_BASE, BACKOFF_CAP, retry_delay


class Circuit(SQLModel, table=True):
    __tablename__ = "circuits"
    name: str = Field(primary_key=True, max_length=40)
    failures: int = 0
    opened_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    retry_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    last_error: str | None = Field(default=None, max_length=1000)
    probe_until: datetime | None = timestamp_field()


COLUMNS = Circuit.__table__.c  # type: ignore[attr-defined]  # typed columns for SQL


@dataclass(frozen=True)
class Allowance:
    """What a sweep may claim now: everything (closed), nothing (open), or one probe."""

    closed: bool
    probe: bool

    @property
    def blocked(self) -> bool:
        return not self.closed and not self.probe


CLOSED = Allowance(closed=True, probe=False)


async def allowance(session: AsyncSession, name: str, now: datetime,
                    probe_lease: timedelta) -> Allowance:
    """Closed unless a job opened it; once its retry time has come, exactly one caller gets
    the probe (the UPDATE moves `probe_until` on), and others wait for its answer."""
    circuit = await session.get(Circuit, name)
    if circuit is None:
        return CLOSED
    c = COLUMNS
    granted = await session.scalar(
        sa.update(Circuit).where(c.name == name, c.retry_at <= now,
                                 sa.or_(c.probe_until.is_(None), c.probe_until < now))
        .values(probe_until=now + probe_lease).returning(c.name))
    return Allowance(closed=False, probe=granted is not None)


async def trip(connection: AsyncConnection, name: str, now: datetime, error: str) -> None:
    """The dependency refused a connection: open the circuit, or keep it open for longer."""
    # The outbox's backoff (retry_delay), computed in SQL so that concurrent trips agree.
    seconds = sa.func.least(BACKOFF_CAP.total_seconds(), BACKOFF_BASE.total_seconds()
                            * sa.func.power(2, sa.func.least(COLUMNS.failures, 16)))
    at = sa.bindparam("now", now, type_=sa.DateTime(timezone=True))
    await connection.execute(insert(Circuit).values(
        name=name, failures=1, opened_at=now, retry_at=now + retry_delay(1),
        last_error=error[:1000]).on_conflict_do_update(
        index_elements=["name"],
        set_={"failures": COLUMNS.failures + 1, "last_error": error[:1000],
              "probe_until": None,
              "retry_at": at + sa.func.make_interval(0, 0, 0, 0, 0, 0, seconds)}))


async def close(connection: AsyncConnection, name: str) -> bool:
    """The dependency answered: True when the circuit was open (the backlog may flow now)."""
    result = await connection.execute(sa.delete(Circuit).where(COLUMNS.name == name))
    return bool(result.rowcount)


async def open_circuits(session: AsyncSession) -> list[Circuit]:
    return list(await session.scalars(sa.select(Circuit).order_by(Circuit.name)))
