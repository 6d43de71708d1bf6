"""The Redis broker (ASTA_BROKER_URL=redis://...) runs a real job end to end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import dramatiq
import pytest
import redis

from asta.core.jobs import WorkerProcess, make_broker


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is installed by scripts/install-system.sh --test"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_a_job_runs_through_redis(redis_url: str, database_url: str) -> None:
    broker = make_broker(redis_url, database_url)
    results: list[int] = []

    @dramatiq.actor(broker=broker, queue_name="redis-test")
    def add(a: int, b: int) -> None:
        results.append(a + b)

    worker = WorkerProcess(broker, threads=1, periodic=False)
    worker.start()
    try:
        add.send(2, 3)
        deadline = time.monotonic() + 20
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert results == [5]
