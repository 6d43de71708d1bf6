"""Forgotten passwords: a link by e-mail, then a new password that ends every session."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.identity import request_limit
from asta.accounts.identity.errors import LINK_NOT_VALID, LinkNotValidError
from asta.accounts.identity.mailing import send_link_by_address
from asta.accounts.identity.models import EmailToken, TokenPurpose
from asta.accounts.identity.tokens import PASSWORD_RESET_VALID, token_hash
from asta.accounts.models import User
from asta.core import audit
from asta.core.clock import utcnow
from asta.core.security import hash_password_off_loop

RESETS_PER_HOUR = 3  # per account: enough for a lost e-mail, too few to flood an inbox


async def request_reset(session: AsyncSession, email: str, ip: str) -> None:
    """The same answer, in the same time, whether or not the address has an account."""
    await request_limit.admit(ip, utcnow())
    await send_link_by_address(
        session, email, kind="password_reset", purpose=TokenPurpose.PASSWORD_RESET,
        valid=PASSWORD_RESET_VALID, action="password_reset_requested",
        at_most=RESETS_PER_HOUR, per=PASSWORD_RESET_VALID)


def _usable(token: str, purpose: TokenPurpose) -> list[ColumnElement[bool]]:
    now = utcnow()
    return [col(EmailToken.token_hash) == token_hash(token),
            col(EmailToken.purpose) == purpose.value, col(EmailToken.used_at).is_(None),
            col(EmailToken.expires_at) > now]


async def link_is_valid(session: AsyncSession, token: str, purpose: TokenPurpose) -> bool:
    return await session.scalar(select(col(EmailToken.id)).where(*_usable(token, purpose))) is not None


async def use_token(session: AsyncSession, token: str, purpose: TokenPurpose) -> User:
    """Spends a token: one statement, so two concurrent uses cannot both succeed."""
    user_id = await session.scalar(
        update(EmailToken).where(*_usable(token, purpose))
        .values(used_at=utcnow()).returning(col(EmailToken.user_id)))
    user = await session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or user.erased_at is not None:
        raise LinkNotValidError(LINK_NOT_VALID, field="token")
    return user


async def reset_password(session: AsyncSession, token: str, password: str) -> uuid.UUID:
    user = await use_token(session, token, TokenPurpose.PASSWORD_RESET)
    # A new hash raises the session version (migration 0005): every session and token ends.
    user.password_hash = await hash_password_off_loop(password)
    user.email_verified = True  # the link reached the address
    await session.execute(update(EmailToken).where(
        col(EmailToken.user_id) == user.id,
        col(EmailToken.purpose) == TokenPurpose.PASSWORD_RESET.value,
        col(EmailToken.used_at).is_(None)).values(used_at=utcnow()))
    audit.record(session, actor_id=user.id, entity_type="user", entity_id=user.id,
                 action="password_reset")
    await session.flush()
    return user.id
