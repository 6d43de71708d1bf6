"""The embedded PostgreSQL broker's consumers wait for work instead of polling."""

from __future__ import annotations

import dramatiq

from asta.core.pg_broker import BoundedPostgresBroker


def test_a_sub_second_worker_timeout_does_not_make_consumers_spin(
        broker: dramatiq.Broker) -> None:
    assert isinstance(broker, BoundedPostgresBroker)
    consumer = broker.consume("default", timeout=250)  # what the workers ask for
    try:
        # dramatiq-pg waits `timeout` whole seconds on LISTEN; 0 would be a busy loop.
        assert consumer.timeout >= 1
    finally:
        consumer.close()


def run(broker: dramatiq.Broker, sql: str, *params: object) -> int:
    conn = broker.pool.getconn()
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0]) if cursor.description else 0
    finally:
        broker.pool.putconn(conn)


def advisory_locks_held(broker: dramatiq.Broker, pid: int) -> int:
    return run(broker, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s",
               pid)


def test_a_finished_message_leaves_no_lock_behind_however_the_queue_is_scanned(
        broker: dramatiq.Broker) -> None:
    queue = "lock_probe"  # not declared: later tests' workers must not consume it
    for n in range(5):
        broker.enqueue(dramatiq.Message(queue_name=queue, actor_name="probe", args=(n,),
                                        kwargs={}, options={}))
    run(broker, "ANALYZE dramatiq.queue")  # a few rows: PostgreSQL scans the table, no index
    consumer = broker.consume(queue, prefetch=1, timeout=1000)
    try:
        message = next(m for m in consumer if m is not None)
        pid = consumer._consume_conn.info.backend_pid
        assert advisory_locks_held(broker, pid) == 1
        consumer.ack(message)
        consumer.purge_locks()
        # Before, the lock was taken once per queued row scanned and released once.
        assert advisory_locks_held(broker, pid) == 0
    finally:
        consumer.close()
        run(broker, "DELETE FROM dramatiq.queue WHERE queue_name = %s", queue)
