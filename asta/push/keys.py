"""VAPID keys: the server's P-256 key pair that push services know it by (RFC 8292)."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from asta.core.config import Settings, use_vapid_private_key

DEV_KEY_FILE = "vapid-private-key"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_private_key() -> str:
    """A new private key as the raw 32-byte scalar, base64url (ASTA_VAPID_PRIVATE_KEY)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key(private_key: str) -> str:
    """The uncompressed public point, base64url: the browser's `applicationServerKey`."""
    scalar = int.from_bytes(_b64url_decode(private_key), "big")
    point = ec.derive_private_key(scalar, ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(point)


def ensure_development_key(settings: Settings) -> None:
    """Outside production with no key given, push still works: a key kept in the data dir
    (the same one across restarts, so browsers' subscriptions stay valid)."""
    if settings.vapid_private_key or settings.is_production:
        return
    path: Path = settings.data_dir / DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_private_key())
        path.chmod(0o600)
    use_vapid_private_key(path.read_text().strip())
