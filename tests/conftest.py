"""Settings every test process shares; database fixtures live in tests/integration."""

import os

os.environ.setdefault("ASTA_FAST_PASSWORD_HASHING", "1")
os.environ.setdefault("ASTA_SECRET_KEY", "asta-test-secret-key-0123456789abcdef")

import logging

import pytest
import time_machine

from tests.clock import TEST_CLOCK

logging.getLogger("httpx").setLevel(logging.WARNING)

_session_clock = time_machine.travel(TEST_CLOCK, tick=True)


def pytest_configure(config: pytest.Config) -> None:
    # From collection on, so that test data built at import time is dated at TEST_CLOCK too.
    _session_clock.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    _session_clock.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Slow tests first: in a parallel run (pytest -n) they then overlap the many short
    # ones, instead of leaving one worker busy with them at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    """The test's clock: `clock.move_to(instant)` moves all of Asta (and the test) there."""
    time_machine.move_to(TEST_CLOCK, tick=True)
    return time_machine
