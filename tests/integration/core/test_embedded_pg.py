"""The embedded PostgreSQL: a real server Asta starts, stops, and restarts with its data."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from asta.core.embedded_pg import EmbeddedPostgres


def psql(server: EmbeddedPostgres, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-d", "asta",
         "-tAc", sql], capture_output=True, text=True, check=True).stdout.strip()


def test_data_survives_a_restart() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="asta-restart-"))
    data_dir.chmod(0o755)
    server = EmbeddedPostgres(data_dir)
    try:
        server.start()
        psql(server, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
        server.stop()
        assert not (data_dir / "pg" / "postmaster.pid").exists()
        restarted = EmbeddedPostgres(data_dir)
        restarted.start()
        assert psql(restarted, "SELECT note FROM kept") == "still here"
        # Row locks and constraints are PostgreSQL's own, not an imitation.
        assert psql(restarted, "SHOW server_version").startswith(("15", "16", "17"))
        restarted.stop()
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


async def test_health_is_503_when_the_database_is_down(client: httpx.AsyncClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable() -> None:
        raise ConnectionRefusedError("database stopped")

    monkeypatch.setattr("asta.operations.services.unit_of_work", unreachable)
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_a_server_left_running_by_a_killed_asta_is_recovered() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="asta-orphan-"))
    data_dir.chmod(0o755)
    orphan = EmbeddedPostgres(data_dir)
    try:
        orphan.start()
        psql(orphan, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from before')")
        # A new Asta process starts while the old server still runs (its owner was killed).
        successor = EmbeddedPostgres(data_dir)
        successor.start()
        assert psql(successor, "SELECT note FROM kept") == "from before"
        successor.stop()
    finally:
        orphan.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
