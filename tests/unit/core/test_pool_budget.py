"""Each API process's pool: N of them fit PostgreSQL's connection limit."""

from __future__ import annotations

import pytest

from asta.core.pool_budget import MAX_OVERFLOW, MAX_POOL, RESERVED, pool_for


@pytest.mark.parametrize(("max_connections", "processes", "pool", "overflow"), [
    (200, 1, MAX_POOL, MAX_OVERFLOW),  # the embedded PostgreSQL, one process: as before
    (200, 2, 20, 20),
    (200, 8, 10, 11),
    (100, 16, 2, 2),
    (30, 2, 1, 1),  # a tiny server still gets a working pool
])
def test_pool_for(max_connections: int, processes: int, pool: int, overflow: int) -> None:
    size = pool_for(max_connections, processes)
    assert (size.pool_size, size.max_overflow) == (pool, overflow)


@pytest.mark.parametrize("processes", [1, 2, 3, 4, 8, 16])
@pytest.mark.parametrize("max_connections", [100, 200, 500])
def test_all_processes_fit_beside_the_reserve(max_connections: int, processes: int) -> None:
    assert pool_for(max_connections, processes).most * processes <= max_connections - RESERVED


def test_no_processes_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        pool_for(200, 0)
