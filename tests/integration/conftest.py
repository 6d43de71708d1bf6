"""Test harness: one real PostgreSQL per test session, schema built by the migrations.

Set ASTA_TEST_DATABASE_URL to use an existing (empty, disposable) database instead of a
server started here (one test process: `-n 0`). In a parallel run (`pytest -n`) each
process starts its own server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import dramatiq
import httpx
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from asta import runtime
from asta.core import db
from asta.core.config import get_settings
from asta.core.embedded_pg import EmbeddedPostgres
from asta.core.jobs import WorkerProcess
from tests.integration.mail import mail_server, smtp  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    given = os.environ.get("ASTA_TEST_DATABASE_URL")
    if given and os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") != "1":
        # Each test empties the tables it used: two processes on one database would
        # empty each other's.
        pytest.fail("ASTA_TEST_DATABASE_URL is one database for one test process: "
                    "run pytest with -n 0", pytrace=False)
    if given:
        runtime.migrate(given)
        yield given
        return
    # Not pytest's tmp_path: as root the server runs as `postgres`, which cannot enter it.
    data_dir = Path(tempfile.mkdtemp(prefix="asta-test-pg-"))
    data_dir.chmod(0o755)
    server = EmbeddedPostgres(data_dir, durable=False)
    url = server.start()
    try:
        runtime.migrate(url)
        yield url
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def broker(database_url: str) -> dramatiq.Broker:
    return runtime.prepare(get_settings(), database_url)


@pytest.fixture(autouse=True)
async def clean_database(broker: dramatiq.Broker) -> AsyncIterator[None]:
    """Every test starts from empty tables and leaves none of its rows behind."""
    yield
    await empty_tables()


async def empty_tables() -> None:
    names = [t.name for t in SQLModel.metadata.sorted_tables] + ["dramatiq.queue"]
    # Truncating only the tables a test wrote to keeps cleanup cheap for small tests.
    probe = " UNION ALL ".join(
        f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM {n})" for n in names)
    async with db.unit_of_work() as session:
        used = [row[0] for row in await session.execute(text(probe))]
        if used:
            await session.execute(text(f"TRUNCATE {', '.join(used)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def app(broker: dramatiq.Broker):  # type: ignore[no-untyped-def]
    from asta.app import create_app

    return create_app()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asta.test") as c:
        yield c


@contextmanager
def _running_worker(broker: dramatiq.Broker, *, periodic: bool) -> Iterator[WorkerProcess]:
    process = WorkerProcess(broker, threads=2, periodic=periodic)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def worker(broker: dramatiq.Broker) -> Iterator[WorkerProcess]:
    """A real Dramatiq worker on the test broker, in this process, for one test."""
    with _running_worker(broker, periodic=False) as process:
        yield process


@pytest.fixture
def periodic_worker(broker: dramatiq.Broker) -> Iterator[WorkerProcess]:
    """A worker that also runs the periodic jobs (outbox sweep, expiry warnings, ...)."""
    with _running_worker(broker, periodic=True) as process:
        yield process
