"""Asta's own errors about payments (mapped to HTTP by asta.core.errors).

Stripe's errors are the `stripe` package's own classes (stripe.StripeError and subclasses).
"""

from __future__ import annotations

from asta.core.errors import AstaError


class WebhookSignatureError(AstaError):
    """A webhook whose signature does not verify: 400, and nothing is changed."""

    status = 400
    code = "bad_signature"


class WebhookPayloadError(AstaError):
    """A validly signed event Asta cannot use (wrong shape or types): 400, nothing changes."""

    status = 400
    code = "bad_event"


class PaymentProviderError(AstaError):
    """Stripe refused or could not be reached while serving a request; try again later."""

    status = 502
    code = "payment_provider_error"
