"""Stopping the in-process job worker waits for running jobs, but only so long."""

from __future__ import annotations

import threading
import time

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from asta import runtime
from asta.core import jobs


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> StubBroker:
    monkeypatch.setattr(jobs, "_periodic", [])  # Asta's own periodic jobs are not under test
    monkeypatch.setattr(runtime, "WORKER_DRAIN_S", 0.5)
    return StubBroker()


def test_an_idle_worker_stops_at_once(broker: StubBroker) -> None:
    with runtime.worker(broker, threads=1):
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 1.0


def test_a_job_still_running_after_the_drain_bound_does_not_hold_up_stopping(
        broker: StubBroker) -> None:
    started, release = threading.Event(), threading.Event()

    @dramatiq.actor(broker=broker)
    def long_job() -> None:
        started.set()
        release.wait(10)

    try:
        with runtime.worker(broker, threads=1):
            long_job.send()
            assert started.wait(5)
            stopping = time.monotonic()
        assert time.monotonic() - stopping < runtime.WORKER_DRAIN_S + 0.5
    finally:
        release.set()
