"""Time-based one-time passwords (RFC 6238) and recovery codes: the pure parts.

Who must use a second factor is decided by `second_factor_step` alone: the sign-in pages, the
token endpoint and the gate on every request all ask it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

from asta.accounts.models import Role
from asta.core.config import get_settings

ISSUER = "Asta"
DIGITS = 6
STEP_S = 30
DRIFT_STEPS = 1  # a code of the step before or after is accepted too (clock drift, typing)
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 12  # 31^12: about 59 bits, and each is stored as an argon2 hash
REQUIRED_ROLES = frozenset({Role.AREA_ADMIN, Role.PLATFORM_OPERATOR})


class Step(StrEnum):
    """What a signed-in person must still do before anything else."""

    CODE = "code"  # enter a code from the authenticator (or a recovery code)
    ENROL = "enrol"  # set up an authenticator: the role requires one


def second_factor_required(roles: Iterable[Role]) -> bool:
    """Area admins and platform operators must use a second factor; others may."""
    return any(r in REQUIRED_ROLES for r in roles)


def second_factor_step(roles: Iterable[Role], *, enrolled: bool, verified: bool) -> Step | None:
    """None when a session may be used: the code was given, or none is enrolled or needed."""
    if verified:
        return None
    if enrolled:
        return Step.CODE
    return Step.ENROL if second_factor_required(roles) else None


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).at(when)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (within the allowed drift), or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S)
    now_step = totp.timecode(now)
    found = None
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        # Every candidate is compared, so the time taken does not tell which one matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def looks_like_totp(code: str) -> bool:
    code = code.strip().replace(" ", "")
    return len(code) == DIGITS and code.isdigit()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(
        name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The otpauth URI as an inline SVG QR code (no script, allowed by the pages' CSP)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=4, title=title,
                                                      dark="#000", light="#fff"))


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an authenticator by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes() -> list[str]:
    def one() -> str:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    return [one() for _ in range(RECOVERY_CODES)]


def normalised_recovery_code(code: str) -> str:
    raw = "".join(ch for ch in code.lower() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == _RECOVERY_LENGTH else raw


def _fernet() -> Fernet:
    # Its own key derived from the app secret, so the stored secret is useless without it.
    key = hmac.new(get_settings().secret_key.encode(), b"asta-totp-secret", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    """None if it was sealed under another ASTA_SECRET_KEY: the person must enrol again."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
