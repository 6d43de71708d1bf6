"""The Stripe client Asta's services and jobs use, configured from settings."""

from __future__ import annotations

from typing import Any

from asta.core.config import get_settings
from asta.payments.stripe_client import StripeClient

# Tests shorten these to script timeouts against the local test server.
CLIENT_OPTIONS: dict[str, Any] = {"timeout_s": 10.0, "max_retries": 3, "backoff_base_s": 0.5}


def stripe_client() -> StripeClient:
    settings = get_settings()
    return StripeClient(settings.stripe_api_base, settings.stripe_api_key, **CLIENT_OPTIONS)
