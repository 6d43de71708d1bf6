"""Enrolling, checking and removing a person's second factor (TOTP and recovery codes).

Codes are checked by `verify` only: ±1 time step, a step is accepted once (a replayed code is
refused even by concurrent requests: the update that records it is conditional), and wrong
codes are throttled per person like passwords (asta.accounts.throttle).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts import throttle, totp
from asta.accounts.models import Role, RoleAssignment
from asta.accounts.totp_errors import (
    SecondFactorEnrolmentRequiredError,
    SecondFactorInvalidError,
    SecondFactorMandatoryError,
    SecondFactorNotEnrolledError,
    SecondFactorRequiredError,
)
from asta.accounts.totp_models import RecoveryCode, SecondFactor
from asta.core import audit
from asta.core.clock import utcnow
from asta.core.security import hash_password_off_loop, verify_password_off_loop

CODES = throttle.Limit("second-factor", 5)  # 5 wrong codes, then delays doubling from 15 s
WRONG_CODE = "The code is wrong or has already been used"
CODE_NEEDED = ("This account uses two-step verification: send totp_code, a code from the "
               "authenticator app or a recovery code")
ENROL_FIRST = ("Your role requires two-step verification. Sign in on the pages (/sign-in) once "
               "to set up an authenticator app, then ask for a token with totp_code")


@dataclass(frozen=True)
class Status:
    enrolled: bool
    required: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str


async def _roles(session: AsyncSession, user_id: uuid.UUID) -> list[Role]:
    rows = await session.scalars(select(col(RoleAssignment.role)).where(
        col(RoleAssignment.user_id) == user_id))
    return [Role(r) for r in rows]


async def _factor(session: AsyncSession, user_id: uuid.UUID) -> SecondFactor | None:
    return await session.get(SecondFactor, user_id, populate_existing=True)


async def status(session: AsyncSession, user_id: uuid.UUID) -> Status:
    factor = await _factor(session, user_id)
    left = await session.scalar(select(func.count()).select_from(RecoveryCode).where(
        col(RecoveryCode.user_id) == user_id, col(RecoveryCode.used_at).is_(None)))
    return Status(enrolled=bool(factor and factor.secret),
                  required=totp.second_factor_required(await _roles(session, user_id)),
                  recovery_codes_left=int(left or 0))


async def pending_step(session: AsyncSession, user_id: uuid.UUID) -> totp.Step | None:
    """After a correct password: what the person must still do (the pages' second step)."""
    factor = await _factor(session, user_id)
    return totp.second_factor_step(await _roles(session, user_id),
                                   enrolled=bool(factor and factor.secret), verified=False)


async def check_for_token(session: AsyncSession, user_id: uuid.UUID, code: str | None) -> bool:
    """The API's second step, in the same request as the password: True once a code passed.
    A person whose role needs a factor and who has none is refused: enrolment (which shows a
    secret and recovery codes) happens on the pages only."""
    step = await pending_step(session, user_id)
    if step is totp.Step.ENROL:
        raise SecondFactorEnrolmentRequiredError(ENROL_FIRST)
    if step is None:
        return False
    if not code:
        raise SecondFactorRequiredError(CODE_NEEDED, field="totp_code")
    await verify(session, user_id, code)
    return True


async def verify(session: AsyncSession, user_id: uuid.UUID, code: str) -> None:
    """A code from the authenticator, or an unused recovery code; else 401 (or 429)."""
    key = CODES.key(str(user_id))
    now = utcnow()
    await throttle.take_slot(CODES, key, now)
    factor = await _factor(session, user_id)
    secret = totp.unseal(factor.secret) if factor and factor.secret else None
    if secret is None:
        raise SecondFactorNotEnrolledError("Two-step verification is not set up for this account")
    if totp.looks_like_totp(code):
        ok = await _use_step(session, user_id, totp.matching_step(secret, code, now))
    else:
        ok = await _use_recovery_code(session, user_id, code)
    if not ok:
        raise SecondFactorInvalidError(WRONG_CODE, field="code")
    await throttle.free_slots(key)


async def _use_step(session: AsyncSession, user_id: uuid.UUID, step: int | None) -> bool:
    if step is None:
        return False
    # Conditional, so of two requests with one code only the first gets a row back.
    used = await session.scalar(
        update(SecondFactor).where(col(SecondFactor.user_id) == user_id,
                                   (col(SecondFactor.last_used_step).is_(None))
                                   | (col(SecondFactor.last_used_step) < step))
        .values(last_used_step=step).returning(col(SecondFactor.user_id)))
    return used is not None


async def _use_recovery_code(session: AsyncSession, user_id: uuid.UUID, code: str) -> bool:
    wanted = totp.normalised_recovery_code(code)
    rows = await session.scalars(select(RecoveryCode).where(
        col(RecoveryCode.user_id) == user_id, col(RecoveryCode.used_at).is_(None)))
    for row in rows.all():
        if not await verify_password_off_loop(row.code_hash, wanted):
            continue
        used = await session.scalar(
            update(RecoveryCode).where(col(RecoveryCode.id) == row.id,
                                       col(RecoveryCode.used_at).is_(None))
            .values(used_at=utcnow()).returning(col(RecoveryCode.id)))
        if used is None:  # a concurrent request used it first
            return False
        audit.record(session, actor_id=user_id, entity_type="user", entity_id=user_id,
                     action="recovery_code_used")
        return True
    return False


async def start_enrolment(session: AsyncSession, user_id: uuid.UUID, email: str) -> Enrolment:
    """A new secret, kept pending until a code from it confirms it; shown to its owner only."""
    secret = totp.new_secret()
    factor = await _factor(session, user_id)
    if factor is None:
        session.add(SecondFactor(user_id=user_id, pending_secret=totp.seal(secret)))
    else:
        factor.pending_secret = totp.seal(secret)
    await session.flush()
    return Enrolment(secret=secret, uri=totp.provisioning_uri(secret, email))


async def pending_enrolment(session: AsyncSession, user_id: uuid.UUID,
                            email: str) -> Enrolment | None:
    """The secret being enrolled, to show again on a reload or when a confirmation fails."""
    factor = await _factor(session, user_id)
    secret = totp.unseal(factor.pending_secret) if factor and factor.pending_secret else None
    return Enrolment(secret, totp.provisioning_uri(secret, email)) if secret else None


async def confirm_enrolment(session: AsyncSession, user_id: uuid.UUID, code: str) -> list[str]:
    """A code from the new authenticator makes it the one; returns new recovery codes (shown
    once: only their hashes are kept)."""
    key = CODES.key(str(user_id))
    now = utcnow()
    await throttle.take_slot(CODES, key, now)
    factor = await _factor(session, user_id)
    secret = totp.unseal(factor.pending_secret) if factor and factor.pending_secret else None
    step = totp.matching_step(secret, code, now) if secret else None
    if factor is None or step is None:
        raise SecondFactorInvalidError(WRONG_CODE, field="code")
    await throttle.free_slots(key)
    replaced = factor.secret is not None
    factor.secret, factor.pending_secret = factor.pending_secret, None
    factor.confirmed_at, factor.last_used_step = now, step
    codes = await _replace_recovery_codes(session, user_id)
    audit.record(session, actor_id=user_id, entity_type="user", entity_id=user_id,
                 action="second_factor_replaced" if replaced else "second_factor_enrolled")
    return codes


async def _replace_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    await session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = totp.new_recovery_codes()
    hashes = [await hash_password_off_loop(c) for c in codes]
    session.add_all(RecoveryCode(user_id=user_id, code_hash=h) for h in hashes)
    await session.flush()
    return codes


async def regenerate_recovery_codes(session: AsyncSession, user_id: uuid.UUID,
                                    code: str) -> list[str]:
    await verify(session, user_id, code)
    codes = await _replace_recovery_codes(session, user_id)
    audit.record(session, actor_id=user_id, entity_type="user", entity_id=user_id,
                 action="recovery_codes_regenerated")
    return codes


async def disable(session: AsyncSession, user_id: uuid.UUID, code: str) -> None:
    if totp.second_factor_required(await _roles(session, user_id)):
        raise SecondFactorMandatoryError(
            "Your role requires two-step verification: you can replace the authenticator, "
            "not turn it off")
    await verify(session, user_id, code)
    await session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    await session.execute(delete(SecondFactor).where(col(SecondFactor.user_id) == user_id))
    audit.record(session, actor_id=user_id, entity_type="user", entity_id=user_id,
                 action="second_factor_disabled")


async def erase(session: AsyncSession, user_id: uuid.UUID) -> None:
    """GDPR erasure: the secret and the recovery codes go with the account."""
    await session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    await session.execute(delete(SecondFactor).where(col(SecondFactor.user_id) == user_id))
