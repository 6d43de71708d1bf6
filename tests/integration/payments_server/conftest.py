"""Stripe's official package against the stand-in, over HTTP on loopback.

These tests touch no database, so the root conftest's autouse PostgreSQL fixture is
overridden with a no-op here.
"""

from collections.abc import AsyncIterator, Iterator

import pytest
import stripe as stripe_package

from asta.payments.gateway import ClientOptions, client_for
from asta.payments.test_server import TestServerControl
from tests import stripe_fixtures

# The shared session fixtures, under their own names in this directory.
stripe_url = stripe_fixtures.stripe_url
control = stripe_fixtures.control

CLIENT = ClientOptions(timeout_s=0.5, max_network_retries=2)  # loopback: only hangs time out


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    """Overrides the root autouse fixture of the same name (nothing to clean here)."""
    yield


@pytest.fixture(autouse=True)
async def fresh_server(control: TestServerControl, monkeypatch: pytest.MonkeyPatch) -> None:
    stripe_fixtures.quick_retries(monkeypatch)
    await control.reset()


@pytest.fixture
async def stripe(stripe_url: str) -> AsyncIterator[stripe_package.StripeClient]:
    async with client_for(stripe_url, "sk_test_asta", CLIENT) as client:
        yield client


@pytest.fixture
async def professional(stripe: stripe_package.StripeClient,
                       control: TestServerControl) -> stripe_package.Account:
    """A connected account that finished onboarding, so transfers to it are allowed."""
    account = await stripe_fixtures.express_account(stripe, "doc@example.fi", {"pro": "1"})
    await control.complete_onboarding(account.id)
    return await stripe.v1.accounts.retrieve_async(account.id)
