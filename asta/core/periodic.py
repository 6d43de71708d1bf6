"""Periodic jobs that run once per period, however many workers run.

Every worker has a scheduler thread, but a run is enqueued only by the worker whose UPDATE
moves that job's `next_run_at` forward: one statement, on the database's clock, so two
workers (or machines with skewed clocks) cannot both win a period. A library was considered
(dramatiq-crontab and APScheduler): the first needs Redis for its lock and the second does
not coordinate schedulers in separate processes; this row is the whole mechanism.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dramatiq
import psycopg2
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import timestamp_field
from asta.core.outbox import WORKER

log = logging.getLogger(__name__)

TICK_S = 1.0
LONGEST_RUN_S = 15 * 60


class PeriodicRun(SQLModel, table=True):
    __tablename__ = "periodic_runs"
    name: str = Field(primary_key=True, max_length=200)
    next_run_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    last_run_at: datetime | None = timestamp_field()
    last_run_by: str | None = Field(default=None, max_length=80)
    runs: int = 0  # periods claimed so far: operators (and tests) see that each ran once


@dataclass(frozen=True)
class Periodic:
    """An actor enqueued every `every_s` seconds, by one worker per period."""

    actor: dramatiq.Actor[Any, Any]
    every_s: float

    @property
    def name(self) -> str:
        return self.actor.actor_name


def time_limit_ms(every_s: float) -> int:
    """A run may take its period (at least a minute, at most 15): then the next one is due."""
    return int(min(max(every_s, 60), LONGEST_RUN_S) * 1000)


def ensure_rows(cursor: Any, jobs: list[Periodic]) -> None:
    cursor.execute("INSERT INTO periodic_runs (name, next_run_at, runs) "
                   "SELECT unnest(%s::text[]), now(), 0 ON CONFLICT (name) DO NOTHING",
                   ([job.name for job in jobs],))


def claim_due_periods(cursor: Any, jobs: list[Periodic]) -> set[str]:
    """The jobs whose current period this worker won, in one statement (the caller commits)."""
    cursor.execute(
        "UPDATE periodic_runs AS p SET next_run_at = now() + make_interval(secs => j.every), "
        "       last_run_at = now(), last_run_by = %s, runs = p.runs + 1 "
        "  FROM unnest(%s::text[], %s::float8[]) AS j(name, every) "
        " WHERE p.name = j.name AND p.next_run_at <= now() RETURNING p.name",
        (WORKER, [job.name for job in jobs], [job.every_s for job in jobs]))
    return {row[0] for row in cursor.fetchall()}


class Scheduler:
    """The thread that enqueues due periodic jobs; a database hiccup only delays them."""

    def __init__(self, jobs: Iterable[Periodic], dsn: Callable[[], str]) -> None:
        self._jobs = list(jobs)
        self._dsn = dsn
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="asta-periodic", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        connection = None
        while not self._stop.wait(TICK_S):
            try:
                if connection is None or connection.closed:
                    # Named after the process: which one runs the scheduler shows in PostgreSQL.
                    connection = psycopg2.connect(
                        self._dsn(), application_name=f"asta-periodic-{os.getpid()}")
                    with connection, connection.cursor() as cursor:
                        ensure_rows(cursor, self._jobs)
                self._tick(connection)
            except Exception:  # the database may be down: try again next tick
                log.warning("periodic scheduler could not run", exc_info=True)
                if connection is not None:
                    connection.close()
                    connection = None
        if connection is not None:
            connection.close()

    def _tick(self, connection: Any) -> None:
        with connection, connection.cursor() as cursor:
            won = claim_due_periods(cursor, self._jobs)
        for job in self._jobs:
            if job.name in won:
                job.actor.send()
