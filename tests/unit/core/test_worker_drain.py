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


def test_an_abandoned_stop_failing_later_is_not_reported(broker: StubBroker,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once abandoned, the database stops under the worker's stop; its error is expected."""
    reported: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    failed = threading.Event()

    def slow_failing_stop(self: jobs.WorkerProcess) -> None:
        time.sleep(runtime.WORKER_DRAIN_S + 0.3)
        failed.set()
        raise ConnectionError("connection already closed")

    monkeypatch.setattr(jobs.WorkerProcess, "start", lambda self: None)
    monkeypatch.setattr(jobs.WorkerProcess, "stop", slow_failing_stop)
    with runtime.worker(broker, threads=1):
        pass
    assert failed.wait(5)
    time.sleep(0.1)  # the stopping thread has returned by now
    assert reported == []
