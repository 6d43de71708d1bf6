"""Stripe's error tree, parsed from `{"error": {"type", "code", "message", ...}}` bodies.

The mapping follows Stripe's own SDKs (status first, then `type`) so code written
against Stripe's documentation catches the class it expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asta.core.errors import AstaError


class StripeError(Exception):
    """Base of every Stripe failure; keeps what support needs (status, code, request id)."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        error_type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        request_id: str | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_type = error_type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.request_id = request_id
        self.json_body = json_body

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"code={self.code}")
        if self.param:
            parts.append(f"param={self.param}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return " ".join(parts)


class CardError(StripeError):
    """402: the card (or other payment method) was declined."""


class InvalidRequestError(StripeError):
    """400/404: bad parameters or an unknown object; retrying cannot help."""


class AuthenticationError(StripeError):
    """401: missing or wrong API key."""


class PermissionError_(StripeError):  # Stripe's name, clear of the builtin
    """403: the key may not act on this (connected) account."""


class RateLimitError(StripeError):
    """429: too many requests; retried with backoff before it is raised."""


class IdempotencyError(StripeError):
    """An idempotency key reused with other parameters, or still in progress (409)."""


class APIConnectionError(StripeError):
    """No usable answer at all: timeout or connection failure, after retries."""


class APIError(StripeError):
    """5xx or an answer that is not Stripe's JSON."""


class SignatureVerificationError(StripeError):
    """A webhook whose `Stripe-Signature` does not verify (or is too old)."""

    def __init__(self, message: str, sig_header: str | None = None) -> None:
        super().__init__(message)
        self.sig_header = sig_header


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def error_from_response(
    http_status: int, body: Any, request_id: str | None = None
) -> StripeError:
    """Build the matching StripeError for a non-2xx answer (body already JSON-decoded)."""
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return APIError(
            f"Invalid response from Stripe API (HTTP {http_status})",
            http_status=http_status,
            request_id=request_id,
        )
    error_type = _str_or_none(error.get("type"))
    kwargs: dict[str, Any] = {
        "http_status": http_status,
        "error_type": error_type,
        "code": _str_or_none(error.get("code")),
        "param": _str_or_none(error.get("param")),
        "decline_code": _str_or_none(error.get("decline_code")),
        "request_id": request_id,
        "json_body": body,
    }
    message = _str_or_none(error.get("message")) or f"Stripe error (HTTP {http_status})"
    cls: type[StripeError]
    if error_type == "idempotency_error":
        cls = IdempotencyError
    elif http_status in (400, 404):
        cls = InvalidRequestError
    elif http_status == 401:
        cls = AuthenticationError
    elif http_status == 402 or error_type == "card_error":
        cls = CardError
    elif http_status == 403:
        cls = PermissionError_
    elif http_status == 429:
        cls = RateLimitError
    elif http_status == 409:
        cls = InvalidRequestError
    else:
        cls = APIError
    return cls(message, **kwargs)


# -- Asta's own errors about payments (mapped to HTTP by asta.core.errors) -------------


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
