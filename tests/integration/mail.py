"""A real SMTP server (aiosmtpd) that Asta sends to in tests, which may start and stop it.

It runs in its own process, as a mail server would: in the test's process it would compete
with the job worker for the interpreter lock and measure that instead of Asta. Each message
it receives becomes one file, which the test reads back.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from asta.core.config import get_settings


class Inbox:
    """What the server received; can be started late to play an SMTP server that was down."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def messages(self) -> list[Message]:
        return [message_from_bytes(path.read_bytes())
                for path in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.mail", str(self.port), str(self.folder)])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the test SMTP server did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def mail_server() -> Iterator[Inbox]:
    """Asta's SMTP settings point at this server, which is not started yet (down)."""
    with tempfile.TemporaryDirectory(prefix="asta-mail-") as folder:
        inbox = Inbox(free_port(), Path(folder))
        settings = get_settings()
        original = settings.smtp_port
        object.__setattr__(settings, "smtp_port", inbox.port)
        try:
            yield inbox
        finally:
            inbox.stop()
            object.__setattr__(settings, "smtp_port", original)


@pytest.fixture
def smtp(mail_server: Inbox) -> Inbox:
    """A running SMTP server that Asta sends to."""
    mail_server.start()
    return mail_server


class _SaveEach:
    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        path = self.folder / f"{self.count:07d}.eml"
        path.with_suffix(".tmp").write_bytes(envelope.content)
        path.with_suffix(".tmp").rename(path)  # readers never see half a message
        return "250 OK"


def _serve() -> None:
    import asyncio
    import signal

    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    controller = Controller(_SaveEach(args.folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = asyncio.Event()

    async def wait() -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()

    asyncio.run(wait())
    controller.stop()


if __name__ == "__main__":
    _serve()
