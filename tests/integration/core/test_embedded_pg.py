"""The embedded PostgreSQL: a real server Asta starts, stops, and restarts with its data."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from asta.core.embedded_pg import EmbeddedPostgres


def psql(server: EmbeddedPostgres, sql: str, *,
         password: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `sql` as the superuser over TCP; `password` None means none is offered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSFILE"] = os.devnull  # nothing from a ~/.pgpass either
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-d", "asta",
         "-w", "-tAc", sql], capture_output=True, text=True, check=False, env=env)


def query(server: EmbeddedPostgres, sql: str) -> str:
    result = psql(server, sql, password=server.password)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root the server runs as `postgres`, which cannot enter it.
    path = Path(tempfile.mkdtemp(prefix="asta-embedded-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_data_survives_a_restart(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    try:
        server.start()
        query(server, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
        server.stop()
        assert not (data_dir / "pg" / "postmaster.pid").exists()
        restarted = EmbeddedPostgres(data_dir)
        restarted.start()
        assert query(restarted, "SELECT note FROM kept") == "still here"
        # Row locks and constraints are PostgreSQL's own, not an imitation.
        assert query(restarted, "SHOW server_version").startswith(("15", "16", "17"))
        restarted.stop()
    finally:
        server.stop()


async def test_health_is_503_when_the_database_is_down(client: httpx.AsyncClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable() -> None:
        raise ConnectionRefusedError("database stopped")

    monkeypatch.setattr("asta.operations.services.unit_of_work", unreachable)
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_a_server_left_running_by_a_killed_asta_is_recovered(data_dir: Path) -> None:
    orphan = EmbeddedPostgres(data_dir)
    try:
        orphan.start()
        query(orphan, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from before')")
        # A new Asta process starts while the old server still runs (its owner was killed).
        successor = EmbeddedPostgres(data_dir)
        successor.start()
        assert query(successor, "SELECT note FROM kept") == "from before"
        successor.stop()
    finally:
        orphan.stop()


def test_the_server_asks_for_its_password(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    try:
        url = server.start()
        password = server.password
        assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
        assert len(password) >= 32 and f":{password}@127.0.0.1:" in url
        assert query(server, "SELECT current_user") == "postgres"
        without = psql(server, "SELECT 1")
        assert without.returncode != 0 and "no password supplied" in without.stderr
        wrong = psql(server, "SELECT 1", password="not-the-password")
        assert wrong.returncode != 0
        assert "password authentication failed" in wrong.stderr
        assert query(server, "SHOW listen_addresses") == "127.0.0.1"
    finally:
        server.stop()


def test_a_trust_cluster_made_by_an_older_asta_gets_a_password(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    try:
        server.start()
        query(server, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('old demo')")
        # What older versions left: no password at all, and trust for every local user.
        query(server, "ALTER ROLE postgres PASSWORD NULL")
        server.stop()
        (data_dir / "pg" / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n")
        server.password_file.unlink()

        upgraded = EmbeddedPostgres(data_dir)
        upgraded.start()
        assert psql(upgraded, "SELECT 1").returncode != 0
        assert query(upgraded, "SELECT note FROM kept") == "old demo"
        upgraded.stop()
    finally:
        server.stop()


def test_a_first_start_interrupted_during_initdb_is_redone(data_dir: Path) -> None:
    leftover = data_dir / "pg.initialising"
    leftover.mkdir()
    (leftover / "PG_VERSION").write_text("15\n")  # half of a cluster, killed mid-initdb
    server = EmbeddedPostgres(data_dir)
    try:
        server.start()
        assert query(server, "SELECT 1") == "1"
        assert not leftover.exists()
    finally:
        server.stop()
