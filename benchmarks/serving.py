"""Waiting for an Asta server started as a subprocess: the benchmarks that start one and the
browser tests share it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


def wait_until_serving(process: subprocess.Popen[bytes] | subprocess.Popen[str], url: str,
                       log: Path, *, timeout_s: float, interval_s: float = 0.5) -> None:
    """Until `url` answers 200; the log's tail in the error if the server dies or is late."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text()[-3000:])
        time.sleep(interval_s)
