"""`asta` commands as separate processes, as an operator would run them, at the test clock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.clock import at_test_clock


@contextmanager
def asta_process(args: list[str], env: dict[str, str],
                 log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`asta ARGS` in its own process group, its output in `log` (kept by pytest for a failing
    run); stopped with SIGTERM at the end, SIGKILL if it does not go."""
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "asta.cli", *args],
                                   env=at_test_clock(env), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
