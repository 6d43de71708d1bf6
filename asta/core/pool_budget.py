"""How many database connections each API process may hold, so that N of them fit.

PostgreSQL refuses connections past `max_connections`; a burst that opens every pool's
overflow at once must not reach it. The budget is split evenly between the API processes
after leaving room for the job worker, migrations and an operator's psql.
"""

from __future__ import annotations

from dataclasses import dataclass

# A process never needs more: past ~20 connections on a 2-4 core machine the extra
# transactions only queue inside PostgreSQL instead of in the pool.
MAX_POOL = 20
MAX_OVERFLOW = 20
# The in-process job worker (its threads' engines and the broker's pool), `asta migrate`,
# and an operator's psql, beside PostgreSQL's own superuser reserve.
RESERVED = 30


@dataclass(frozen=True)
class PoolSize:
    pool_size: int
    max_overflow: int

    @property
    def most(self) -> int:
        return self.pool_size + self.max_overflow


def pool_for(max_connections: int, processes: int, *, reserved: int = RESERVED) -> PoolSize:
    """Each of `processes` API processes' pool, all together within `max_connections`."""
    if processes < 1:
        raise ValueError("at least one process")
    share = max(2, (max_connections - reserved) // processes)
    pool_size = min(MAX_POOL, max(1, share // 2) if share < 2 * MAX_POOL else MAX_POOL)
    return PoolSize(pool_size, min(MAX_OVERFLOW, share - pool_size))
