"""Bringing Asta up: the database (embedded or given), migrations, the broker, the worker.

`serving` is `asta serve`'s: it owns the data dir and starts what an instance needs.
`database` is for one-off commands, `attached` for `asta worker`: both use what a running
`asta serve` recorded, and never stop what they did not start.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dramatiq

from asta.core import db, hot_reads
from asta.core.config import Settings, use_smtp_port, use_stripe_api_base
from asta.core.embedded_pg import EmbeddedPostgres
from asta.core.instance import (
    InstanceError,
    InstanceRecord,
    is_owned,
    owning,
    read_record,
    running_instance,
)
from asta.core.jobs import WorkerProcess, activate_broker, make_broker
from asta.core.pool_budget import MAX_OVERFLOW, MAX_POOL, PoolSize, pool_for

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# How long stopping waits for running jobs; one still running after it is abandoned as if
# the worker were killed (its message and outbox row are picked up again later). Short
# enough that Ctrl+C on a busy demo still returns within 3 s.
WORKER_DRAIN_S = 1.5
# How long `asta worker` waits for an `asta serve` that is still starting.
STARTING_WAIT_S = 120.0
WEBHOOK_PATH = "/api/webhooks/stripe"  # StripeWebhookController's path
# The stand-in pays a balance out to the bank in seconds, where Stripe takes a day or two,
# so the demo shows the whole way of the pay.
STAND_IN_PAYOUT_DELAY_S = 3.0


def progress(message: str) -> None:
    print(f"asta: {message}", file=sys.stderr, flush=True)


@contextmanager
def embedded_database(data_dir: Path) -> Iterator[str]:
    """Start the embedded PostgreSQL; stop it (fast shutdown) however the block ends."""
    server = EmbeddedPostgres(data_dir)
    try:
        yield server.start(progress)
    finally:
        progress("Stopping the embedded PostgreSQL")
        server.stop()


@contextmanager
def serving(settings: Settings, own_url: str | None = None) -> Iterator[str]:
    """The migrated database, Stripe stand-in and mail catcher of one Asta instance; yields
    the database URL. The stand-in sends its webhooks to `own_url`, this server.

    Starts the embedded database, the stand-in and the catcher as needed, then records them in the data
    dir for `asta worker`. Refuses when another live Asta owns the data dir.
    """
    settings.check()
    with ExitStack() as stack:
        ownership = None
        if settings.embedded_database or settings.stripe_stand_in or settings.mail_catcher:
            ownership = stack.enter_context(owning(settings.data_dir))
        url = settings.database_url or stack.enter_context(embedded_database(settings.data_dir))
        migrate(url)
        stripe_api_base = stack.enter_context(stripe_stand_in(settings, own_url))
        if stripe_api_base:
            use_stripe_api_base(stripe_api_base)
        catcher_port = stack.enter_context(mail_catcher(settings))
        if catcher_port:
            use_smtp_port(catcher_port)
        if ownership is not None:
            # A plain libpq URL: operators can hand it to psql as it is.
            ownership.publish(database_url=None if settings.database_url else db.libpq_url(url),
                              stripe_api_base=stripe_api_base, mail_catcher_port=catcher_port)
            # Withdrawn first on the way out, so no worker attaches to a stopping database.
            stack.callback(ownership.withdraw)
        yield url


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """For one-off commands: the given database, the running instance's, or the embedded one
    started (and stopped) around the command."""
    if settings.database_url:
        yield settings.database_url
        return
    running = running_instance(settings.data_dir)
    if running is not None and running.database_url:
        yield running.database_url
        return
    with owning(settings.data_dir), embedded_database(settings.data_dir) as url:
        yield url


def attached(settings: Settings) -> tuple[str, InstanceRecord | None]:
    """The database URL `asta worker` uses, and the record of the running instance it
    depends on (None when the database and Stripe are both configured). Raises
    InstanceError, saying what to do, when it needs an instance and none runs."""
    if settings.database_url and not settings.stripe_stand_in:
        running = running_instance(settings.data_dir) if settings.mail_catcher else None
        if running is not None and running.mail_catcher_port:
            use_smtp_port(running.mail_catcher_port)
        return settings.database_url, None
    record = _wait_while_starting(settings.data_dir)
    where = f"the Asta running from {settings.data_dir}"
    if record is None:
        raise InstanceError(
            f"no Asta is running from {settings.data_dir}: start `asta serve` first, or set "
            "ASTA_DATABASE_URL (and ASTA_STRIPE_API_BASE) for the worker")
    url = settings.database_url or record.database_url
    if url is None:
        raise InstanceError(f"{where} (pid {record.pid}) uses ASTA_DATABASE_URL: set the "
                            "same for the worker")
    if settings.stripe_stand_in:
        if record.stripe_api_base is None:
            raise InstanceError(f"{where} (pid {record.pid}) uses ASTA_STRIPE_API_BASE: set "
                                "the same for the worker")
        use_stripe_api_base(record.stripe_api_base)
    if settings.mail_catcher and record.mail_catcher_port:
        use_smtp_port(record.mail_catcher_port)
    return url, record


def _wait_while_starting(data_dir: Path) -> InstanceRecord | None:
    """The record of the data dir's live owner, waiting while it is still starting."""
    deadline = time.monotonic() + STARTING_WAIT_S
    announced = False
    while True:
        record = read_record(data_dir)
        if not is_owned(data_dir):
            return None  # a record without its owner is what a killed Asta left
        if record is not None or time.monotonic() > deadline:
            return record
        if not announced:
            progress(f"Waiting for the Asta starting in {data_dir}")
            announced = True
        time.sleep(0.5)


def still_running(data_dir: Path, record: InstanceRecord) -> bool:
    """False once the instance a worker attached to has stopped (or was replaced)."""
    return running_instance(data_dir) == record


def api_pool(settings: Settings, url: str, processes: int) -> PoolSize:
    """Each API process's pool: N of them within this machine's share of the database's
    connections (ASTA_DB_CONNECTIONS, else PostgreSQL's own max_connections)."""
    budget = settings.db_connections
    if budget is None:
        import psycopg2

        with psycopg2.connect(db.libpq_url(url)) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW max_connections")
            row = cursor.fetchone()
        connection.close()
        budget = int(row[0]) if row else MAX_POOL + MAX_OVERFLOW
    return pool_for(budget, processes)


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", db.sync_url(url).replace("%", "%%"))
    progress("Applying database migrations")
    command.upgrade(config, "heads")


def prepare(settings: Settings, url: str, *, pool: PoolSize | None = None) -> dramatiq.Broker:
    """Configure the database and activate the broker for this process."""
    settings.check()
    pool = pool or PoolSize(MAX_POOL, MAX_OVERFLOW)
    # The whole budget kept open: overflow connections close when a burst ends and the next
    # burst opens them again, each a new backend (fork, authentication, cold catalog caches)
    # and asyncpg's type introspection, dearer than a hundred claims' reads
    # (benchmarks/README_claims.md). Idle ones cost PostgreSQL a little memory only. The
    # read pool (asta.core.hot_reads) takes its few from the same share.
    reads = hot_reads.configure(pool.most)
    db.configure(url, pool_size=max(1, pool.most - reads), max_overflow=0)
    return activate_broker(make_broker(settings.broker_url, url))


@contextmanager
def stripe_stand_in(settings: Settings, own_url: str | None = None) -> Iterator[str | None]:
    """Asta's own Stripe-compatible server on a free port, unless Stripe is configured;
    yields its URL (None when not running).

    Development and the demo then pay out for real against local state. One per instance:
    a port shared between instances would lose one's Stripe state when the other stops.
    Like Stripe, it signs and sends its events (e.g. `account.updated` once onboarding is
    done) to the server's webhook endpoint at `own_url`.
    """
    if not settings.stripe_stand_in:
        yield None
        return
    from asta.payments.test_server import ServerConfig, running_test_server

    config = ServerConfig(
        webhook_url=f"{own_url.rstrip('/')}{WEBHOOK_PATH}" if own_url else None,
        webhook_secret=settings.stripe_webhook_secret,
        automatic_payouts_after_s=STAND_IN_PAYOUT_DELAY_S)
    with running_test_server(config) as url:
        progress(f"Stripe stand-in on {url} (set ASTA_STRIPE_API_BASE for real Stripe)")
        yield url


@contextmanager
def mail_catcher(settings: Settings) -> Iterator[int | None]:
    """In development without SMTP settings: catch Asta's own e-mail on a free loopback
    port and keep it for /dev/mail; yields the port (None when SMTP is configured)."""
    if not settings.mail_catcher:
        yield None
        return
    from asta.devmail import running_mail_catcher

    with running_mail_catcher(settings.caught_mail_dir) as port:
        progress(f"E-mail is caught on 127.0.0.1:{port}: read it at /dev/mail as the operator "
                 f"(files in {settings.caught_mail_dir}; set ASTA_SMTP_HOST to send it)")
        yield port


@contextmanager
def worker(broker: dramatiq.Broker, *, threads: int = 4) -> Iterator[WorkerProcess]:
    process = WorkerProcess(broker, threads=threads)
    process.start()
    try:
        yield process
    finally:
        abandoned = threading.Event()

        def stop() -> None:
            try:
                process.stop()
            except Exception:
                # Once abandoned, its database is being stopped under it: expected, not news.
                if not abandoned.is_set():
                    raise

        # Bounded: a job still running after WORKER_DRAIN_S must not keep Asta from exiting.
        stopping = threading.Thread(target=stop, name="asta-worker-stop", daemon=True)
        stopping.start()
        stopping.join(WORKER_DRAIN_S)
        if stopping.is_alive():
            abandoned.set()
            progress(f"Jobs still running after {WORKER_DRAIN_S} s are left to be retried")
            # Their failures once the database stops are expected by now, not news.
            for name in ("dramatiq", "dramatiq_pg"):
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
