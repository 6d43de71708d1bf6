"""Payments against the local Stripe-compatible test server, over HTTP on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from asta.core.config import get_settings
from asta.payments import gateway
from asta.payments.test_server import TestServerControl
from tests import stripe_fixtures

# The shared session fixtures, under their own names in this directory.
stripe_url = stripe_fixtures.stripe_url
control = stripe_fixtures.control


@pytest.fixture(autouse=True)
async def stripe_world(stripe_url: str, control: TestServerControl,
                       monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """A fresh Stripe for every test, a client that gives up quickly, no real waiting."""
    await control.wait_idle()
    await control.reset()
    settings = get_settings()
    original = settings.stripe_api_base
    object.__setattr__(settings, "stripe_api_base", stripe_url)
    monkeypatch.setattr(gateway, "OPTIONS",
                        gateway.ClientOptions(timeout_s=0.5, max_network_retries=2))
    stripe_fixtures.quick_retries(monkeypatch)
    yield
    object.__setattr__(settings, "stripe_api_base", original)
