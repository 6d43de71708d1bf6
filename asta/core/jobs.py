"""The Dramatiq broker, actor registration, and a unit of work for actors.

Actors are declared at import time, but the broker's address is only known at startup (the
embedded database picks its port then), so actors are collected here and declared on the real
broker by `activate_broker`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware.asyncio import AsyncIO
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.db import application_name, configured_url, libpq_url
from asta.core.periodic import Periodic, Scheduler, time_limit_ms

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# A placeholder so that modules defining actors can be imported before startup.
_placeholder = StubBroker()
_placeholder.add_middleware(AsyncIO())
dramatiq.set_broker(_placeholder)
_actors: list[dramatiq.Actor[Any, Any]] = []


def actor(**options: Any) -> Callable[[Callable[P, Any]], dramatiq.Actor[P, Any]]:
    """Declare a Dramatiq actor; enqueue ids, never ORM objects."""

    def decorate(fn: Callable[P, Any]) -> dramatiq.Actor[P, Any]:
        declared: dramatiq.Actor[P, Any] = dramatiq.actor(fn, broker=_placeholder, **options)
        _actors.append(declared)
        return declared

    return decorate


_PENDING_SENDS = "asta.jobs.after_commit"


def send_after_commit(session: AsyncSession, declared: dramatiq.Actor[..., Any],
                      *args: Any) -> None:
    """Send the job once the session's transaction has committed, once however often asked.

    A job sent earlier could start before the rows it works on are visible, and one sent from
    a transaction that rolls back would work on nothing. The job's periodic sweep stays the
    safety net, also for a send that fails here (the commit has happened; the user's request
    must not fail for it).
    """
    pending: set[tuple[str, tuple[Any, ...]]] = session.info.setdefault(_PENDING_SENDS, set())
    key = (declared.actor_name, args)
    if key in pending:
        return
    pending.add(key)

    def send(_: object) -> None:
        pending.discard(key)
        try:
            declared.send(*args)
        except Exception:
            log.warning("could not send %s%r after commit; its sweep will", declared.actor_name,
                        args, exc_info=True)

    event.listen(session.sync_session, "after_commit", send, once=True)


def make_broker(broker_url: str | None, database_url: str) -> dramatiq.Broker:
    """Redis when ASTA_BROKER_URL says so, else a broker kept in Asta's own PostgreSQL."""
    broker: dramatiq.Broker
    if broker_url and broker_url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=broker_url)
    elif broker_url and not broker_url.startswith(("postgres://", "postgresql")):
        raise ValueError(f"ASTA_BROKER_URL must be redis://... or postgresql://..., got {broker_url!r}")
    else:
        from asta.core.pg_broker import BoundedPostgresBroker

        broker = BoundedPostgresBroker(url=_named(libpq_url(broker_url or database_url)))
    # Prometheus (a default when prometheus_client is installed) expects its own exporter
    # process and breaks in-process workers; Asta does not export Dramatiq metrics.
    broker.middleware = [m for m in broker.middleware if type(m).__name__ != "Prometheus"]
    broker.add_middleware(AsyncIO())
    return broker


def _named(url: str) -> str:
    """The broker's connections carry the process's name too: which process listens for jobs."""
    return f"{url}{'&' if '?' in url else '?'}application_name={application_name()}"


def activate_broker(broker: dramatiq.Broker) -> dramatiq.Broker:
    import asta.jobs_registry  # noqa: F401 - imports every module that declares actors

    dramatiq.set_broker(broker)
    for declared in _actors:
        declared.broker = broker
        broker.declare_actor(declared)
    return broker


def broker_is_healthy(broker: dramatiq.Broker) -> bool:
    """Cheap liveness probe of the broker's backing service."""
    try:
        client = getattr(broker, "client", None)
        if client is not None:  # Redis
            return bool(client.ping())
        pool = getattr(broker, "pool", None)
        if pool is not None:  # PostgreSQL
            conn = pool.getconn()
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM dramatiq.queue WHERE false")
                conn.rollback()
            finally:
                pool.putconn(conn)
            return True
        return True
    except Exception:  # any failure means unhealthy; the caller reports it
        log.warning("broker health check failed", exc_info=True)
        return False


_periodic: list[Periodic] = []


def every(seconds: float) -> Callable[[dramatiq.Actor[P, R]], dramatiq.Actor[P, R]]:
    """Run the actor every `seconds`, once per period across all workers, bounded in time."""

    def register(declared: dramatiq.Actor[P, R]) -> dramatiq.Actor[P, R]:
        declared.options.setdefault("time_limit", time_limit_ms(seconds))
        _periodic.append(Periodic(declared, seconds))
        return declared

    return register


class WorkerProcess:
    """A Dramatiq worker plus the scheduler of periodic jobs; runs inside any process."""

    def __init__(self, broker: dramatiq.Broker, *, threads: int = 4, periodic: bool = True):
        self.worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=250)
        self._scheduler = (Scheduler(_periodic, lambda: libpq_url(configured_url()))
                           if periodic else None)

    def start(self) -> None:
        self.worker.start()
        if self._scheduler is not None:
            self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        self.worker.stop(timeout=10_000)
        # Dramatiq leaves the stopped worker's hook on the broker: a queue declared later
        # would start a consumer for it that takes messages nobody works on.
        broker = self.worker.broker
        broker.middleware = [m for m in broker.middleware if getattr(m, "worker", None) is not self.worker]
