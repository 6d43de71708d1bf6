"""Payments through Stripe Connect: paying professionals, invoicing wellbeing areas."""

from asta.payments.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError_,
    RateLimitError,
    SignatureVerificationError,
    StripeError,
)
from asta.payments.stripe_client import StripeClient
from asta.payments.webhooks import construct_event, sign_payload

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "CardError",
    "IdempotencyError",
    "InvalidRequestError",
    "PermissionError_",
    "RateLimitError",
    "SignatureVerificationError",
    "StripeClient",
    "StripeError",
    "construct_event",
    "sign_payload",
]
