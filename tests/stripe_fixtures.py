"""The Stripe-compatible test server for a test session, shared by the payment suites."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import stripe

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


def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package waits 0.5-5 s between its retries; tests that inject failures need not."""
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0.01)
    monkeypatch.setattr(stripe.HTTPClient, "MAX_DELAY", 0.02)


async def express_account(client: stripe.StripeClient, email: str,
                          metadata: dict[str, str] | None = None) -> stripe.Account:
    """A connected account as Asta makes one (asta.payments.services.accounts)."""
    return await client.v1.accounts.create_async(
        {"type": "express", "country": "FI", "email": email,
         "capabilities": {"transfers": {"requested": True}}, "metadata": metadata or {}})


async def transfer(client: stripe.StripeClient, *, amount: int, destination: str,
                   key: str | None = None, **params: Any) -> stripe.Transfer:
    """A transfer in euros; without `key` the package makes one up (once per call)."""
    return await client.v1.transfers.create_async(
        {"amount": amount, "currency": "eur", "destination": destination, **params},
        {"idempotency_key": key} if key else {})
