"""The Stripe-compatible test server for a test session, shared by the payment suites."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from asta.payments.test_server import ServerConfig, TestServerControl, running_test_server

HANG_S = 1.0  # how long "timeout"/"slow" faults hang: longer than the client waits


@pytest.fixture(scope="session")
def stripe_url() -> Iterator[str]:
    with running_test_server(ServerConfig(fault_delay_s=HANG_S, test_controls=True)) as url:
        yield url


@pytest.fixture(scope="session")
async def control(stripe_url: str) -> AsyncIterator[TestServerControl]:
    ctl = TestServerControl(stripe_url)
    yield ctl
    await ctl.aclose()
