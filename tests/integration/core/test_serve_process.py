"""`asta serve` on an embedded data dir, as an operator runs it: stopping it by signal,
and `asta worker` beside it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from asta.core.embedded_pg import EmbeddedPostgres

ASTA = [sys.executable, "-m", "asta.cli"]
STOP_LIMIT_S = 3.0  # an idle Asta stops within this after SIGINT or SIGTERM
START_LIMIT_S = 180.0


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root, PostgreSQL runs as `postgres`, which must enter it.
    path = Path(tempfile.mkdtemp(prefix="asta-serve-"))
    path.chmod(0o755)
    yield path
    EmbeddedPostgres(path).stop()  # only if a failed test left it running
    shutil.rmtree(path, ignore_errors=True)


def asta_env(data_dir: Path) -> dict[str, str]:
    drop = ("ASTA_DATABASE_URL", "ASTA_STRIPE_API_BASE", "ASTA_BROKER_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "ASTA_DATA_DIR": str(data_dir), "ASTA_SMTP_PORT": "9",
            "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(data_dir: Path, *args: str, log: str) -> subprocess.Popen[bytes]:
    """An `asta` command in its own session (as in its own terminal), output to `log`."""
    with (data_dir / log).open("wb") as out:
        return subprocess.Popen([*ASTA, *args], env=asta_env(data_dir), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until(condition, process: subprocess.Popen[bytes], log: Path,  # type: ignore[no-untyped-def]
               what: str) -> None:
    deadline = time.monotonic() + START_LIMIT_S
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"no {what}; log:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


@contextmanager
def serving(data_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`asta serve`, answering /health; killed at the end if a test left it running."""
    base = f"http://127.0.0.1:{free_port()}"
    server = start(data_dir, "serve", "--port", base.rsplit(":", 1)[1], log="serve.log")

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, server, data_dir / "serve.log", "healthy server")
        yield server, base
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pg" / "postmaster.pid").read_text().split()[0])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def postgres_processes(data_dir: Path) -> list[int]:
    """Processes running a PostgreSQL server on this data dir."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, NotADirectoryError, PermissionError, ProcessLookupError):
            continue
        if Path(argv[0].decode()).name == "postgres" and str(data_dir / "pg").encode() in argv:
            found.append(int(proc.name))
    return found


def log_of(data_dir: Path, name: str) -> str:
    return (data_dir / name).read_text()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_postgresql_and_exits_promptly(data_dir: Path,
                                                       signum: signal.Signals) -> None:
    with serving(data_dir) as (server, _base):
        postmaster = postmaster_pid(data_dir)
        assert postgres_processes(data_dir) == [postmaster]
        sent = time.monotonic()
        # Ctrl+C signals the terminal's whole process group; `kill` signals the process.
        if signum == signal.SIGINT:
            os.killpg(server.pid, signum)
        else:
            server.send_signal(signum)
        server.wait(timeout=STOP_LIMIT_S + 10)
        took = time.monotonic() - sent
    assert server.returncode == 0, log_of(data_dir, "serve.log")[-3000:]
    assert took < STOP_LIMIT_S, f"stopping took {took:.2f} s"
    assert not alive(postmaster)
    assert postgres_processes(data_dir) == []
    assert not (data_dir / "instance.json").exists()


@pytest.mark.slow
def test_a_worker_attaches_to_the_running_serve_and_leaves_it_alone(data_dir: Path) -> None:
    with serving(data_dir) as (server, base):
        postmaster = postmaster_pid(data_dir)
        record = json.loads((data_dir / "instance.json").read_text())
        assert record["pid"] == server.pid
        assert record["stripe_api_base"].startswith("http://127.0.0.1:")

        worker = start(data_dir, "worker", "--threads", "1", log="worker.log")
        wait_until(lambda: "Worker running" in log_of(data_dir, "worker.log"), worker,
                   data_dir / "worker.log", "running worker")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0

        # A second server on the same data dir is refused rather than taking over.
        second = subprocess.run([*ASTA, "serve", "--port", str(free_port())],
                                env=asta_env(data_dir), capture_output=True, text=True,
                                timeout=120)
        assert second.returncode != 0
        assert f"Asta (pid {server.pid}) is already running" in second.stderr

        assert postmaster_pid(data_dir) == postmaster and alive(postmaster)
        assert json.loads((data_dir / "instance.json").read_text()) == record
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200

        # A worker leaves with the server it used, instead of failing on its database.
        follower = start(data_dir, "worker", "--threads", "1", log="follower.log")
        wait_until(lambda: "Worker running" in log_of(data_dir, "follower.log"), follower,
                   data_dir / "follower.log", "running worker")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=STOP_LIMIT_S + 10) == 0
        assert follower.wait(timeout=15) == 0
    assert "has stopped" in log_of(data_dir, "follower.log")
    assert postgres_processes(data_dir) == []


def test_a_worker_with_no_serve_running_refuses_and_starts_nothing(data_dir: Path) -> None:
    result = subprocess.run([*ASTA, "worker"], env=asta_env(data_dir), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "start `asta serve` first, or set ASTA_DATABASE_URL" in result.stderr
    assert not (data_dir / "pg").exists()


def test_a_worker_leaves_a_postgresql_orphaned_by_a_killed_asta_alone(data_dir: Path) -> None:
    orphan = EmbeddedPostgres(data_dir)
    orphan.start()
    postmaster = postmaster_pid(data_dir)
    result = subprocess.run([*ASTA, "worker"], env=asta_env(data_dir), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "start `asta serve` first" in result.stderr
    assert alive(postmaster) and postmaster_pid(data_dir) == postmaster
    orphan.stop()
