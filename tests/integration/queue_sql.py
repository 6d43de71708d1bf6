"""SQL on the PostgreSQL broker's own connections, for tests that look into its queue."""

from __future__ import annotations

import dramatiq


def queue_sql(broker: dramatiq.Broker, sql: str, *params: object) -> int:
    """Run `sql` in its own transaction; the first column of its first row, else 0."""
    conn = broker.pool.getconn()
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0]) if cursor.description else 0
    finally:
        broker.pool.putconn(conn)
