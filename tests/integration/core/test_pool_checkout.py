"""A pooled connection the server closed is replaced at checkout, without a ping per request
(the engine's pool and the read pool)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from asta.core import db, hot_reads
from asta.core.db import (
    application_name,
    configured_url,
    disconnect,
    libpq_url,
    open_pools,
    unit_of_work,
)
from asta.core.hot_reads import READ_CONNECTIONS, driver_connection, read_connection
from tests import factories


async def _terminate_and_see_closed(pids: list[int], clients: list[asyncpg.Connection]) -> None:
    """Terminate the backends and wait until this process has read their sockets' end: a
    backend leaves pg_stat_activity before it closes its socket, and until the client reads
    the end a connection is not yet closed, only failed (CI, stop 34)."""
    admin = await asyncpg.connect(libpq_url(configured_url()))
    try:
        assert await admin.fetchval("SELECT count(*) FROM (SELECT pg_terminate_backend(p) "
                                    "FROM unnest($1::int[]) p) t", pids) == len(pids)
    finally:
        await admin.close()
    for _ in range(400):
        if all(_closed(client) for client in clients):
            break
        await asyncio.sleep(0.05)
    assert all(_closed(client) for client in clients)


def _closed(client: asyncpg.Connection) -> bool:
    try:
        return client.is_closed()
    except asyncpg.InterfaceError:  # a pool's proxy is detached when its connection closes
        return True


async def test_a_connection_the_server_closed_is_replaced_at_checkout() -> None:
    await disconnect()  # a fresh pool: the one connection below is then the only idle one
    async with unit_of_work() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        client = await driver_connection(await session.connection())
    await _terminate_and_see_closed([pid], [client])
    async with unit_of_work() as session:
        fresh = await session.scalar(text("SELECT pg_backend_pid()"))
    assert fresh is not None and fresh != pid


async def test_the_read_pool_replaces_connections_the_server_closed() -> None:
    await disconnect()
    async with AsyncExitStack() as stack:  # every connection of the pool at once
        held = [await stack.enter_async_context(read_connection())
                for _ in range(READ_CONNECTIONS)]
        pids = [await connection.fetchval("SELECT pg_backend_pid()") for connection in held]
        await _terminate_and_see_closed(pids, held)
    async with read_connection() as connection:
        fresh = await connection.fetchval("SELECT pg_backend_pid()")
    assert fresh not in pids


async def test_a_serving_process_opens_its_pools_before_its_first_request() -> None:
    await disconnect()
    admin = await asyncpg.connect(libpq_url(configured_url()))
    try:
        mine = "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
        before = await admin.fetchval(mine, application_name())
        await open_pools()
        opened = await admin.fetchval(mine, application_name()) - before
    finally:
        await admin.close()
    assert opened == hot_reads.pool_size() + db.pool_size()


async def test_a_request_that_finds_every_read_connection_busy_is_told_to_retry(
        client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hot_reads, "READ_WAIT_S", 0.05)
    person = await factories.professional()
    async with AsyncExitStack() as stack:
        for _ in range(hot_reads.pool_size()):
            await stack.enter_async_context(read_connection())
        busy = await client.get("/api/me", headers=factories.auth(person))
    assert (busy.status_code, busy.headers.get("retry-after")) == (503, "1")
    assert (await client.get("/api/me", headers=factories.auth(person))).status_code == 200
