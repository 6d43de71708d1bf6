"""An SMTP server on a free loopback port, in this process, that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from asta.devmail.store import MailStore

HOST = "127.0.0.1"


class _Keep:
    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.store.save(envelope.original_content or envelope.content)
        return "250 OK"


def _free_port() -> int:
    # aiosmtpd's controller checks readiness by connecting to its port, so it needs a real one.
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_mail_catcher(folder: Path) -> Iterator[int]:
    """Run the catcher (its own thread and event loop) for the block; yields its port."""
    controller = Controller(_Keep(MailStore(folder)), hostname=HOST, port=_free_port(),
                            ready_timeout=10)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
