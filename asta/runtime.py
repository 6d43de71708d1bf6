"""Bringing Asta up: the database (embedded or given), migrations, the broker, the worker."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dramatiq

from asta.core import db
from asta.core.config import Settings
from asta.core.embedded_pg import EmbeddedPostgres
from asta.core.jobs import WorkerProcess, activate_broker, make_broker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def progress(message: str) -> None:
    print(f"asta: {message}", file=sys.stderr, flush=True)


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The database URL; starts (and afterwards stops) the embedded server when none is given."""
    if settings.database_url:
        yield settings.database_url
        return
    server = EmbeddedPostgres(settings.data_dir)
    url = server.start(progress)
    try:
        yield url
    finally:
        progress("Stopping the embedded PostgreSQL")
        server.stop()


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", db.sync_url(url).replace("%", "%%"))
    progress("Applying database migrations")
    command.upgrade(config, "heads")


def prepare(settings: Settings, url: str) -> dramatiq.Broker:
    """Configure the database and activate the broker for this process."""
    settings.check()
    db.configure(url)
    return activate_broker(make_broker(settings.broker_url, url))


@contextmanager
def stripe_stand_in(settings: Settings) -> Iterator[None]:
    """Asta's Stripe-compatible server on stripe-mock's port, unless Stripe is configured.

    Development and the demo then pay out for real against local state. A port already in
    use means another Asta process (or stripe-mock) serves it, and is shared.
    """
    if not settings.stripe_stand_in:
        yield
        return
    from urllib.parse import urlsplit

    from asta.payments.test_server import running_test_server

    port = urlsplit(settings.stripe_api_base).port or 12111
    try:
        with running_test_server(port=port):
            progress(f"Stripe stand-in on {settings.stripe_api_base} (set ASTA_STRIPE_API_BASE "
                     "for real Stripe)")
            yield
    except OSError:  # address in use: a stand-in or stripe-mock is already there
        yield


@contextmanager
def worker(broker: dramatiq.Broker, *, threads: int = 4) -> Iterator[WorkerProcess]:
    process = WorkerProcess(broker, threads=threads)
    process.start()
    try:
        yield process
    finally:
        process.stop()
