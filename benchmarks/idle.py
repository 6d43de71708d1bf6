"""What an idle `asta demo` costs: CPU of the server with its in-process worker (and,
separately, of its embedded PostgreSQL) averaged over a quiet minute; prints JSON.

    python benchmarks/idle.py [--seconds 60]

Goal (issue 11): the server and its worker use under 2 % of one core.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, from /proc (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
            found.append(int(child))
            todo.append(int(child))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--settle-s", type=float, default=60)
    args = parser.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="asta-idle-"))
    data.chmod(0o755)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ASTA_DATA_DIR": str(data)}
    env.pop("ASTA_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "asta.cli", "demo", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        time.sleep(args.settle_s)  # the first periodic runs after start-up are not idle
        # pg_ctl daemonises the postmaster: find it by its pid file, with its backends.
        postmaster = int((data / "pg" / "postmaster.pid").read_text().split()[0])
        others = [postmaster, *descendants(postmaster)]
        before = cpu_seconds(server.pid), sum(cpu_seconds(p) for p in others)
        time.sleep(args.seconds)
        after = cpu_seconds(server.pid), sum(cpu_seconds(p) for p in others)
        print(json.dumps({
            "seconds": args.seconds,
            "server_and_worker_pct_of_one_core": round(
                100 * (after[0] - before[0]) / args.seconds, 2),
            "embedded_postgresql_pct_of_one_core": round(
                100 * (after[1] - before[1]) / args.seconds, 2),
        }, indent=2))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
