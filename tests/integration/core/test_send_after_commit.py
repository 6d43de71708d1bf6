"""A job about rows written in a transaction is sent once that transaction commits."""

from __future__ import annotations

import uuid

import dramatiq
import pytest

from asta.core.db import unit_of_work
from asta.core.jobs import send_after_commit
from asta.scheduling.jobs import run_matching
from tests.integration.queue_sql import queue_sql


def queued(broker: dramatiq.Broker, run_id: str) -> int:
    return queue_sql(broker, "SELECT count(*) FROM dramatiq.queue WHERE message->>'actor_name' "
                     "= 'run_matching' AND message->'args'->>0 = %s", run_id)


async def test_the_job_is_sent_once_when_the_transaction_commits(
        broker: dramatiq.Broker) -> None:
    run_id = str(uuid.uuid4())
    async with unit_of_work() as session:
        send_after_commit(session, run_matching, run_id)
        send_after_commit(session, run_matching, run_id)  # asked twice, sent once
        assert queued(broker, run_id) == 0  # a worker could not see the run yet
    assert queued(broker, run_id) == 1


async def test_no_job_is_sent_when_the_transaction_rolls_back(broker: dramatiq.Broker) -> None:
    run_id = str(uuid.uuid4())
    with pytest.raises(RuntimeError):
        async with unit_of_work() as session:
            send_after_commit(session, run_matching, run_id)
            raise RuntimeError("refused")
    assert queued(broker, run_id) == 0
