"""Who runs the Asta of a data dir, and where its services listen.

`asta serve` owns the data dir while it runs: it holds an exclusive lock on
`<data_dir>/instance.lock` and records in `<data_dir>/instance.json` (mode 0600) the URLs of
what it started, the embedded PostgreSQL (with its password), the Stripe stand-in and the
mail catcher. Other
commands (`asta worker`, `asta migrate`) read the record and use those services, and never
start or stop them. The kernel drops the lock when its holder dies, however it dies, so a
record without a live lock holder is known to be stale.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from asta.core.private_files import write_private

LOCK_FILE = "instance.lock"
RECORD_FILE = "instance.json"
# Another command may be probing the lock for a moment (`is_owned`): wait that long for it.
CLAIM_WAIT_S = 0.5


class InstanceError(RuntimeError):
    """The data dir is not in the state the command needs; the message says what to do."""


@dataclass(frozen=True)
class InstanceRecord:
    pid: int
    database_url: str | None = None  # None: the owner uses ASTA_DATABASE_URL
    stripe_api_base: str | None = None  # None: no stand-in, Stripe is configured
    mail_catcher_port: int | None = None  # None: no catcher, SMTP is configured


class Ownership:
    """The owner's side: holds the lock, publishes the record and withdraws it."""

    def __init__(self, data_dir: Path, lock: int) -> None:
        self.data_dir = data_dir
        self._lock = lock

    def publish(self, *, database_url: str | None, stripe_api_base: str | None,
                mail_catcher_port: int | None = None) -> None:
        """Record the services once all are up: a record means "ready to be used"."""
        record = InstanceRecord(os.getpid(), database_url, stripe_api_base, mail_catcher_port)
        write_private(self.data_dir / RECORD_FILE, json.dumps(asdict(record)) + "\n")

    def withdraw(self) -> None:
        (self.data_dir / RECORD_FILE).unlink(missing_ok=True)

    def release(self) -> None:
        self.withdraw()
        os.close(self._lock)  # closing drops the lock


def _open_lock(data_dir: Path) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    return os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def owning(data_dir: Path) -> Iterator[Ownership]:
    """Own the data dir for the block, or raise InstanceError naming the live owner."""
    fd = _open_lock(data_dir)
    deadline = time.monotonic() + CLAIM_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                owner = read_record(data_dir)
                who = f"Asta (pid {owner.pid})" if owner else "another Asta"
                raise InstanceError(
                    f"{who} is already running from {data_dir}; stop it first, or give this "
                    "one its own ASTA_DATA_DIR") from None
            time.sleep(0.05)
    ownership = Ownership(data_dir, fd)
    # Whatever an earlier owner recorded died with it.
    (data_dir / RECORD_FILE).unlink(missing_ok=True)
    try:
        yield ownership
    finally:
        ownership.release()


def is_owned(data_dir: Path) -> bool:
    """True while a live process owns the data dir."""
    if not (data_dir / LOCK_FILE).exists():
        return False
    fd = _open_lock(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def read_record(data_dir: Path) -> InstanceRecord | None:
    try:
        return InstanceRecord(**json.loads((data_dir / RECORD_FILE).read_text()))
    except FileNotFoundError:
        return None


def running_instance(data_dir: Path) -> InstanceRecord | None:
    """The record of the live owner of the data dir, if there is one."""
    record = read_record(data_dir)
    if record is None or not is_owned(data_dir):
        return None
    return record
