"""The real client against the real test server, over HTTP on loopback.

These tests touch no database, so the root conftest's autouse PostgreSQL fixture is
overridden with a no-op here.
"""

from collections.abc import AsyncIterator, Iterator

import pytest

from asta.payments import StripeClient
from asta.payments.resources import Account
from asta.payments.test_server import TestServerControl
from tests import stripe_fixtures

# The shared session fixtures, under their own names in this directory.
stripe_url = stripe_fixtures.stripe_url
control = stripe_fixtures.control

CLIENT_TIMEOUT_S = 0.5  # generous for loopback, so only injected hangs time out


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    """Overrides the root autouse fixture of the same name (nothing to clean here)."""
    yield


@pytest.fixture(autouse=True)
async def fresh_server(control: TestServerControl) -> None:
    await control.reset()


@pytest.fixture
async def stripe(stripe_url: str) -> AsyncIterator[StripeClient]:
    async with StripeClient(stripe_url, "sk_test_asta", timeout_s=CLIENT_TIMEOUT_S,
                            max_retries=2, backoff_base_s=0.01) as client:
        yield client


@pytest.fixture
async def professional(stripe: StripeClient, control: TestServerControl) -> Account:
    """A connected account that finished onboarding, so transfers to it are allowed."""
    account = await stripe.create_account(email="doc@example.fi", metadata={"pro": "1"})
    await control.complete_onboarding(account["id"])
    return await stripe.retrieve_account(account["id"])
