"""A pooled connection the server closed is replaced at checkout, without a ping per request."""

from __future__ import annotations

import asyncpg
from sqlalchemy import text

from asta.core.db import configured_url, disconnect, libpq_url, unit_of_work


async def test_a_connection_the_server_closed_is_replaced_at_checkout() -> None:
    await disconnect()  # a fresh pool: the one connection below is then the only idle one
    async with unit_of_work() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    admin = await asyncpg.connect(libpq_url(configured_url()))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid) is True
        # Wait until the server has let it go (the client then sees its socket closed).
        await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)
        gone = await admin.fetchval(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)", pid)
    finally:
        await admin.close()
    assert gone is True
    async with unit_of_work() as session:
        fresh = await session.scalar(text("SELECT pg_backend_pid()"))
    assert fresh is not None and fresh != pid
