"""Confirming the address of a self-service sign-up before the account can sign in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.identity import request_limit
from asta.accounts.identity.errors import NOT_VERIFIED, EmailNotVerifiedError
from asta.accounts.identity.mailing import send_link, send_link_by_address
from asta.accounts.identity.models import TokenPurpose
from asta.accounts.identity.passwords import use_token
from asta.accounts.identity.tokens import PASSWORD_RESET_VALID, VERIFICATION_VALID
from asta.accounts.models import User
from asta.core import audit
from asta.core.clock import utcnow

RESENDS_PER_HOUR = 3


async def start(session: AsyncSession, user: User) -> None:
    """Called by sign-up: the new account waits for its address to be confirmed."""
    await send_link(session, user, kind="email_verification",
                    purpose=TokenPurpose.EMAIL_VERIFICATION, valid=VERIFICATION_VALID)


async def tell_owner(session: AsyncSession, email: str) -> None:
    """Someone signed up with a taken address: its owner gets a reset link instead (at most
    one such e-mail a day, however often the form is sent)."""
    await send_link_by_address(
        session, email, kind="sign_up_attempt", purpose=TokenPurpose.PASSWORD_RESET,
        valid=PASSWORD_RESET_VALID, action="sign_up_attempt", at_most=1,
        per=PASSWORD_RESET_VALID * 24)


async def resend(session: AsyncSession, email: str, ip: str) -> None:
    """A new link for an unverified account; the same answer for any other address."""
    await request_limit.admit(ip, utcnow())
    await send_link_by_address(
        session, email, kind="email_verification", purpose=TokenPurpose.EMAIL_VERIFICATION,
        valid=VERIFICATION_VALID, action="verification_resent", at_most=RESENDS_PER_HOUR,
        per=PASSWORD_RESET_VALID, unverified_only=True)


async def verify(session: AsyncSession, token: str) -> User:
    user = await use_token(session, token, TokenPurpose.EMAIL_VERIFICATION)
    if not user.email_verified:
        user.email_verified = True
        audit.record(session, actor_id=user.id, entity_type="user", entity_id=user.id,
                     action="email_verified")
    await session.flush()
    return user


def require_verified(user: User) -> None:
    """Asked after the password was found right, so it reveals nothing to a guesser."""
    if not user.email_verified:
        raise EmailNotVerifiedError(NOT_VERIFIED)
