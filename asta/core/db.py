"""Database engine (made at startup, never at import), sessions and the unit of work."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)


@dataclass
class Database:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    async def dispose(self) -> None:
        await self.engine.dispose()


_url: str | None = None
_pool_size = 20
_max_overflow = 20
POOL_TIMEOUT_S = 30
OPEN_POOLS_WITHIN_S = 10
# asyncpg connections belong to the event loop that made them; the API server and the job
# worker run different loops in one process, so each loop gets its own engine.
_databases: dict[asyncio.AbstractEventLoop, Database] = {}


def async_url(url: str) -> str:
    """Accept plain postgres:// URLs from operators and use the asyncpg driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    return url


def sync_url(url: str) -> str:
    """The same database through psycopg2, for Alembic."""
    return async_url(url).replace("postgresql+asyncpg://", "postgresql+psycopg2://", 1)


def libpq_url(url: str) -> str:
    """A plain libpq URL, for the job broker."""
    return async_url(url).replace("postgresql+asyncpg://", "postgresql://", 1)


def configure(url: str, *, pool_size: int = 20, max_overflow: int = 20) -> None:
    """Say where the database is; engines are made on first use in each event loop."""
    global _url, _pool_size, _max_overflow
    _url, _pool_size, _max_overflow = async_url(url), pool_size, max_overflow


def pool_size() -> int:
    """Connections this process's engine keeps (per event loop)."""
    return _pool_size


def application_name() -> str:
    """Names this process's connections in pg_stat_activity (which API process waits)."""
    return f"asta-{os.getpid()}"


def configured_url() -> str:
    if _url is None:
        raise RuntimeError("database not configured: call asta.core.db.configure() at startup")
    return _url


def get_database() -> Database:
    loop = asyncio.get_running_loop()
    database = _databases.get(loop)
    if database is None:
        engine = create_async_engine(
            configured_url(), pool_size=_pool_size, max_overflow=_max_overflow,
            # A burst of claims queues for connections rather than failing: 500 claims on
            # a loaded 2-core machine took 15 s (benchmarks/README_claims.md).
            pool_timeout=POOL_TIMEOUT_S,
            connect_args={"server_settings": {"application_name": application_name()}})
        event.listen(engine.sync_engine, "checkout", _refuse_closed)
        database = Database(engine, async_sessionmaker(engine, expire_on_commit=False))
        _databases[loop] = database
    return database


def _refuse_closed(_dbapi: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """Instead of `pool_pre_ping`: a connection the server closed (a restart, a terminated
    backend) is replaced at checkout. asyncpg notices the closed socket without a round trip,
    whereas SQLAlchemy's ping costs three (BEGIN, a query, ROLLBACK) on every checkout, a
    third of a refused claim's round trips (benchmarks/README_claims.md)."""
    driver = record.driver_connection
    if driver is None or driver.is_closed():
        raise exc.DisconnectionError("the server closed the connection")


async def open_pools() -> None:
    """Open every connection of this loop's pools now (a serving process's startup), not
    in its first rush: each new one is a new backend and asyncpg's type introspection, 5 %
    of the API's CPU in the first 1,000 claims after a start (benchmarks/README_claims.md).
    A database that is down or slow now only leaves them to be opened later."""
    from asta.core import hot_reads  # it reads this module's settings

    engine = get_database().engine
    try:
        async with asyncio.timeout(OPEN_POOLS_WITHIN_S), AsyncExitStack() as held:
            for _ in range(hot_reads.pool_size()):
                await hot_reads.warm(await held.enter_async_context(hot_reads.read_connection()))
            for _ in range(_pool_size):
                connection = await held.enter_async_context(engine.connect())
                await hot_reads.warm(await hot_reads.driver_connection(connection))
    except (OSError, TimeoutError, exc.SQLAlchemyError, asyncpg.PostgresError) as error:
        logger.warning("database connections not opened at startup: %s", error)


async def disconnect() -> None:
    """Dispose of the engine and the read pool of the running loop."""
    from asta.core import hot_reads  # it reads this module's settings

    await hot_reads.close()
    database = _databases.pop(asyncio.get_running_loop(), None)
    if database is not None:
        await database.dispose()


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[AsyncSession]:
    """One transaction: commits when the block succeeds, rolls back when it raises."""
    async with get_database().sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
