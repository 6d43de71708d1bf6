"""The reads every request or every claim makes, on asyncpg directly.

Who is asking (every request) and a claim's facts (every claim; in a rush nine in ten claims
end there) were a refused claim's largest costs besides HTTP itself: each execution through
SQLAlchemy looks the statement up in its compiled cache, expands its IN lists and converts
its rows, and each pool checkout sets and resets the connection's isolation level, about
0.65 ms of an API process's CPU per refused claim of its 2.3 (benchmarks/README_claims.md).
Here a Core statement (still written once, with the models) is rendered for asyncpg when
the module loads and runs on a small pool of asyncpg's own, outside any transaction, or on
a transaction's connection where the read must see its locks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

from asta.core.db import POOL_TIMEOUT_S, application_name, configured_url, libpq_url

# Enough for reads of well under a millisecond each: 4 serve thousands a second.
READ_CONNECTIONS = 4
_size = READ_CONNECTIONS
READ_WAIT_S = POOL_TIMEOUT_S
_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]
_pools: dict[asyncio.AbstractEventLoop, asyncio.Task[asyncpg.Pool]] = {}
_every: list[Precompiled] = []


class Precompiled:
    """A SELECT rendered once for asyncpg; each run binds only the named values."""

    def __init__(self, statement: Select[Any], **placeholders: object) -> None:
        # Placeholder values let SQLAlchemy expand the IN lists once; they are replaced at
        # each run.
        compiled = statement.params(**placeholders).compile(dialect=_DIALECT)
        state = compiled.construct_expanded_state()
        self.sql: str = state.statement
        expanded_from = {part: name for name, parts in state.parameter_expansion.items()
                         for part in parts}
        slots: list[tuple[str | None, object]] = []
        for name in state.positiontup or ():
            if name in placeholders:
                slots.append((name, None))
            else:
                value = state.parameters[name]
                bind = compiled.binds[expanded_from.get(name, name)]
                process = bind.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
                slots.append((None, process(value) if process else value))
        self._slots = tuple(slots)
        self._placeholders = placeholders
        _every.append(self)

    def arguments(self, values: Mapping[str, object]) -> list[object]:
        return [values[name] if name is not None else constant
                for name, constant in self._slots]

    async def fetch(self, connection: asyncpg.Connection,
                    **values: object) -> list[asyncpg.Record]:
        return await connection.fetch(self.sql, *self.arguments(values))  # type: ignore[no-any-return]


class _ReadConnection(asyncpg.Connection):  # type: ignore[misc]
    """Reads set nothing on the session (no SET, LISTEN, advisory lock or cursor), so a
    connection goes back to the pool without asyncpg's reset query: a round trip saved per
    read."""

    def get_reset_query(self) -> str:
        return ""


def configure(budget: int) -> int:
    """Size the read pool within a process's connection budget; returns its size."""
    global _size
    _size = max(1, min(READ_CONNECTIONS, budget // 4))
    return _size


def pool_size() -> int:
    return _size


async def warm(connection: asyncpg.Connection) -> None:
    """Run every hot read once on a new connection (with its placeholders: no rows), so its
    backend has parsed them and loaded the tables' catalog entries before the first rush.
    A cold backend spent about 1.7 ms more of PostgreSQL's CPU per claim in the first 500
    claims after a start (benchmarks/README_claims.md)."""
    for statement in _every:
        await statement.fetch(connection, **statement._placeholders)


async def _open() -> asyncpg.Pool:
    async def codecs(connection: asyncpg.Connection) -> None:
        # As SQLAlchemy's asyncpg dialect decodes them: JSON columns arrive as Python values.
        for kind in ("json", "jsonb"):
            await connection.set_type_codec(kind, encoder=json.dumps, decoder=json.loads,
                                            schema="pg_catalog")

    pool: asyncpg.Pool = await asyncpg.create_pool(
        libpq_url(configured_url()), min_size=_size, max_size=_size,
        init=codecs, connection_class=_ReadConnection,
        server_settings={"application_name": application_name()})
    return pool


@asynccontextmanager
async def read_connection() -> AsyncIterator[asyncpg.Connection]:
    """A connection of this event loop's read pool (opened on first use): no transaction."""
    loop = asyncio.get_running_loop()
    opening = _pools.get(loop)
    if opening is None:
        opening = _pools[loop] = loop.create_task(_open())
    try:
        pool = await opening
    except BaseException:
        _pools.pop(loop, None)  # a database that was down: the next request tries again
        raise
    try:
        acquired = await pool.acquire(timeout=READ_WAIT_S)
    except TimeoutError as exc:
        # Overload, as when the engine's pool runs dry: the same 503 with Retry-After.
        raise PoolTimeoutError(f"no read connection within {READ_WAIT_S} s") from exc
    try:
        yield acquired
    finally:
        await pool.release(acquired)


async def driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under a SQLAlchemy one: a read inside its transaction."""
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def close() -> None:
    """Close this event loop's read pool (with `db.disconnect`)."""
    opening = _pools.pop(asyncio.get_running_loop(), None)
    if opening is not None and not opening.cancelled():
        try:
            pool = await opening
        except Exception:
            return
        await pool.close()
