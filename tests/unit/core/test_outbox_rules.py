"""How an outbox row fails: backoff with a cap, and death only when given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from asta.core.outbox import BACKOFF_CAP, OutboxTable, record_failure, retry_delay

NOW = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)


@dataclass
class Row:
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    claimed_by: str | None = "worker-1"
    claimed_until: datetime | None = NOW + timedelta(minutes=5)


TABLE = OutboxTable(Row)


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 5), (2, 10), (3, 20), (4, 30), (5, 30),
                                                   (60, 30), (10_000, 30)])
def test_retries_back_off_exponentially_up_to_the_cap(attempts: int, seconds: int) -> None:
    assert retry_delay(attempts) == timedelta(seconds=seconds)
    assert retry_delay(attempts) <= BACKOFF_CAP


def test_a_failure_waits_and_leaves_flight() -> None:
    row = Row(attempts=2)
    assert record_failure(row, TABLE, NOW, "Connection refused", give_up=False) is False
    assert (row.status, row.attempts, row.last_error) == ("pending", 3, "Connection refused")
    assert row.next_attempt_at == NOW + timedelta(seconds=20)
    assert (row.claimed_by, row.claimed_until) == (None, None)


def test_a_row_given_up_is_dead_with_its_last_error() -> None:
    row = Row()
    assert record_failure(row, TABLE, NOW, "550 no such user" * 100, give_up=True) is True
    assert (row.status, row.attempts, row.next_attempt_at) == ("dead", 1, None)
    assert row.last_error is not None and len(row.last_error) == 1000
