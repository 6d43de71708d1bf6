"""Pure rules: when a professional is asked the eNPS question, and unit integration keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SURVEY_OPEN_FOR = timedelta(days=30)
KEY_PREFIX = "asta_uk_"


def survey_due(*, last_asked_at: datetime | None, last_worked_at: datetime, now: datetime,
               interval: timedelta) -> bool:
    """Ask after the first worked shift at a unit; after that at most once per `interval`,
    and only if the professional has worked there since the last question."""
    if last_worked_at > now:
        return False
    if last_asked_at is None:
        return True
    return now - last_asked_at >= interval and last_worked_at > last_asked_at


def survey_state(answered_at: datetime | None, expires_at: datetime, now: datetime) -> str:
    if answered_at is not None:
        return "answered"
    return "open" if now < expires_at else "expired"


@dataclass(frozen=True)
class NewKey:
    secret: str  # shown once, never stored
    prefix: str  # stored and shown, to tell keys apart
    digest: str  # stored


def hash_key(secret: str) -> str:
    """Keys are 256-bit random, so a plain SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key() -> NewKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return NewKey(secret, secret[: len(KEY_PREFIX) + 6], hash_key(secret))
