"""The Stripe client Asta's services and jobs use: Stripe's official package over httpx.

The package encodes forms, maps errors to its exception classes and retries network
failures, 5xx and 409 with the request's one Idempotency-Key; Asta only says where Stripe is
(the stand-in, in development and tests) and how long to wait. Stripe-Version is the one the
package is generated for (2026-10-28.endive in stripe 16), so the types match the answers;
pyproject's `<17` bound makes the next API version a deliberate upgrade.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import stripe

from asta.core.config import get_settings


@dataclass(frozen=True)
class ClientOptions:
    timeout_s: float = 10.0
    # The package retries with the same key, so a retry cannot pay twice; the outbox
    # (next_attempt_at) retries later what these do not cure, 429 included.
    max_network_retries: int = 2


# Tests shorten these to script timeouts against the stand-in.
OPTIONS = ClientOptions()


@asynccontextmanager
async def client_for(api_base: str, api_key: str,
                     options: ClientOptions | None = None) -> AsyncIterator[stripe.StripeClient]:
    """A client for the Stripe at `api_base`, its connections closed on leaving."""
    options = options or OPTIONS
    base = api_base.rstrip("/")
    http = stripe.HTTPXClient(timeout=options.timeout_s)
    try:
        yield stripe.StripeClient(
            api_key, http_client=http,
            base_addresses={"api": base, "connect": base, "files": base},
            max_network_retries=options.max_network_retries)
    finally:
        await http.close_async()  # type: ignore[no-untyped-call]  # the package leaves it unannotated


def stripe_client() -> AbstractAsyncContextManager[stripe.StripeClient]:
    settings = get_settings()
    return client_for(settings.stripe_api_base, settings.stripe_api_key)
