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
def worker(broker: dramatiq.Broker, *, threads: int = 4) -> Iterator[WorkerProcess]:
    process = WorkerProcess(broker, threads=threads)
    process.start()
    try:
        yield process
    finally:
        process.stop()
