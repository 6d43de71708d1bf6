"""Dramatiq's PostgreSQL broker (dramatiq-pg), with its advisory locks released as it goes.

dramatiq-pg takes one session-level advisory lock per consumed message and releases the
locks of finished messages only when its consumer finds the queue empty. Under a steady
backlog that moment never comes: locks pile up until PostgreSQL runs out of lock memory and
refuses every connection. This consumer releases them before taking the next message, so a
consumer holds at most its prefetch in locks, whatever the queue's length.

Its claim of a message also took the lock once per queued row whenever PostgreSQL scanned
the queue instead of using the message's index (a small or unanalysed table): the planner
put `pg_try_advisory_lock` before `message_id = ...`, and one release left the lock held.

A retried message keeps its id and moves between a queue and its delay queue. Two more gaps
of dramatiq-pg's consumer lost or doubled such a message, so they are closed here: it claimed
a message by id alone, whichever queue the message had moved to since it was announced; and
it dropped the announcement of a message whose previous try it had not yet acknowledged.
"""

from __future__ import annotations

import logging
from typing import Any

from dramatiq_pg import PostgresBroker
from dramatiq_pg.broker import PostgresConsumer, message_lock
from dramatiq_pg.utils import raise_connection_error, transaction
from psycopg2.extensions import Notify

log = logging.getLogger(__name__)

MIN_WAIT_MS = 1000

# CASE fixes the order: the lock is tried only on the message's own row, once.
CONSUME_ONE = """
UPDATE dramatiq.queue SET "state" = 'consumed', mtime = (now() AT TIME ZONE 'UTC')
WHERE message_id = %(id)s
  AND CASE WHEN message_id = %(id)s AND queue_name = %(queue)s
                AND state IN ('queued', 'consumed')
           THEN pg_try_advisory_lock(%(lock)s) ELSE false END
"""


class _InProcessing(set[str]):
    """An acknowledgement that reaches a restarted consumer (an empty set) has done its work
    in the database; forgetting an id it never held must not raise."""

    def remove(self, message_id: str) -> None:
        self.discard(message_id)


class BoundedLocksConsumer(PostgresConsumer):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.in_processing = _InProcessing()
        # Announced again while its previous try is still being acknowledged: looked at
        # again once it is, instead of dropped (it would wait for the next full scan).
        self._held: dict[str, Any] = {}

    def __next__(self) -> Any:
        if not self.unlock_q.empty():
            self.purge_locks()
        self._release_held()
        if len(self.in_processing) < self.prefetch:
            # dramatiq-pg backs off exponentially while its prefetch is full but never resets
            # the count: after a few busy moments every wait became a second, and a backlog
            # went out in bursts (40 e-mails/s instead of 200).
            self.misses = 0
        return super().__next__()

    def _release_held(self) -> None:
        channel = f"dramatiq.{self.queue_name}.enqueue"
        for message_id in [m for m in self._held if m not in self.in_processing]:
            message = self._held.pop(message_id)
            self.notifies.append(Notify(0, channel, message.encode().decode("utf-8")))

    @raise_connection_error  # type: ignore[untyped-decorator]
    def consume_one(self, message: Any) -> bool:
        if message.message_id in self.in_processing:
            self._held[message.message_id] = message
            return False
        with transaction(self.get_consume_conn()) as cursor:
            cursor.execute(CONSUME_ONE, {"id": message.message_id, "queue": self.queue_name,
                                         "lock": message_lock(message)})
            return bool(cursor.rowcount == 1)

    def close(self) -> None:
        # The connection goes back to a pool and lives on: it must not keep this consumer's
        # locks. A message still being worked on may then be taken again; jobs allow that.
        if self._consume_conn is not None and not self._consume_conn.closed:
            try:
                with self._consume_conn, self._consume_conn.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_all()")
            except Exception:  # a broken connection holds no locks
                log.debug("could not release advisory locks", exc_info=True)
        super().close()


class BoundedPostgresBroker(PostgresBroker):  # type: ignore[misc]
    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 30000) -> Any:
        # dramatiq-pg waits for notifications in whole seconds (timeout // 1000): a worker
        # timeout under a second would make every consumer poll in a busy loop.
        return BoundedLocksConsumer(pool=self.pool, queue_name=queue_name, prefetch=prefetch,
                                    timeout=max(timeout, MIN_WAIT_MS))
