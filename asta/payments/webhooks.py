"""Stripe webhook signatures: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`.

v1 is HMAC-SHA256 over f"{t}.{payload}" keyed with the endpoint secret. Several v1
entries appear while a secret is being rolled, so any one matching is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from asta.payments.errors import SignatureVerificationError

SCHEME = "v1"


def compute_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header value Stripe would send for this payload."""
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},{SCHEME}={compute_signature(payload, secret, ts)}"


def _parse_header(sig_header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in sig_header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureVerificationError(
                    "Unable to extract timestamp from header", sig_header
                ) from None
        elif key == SCHEME:
            signatures.append(value)
    if timestamp is None:
        raise SignatureVerificationError("Unable to extract timestamp from header", sig_header)
    if not signatures:
        raise SignatureVerificationError(
            "No signatures found with expected scheme v1", sig_header
        )
    return timestamp, signatures


def verify_header(
    payload: bytes, sig_header: str, secret: str, *, tolerance_s: int = 300, now: int | None = None
) -> None:
    timestamp, signatures = _parse_header(sig_header)
    expected = compute_signature(payload, secret, timestamp)
    # Compare against every candidate without short-circuiting on the first miss.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureVerificationError(
            "No signatures found matching the expected signature for payload", sig_header
        )
    current = int(time.time()) if now is None else now
    # Both directions: a far-future timestamp is as suspicious as a replayed old one.
    if tolerance_s > 0 and abs(current - timestamp) > tolerance_s:
        raise SignatureVerificationError("Timestamp outside the tolerance zone", sig_header)


def construct_event(
    payload: bytes, sig_header: str, secret: str, *, tolerance_s: int = 300, now: int | None = None
) -> dict[str, Any]:
    """Verify the signature, then parse the event; never parse an unverified body."""
    verify_header(payload, sig_header, secret, tolerance_s=tolerance_s, now=now)
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SignatureVerificationError(f"Invalid payload: {exc}", sig_header) from exc
    if not isinstance(event, dict):
        raise SignatureVerificationError("Invalid payload: not a JSON object", sig_header)
    return event
