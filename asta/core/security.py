"""Password hashing (argon2id) and signed, expiring access tokens (JWT, HS256)."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from asta.core.clock import utcnow
from asta.core.config import get_settings

TOKEN_ALGORITHM = "HS256"  # noqa: S105 - an algorithm name, not a secret


# OWASP's first argon2id choice (19 MiB, 2 passes, 1 lane): 27 ms of one core here, where
# argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took 208 ms (benchmarks/README_claims.md).
# Hashes made with other parameters still verify: each hash names its own.
OWASP_TIME_COST, OWASP_MEMORY_KIB, OWASP_LANES = 2, 19 * 1024, 1
# Hashing runs off the event loop on this many threads per process (argon2 releases the GIL),
# so a burst of sign-ins queues here instead of stalling every other request, and takes at
# most this many cores per API process.
HASHING_THREADS = 1
_hashing = ThreadPoolExecutor(max_workers=HASHING_THREADS, thread_name_prefix="asta-argon2")


@lru_cache(maxsize=2)
def _hasher(fast: bool) -> PasswordHasher:
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher(time_cost=OWASP_TIME_COST, memory_cost=OWASP_MEMORY_KIB,
                          parallelism=OWASP_LANES)


def hash_password(password: str) -> str:
    return _hasher(get_settings().fast_password_hashing).hash(password)


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_hashing, hash_password, password)


async def verify_password_off_loop(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _hashing, verify_password, password_hash, password)


@lru_cache(maxsize=2)
def _dummy_hash(fast: bool) -> str:
    return _hasher(fast).hash("not-a-password")


def dummy_hash() -> str:
    """A hash with the cost of a real account's, to verify against when there is no account:
    refusing an unknown address then takes as long as refusing a wrong password."""
    return _dummy_hash(get_settings().fast_password_hashing)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher(False).verify(password_hash or dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(user_id: uuid.UUID, *, kind: str = "access", minutes: int | None = None,
                version: int = 0, second_factor: bool = False) -> str:
    """`version` is the user's session version now: raising it later revokes the token.
    `second_factor`: a second factor was checked when it was issued (asta.accounts.totp)."""
    settings = get_settings()
    now = utcnow()
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "typ": kind,
        "ver": version,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes or settings.access_token_minutes)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if second_factor:
        claims["mfa"] = True
    return jwt.encode(claims, settings.secret_key, algorithm=TOKEN_ALGORITHM)


@dataclass(frozen=True)
class TokenSubject:
    user_id: uuid.UUID
    version: int
    second_factor: bool = False


@lru_cache(maxsize=4096)
def _signed_claims(token: str, key: str) -> tuple[object, object, object, object, bool] | None:
    """(sub, typ, ver, exp, mfa) of a token whose signature holds, or None. Cached: the
    signature check and the parse cost a refused claim about a tenth of its CPU when run
    per request (benchmarks/README_claims.md), and their answer never changes for a token.
    Expiry changes, so the caller checks it on every use."""
    try:
        claims = jwt.decode(token, key, algorithms=[TOKEN_ALGORITHM],
                            options={"require": ["sub", "exp", "typ", "ver"],
                                     "verify_exp": False})
    except (jwt.PyJWTError, ValueError):
        return None
    return claims["sub"], claims["typ"], claims["ver"], claims["exp"], claims.get("mfa") is True


def read_token(token: str, *, kind: str = "access") -> TokenSubject | None:
    """Whom a valid, unexpired token of this kind names, and at which session version."""
    signed = _signed_claims(token, get_settings().secret_key)
    if signed is None:
        return None
    subject, typ, version, expires, second_factor = signed
    if (typ != kind or type(version) is not int or type(expires) is not int
            or expires <= utcnow().timestamp() or not isinstance(subject, str)):
        return None
    try:
        return TokenSubject(uuid.UUID(subject), version, second_factor)
    except ValueError:
        return None
