"""Random link tokens: the e-mail carries the token, the database only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from asta.core.config import get_settings

PASSWORD_RESET_VALID = timedelta(hours=1)
VERIFICATION_VALID = timedelta(days=2)
INVITATION_VALID = timedelta(days=7)


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link(path: str, token: str) -> str:
    """An absolute link to a page of this site, as the recipient's mail program needs it."""
    return f"{get_settings().public_base_url.rstrip('/')}{path}?token={token}"
