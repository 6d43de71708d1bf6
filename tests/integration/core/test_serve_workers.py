"""`asta serve --workers 2`: two API processes answer on one port, and only the parent
runs the job worker (the scheduler's connection carries the parent's pid)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psycopg2
import pytest

from tests.integration.core.test_serve_process import (
    data_dir,
    free_port,
    log_of,
    postgres_processes,
    start,
    wait_until,
)

__all__ = ["data_dir"]
STOP_WAIT_S = 60.0
"""pg_ctl's own wait for a stop (a fast shutdown still writes a checkpoint). 30 s was once too
short in CI on the shared machine (2026-12-02, beside the slowest tests; no log was captured
then: a timeout now fails with the server's log)."""
STARTED = "Application startup complete."


def api_children(parent: int) -> list[int]:
    """The parent's spawned API processes (not multiprocessing's resource tracker)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            argv = (proc / "cmdline").read_bytes()
        except (FileNotFoundError, NotADirectoryError, PermissionError, ProcessLookupError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in argv:
            found.append(int(proc.name))
    return sorted(found)


def job_workers(database_url: str) -> set[str]:
    """Processes running the periodic scheduler, which starts and stops with the job worker
    (its connection is named after the process)."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT application_name FROM pg_stat_activity "
                       "WHERE application_name LIKE 'asta-periodic-%'")
        names = {row[0] for row in cursor.fetchall()}
    connection.close()
    return names


@pytest.mark.slow
def test_two_api_processes_share_the_port_and_one_job_worker_runs(data_dir: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(data_dir, "serve", "--port", str(port), "--workers", "2", log="serve.log")
    log = data_dir / "serve.log"
    try:
        def healthy() -> bool:
            try:
                return httpx.get(f"{base}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(healthy, server, log, "healthy server")
        wait_until(lambda: len(api_children(server.pid)) == 2, server, log, "two API processes")
        children = api_children(server.pid)
        # Both answer: a burst of concurrent requests lands on each of them.
        with httpx.Client(base_url=base, timeout=10) as client:
            assert all(client.get("/api/shifts").status_code == 401 for _ in range(20))
        from asta.core.instance import read_record

        record = read_record(data_dir)
        assert record is not None and record.database_url
        wait_until(lambda: job_workers(record.database_url or "") != set(), server,
                   log, "job worker")
        assert job_workers(record.database_url) == {f"asta-periodic-{server.pid}"}
        assert "2 API processes" in log_of(data_dir, "serve.log")

        # A killed API process is replaced; the job worker is not duplicated.
        started = log_of(data_dir, "serve.log").count(STARTED)
        os.kill(children[0], signal.SIGKILL)
        # Stopped only once the replacement has started: one still importing the app
        # answers SIGTERM only after that, which on a busy machine takes a while.
        wait_until(lambda: log_of(data_dir, "serve.log").count(STARTED) > started
                   and len(api_children(server.pid)) == 2
                   and children[0] not in api_children(server.pid), server, log,
                   "replaced API process")
        wait_until(healthy, server, log, "healthy server after the replacement")
        assert job_workers(record.database_url) == {f"asta-periodic-{server.pid}"}

        sent = time.monotonic()
        server.send_signal(signal.SIGTERM)
        # Generous: each API process finishes its requests (2 s grace) before the parent
        # stops the job worker and PostgreSQL, and the shared machine is slow to reap.
        try:
            code = server.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"not stopped within {STOP_WAIT_S} s:\n{log_of(data_dir, 'serve.log')[-3000:]}")
        assert code == 0, log_of(data_dir, "serve.log")[-3000:]
        took = time.monotonic() - sent
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert api_children(server.pid) == []
    assert postgres_processes(data_dir) == []
    assert took < STOP_WAIT_S, f"stopping took {took:.2f} s"
