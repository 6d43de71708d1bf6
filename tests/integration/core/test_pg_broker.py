"""The embedded PostgreSQL broker's consumers wait for work instead of polling."""

from __future__ import annotations

import dramatiq

from asta.core.pg_broker import BoundedPostgresBroker


def test_a_sub_second_worker_timeout_does_not_make_consumers_spin(
        broker: dramatiq.Broker) -> None:
    assert isinstance(broker, BoundedPostgresBroker)
    consumer = broker.consume("default", timeout=250)  # what the workers ask for
    try:
        # dramatiq-pg waits `timeout` whole seconds on LISTEN; 0 would be a busy loop.
        assert consumer.timeout >= 1
    finally:
        consumer.close()
