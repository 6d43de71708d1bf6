"""Payments against the local Stripe-compatible test server, over HTTP on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from asta.core.config import get_settings
from asta.payments import gateway
from asta.payments.test_server import ServerConfig, TestServerControl, running_test_server

HANG_S = 1.0  # how long "timeout"/"slow" faults hang: longer than the client waits


@pytest.fixture(scope="session")
def stripe_url() -> Iterator[str]:
    with running_test_server(ServerConfig(fault_delay_s=HANG_S)) as url:
        yield url


@pytest.fixture(scope="session")
async def control(stripe_url: str) -> AsyncIterator[TestServerControl]:
    ctl = TestServerControl(stripe_url)
    yield ctl
    await ctl.aclose()


@pytest.fixture(autouse=True)
async def stripe_world(stripe_url: str, control: TestServerControl,
                       monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """A fresh Stripe for every test, a client that gives up quickly, no real waiting."""
    await control.wait_idle()
    await control.reset()
    settings = get_settings()
    original = settings.stripe_api_base
    object.__setattr__(settings, "stripe_api_base", stripe_url)
    monkeypatch.setattr(gateway, "CLIENT_OPTIONS",
                        {"timeout_s": 0.5, "max_retries": 2, "backoff_base_s": 0.01})
    yield
    object.__setattr__(settings, "stripe_api_base", original)
