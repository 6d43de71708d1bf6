"""Queue the identity e-mails on the notifications outbox, in the caller's transaction.

Someone waits for these e-mails with the page open, so they do not queue behind a backlog
(a morning's shift offers): each is claimed as its own batch when written and handed to the
delivery job as soon as the transaction commits. If that hand-over is lost, the claim runs
out and the regular sweep sends it (asta.core.outbox).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.identity import emails
from asta.accounts.identity.models import EmailToken, TokenPurpose
from asta.accounts.identity.tokens import link, new_token, token_hash
from asta.accounts.models import User
from asta.core.clock import utcnow
from asta.core.jobs import send_after_commit
from asta.core.outbox import lease
from asta.notifications.jobs import send_notifications
from asta.notifications.models import Notification

LINK_PAGES = {TokenPurpose.PASSWORD_RESET: "/reset-password",
              TokenPurpose.EMAIL_VERIFICATION: "/verify-email"}


def _send_after_commit(session: AsyncSession) -> str:
    """A batch token for the e-mail about to be written, handed to the delivery job once the
    e-mail is committed."""
    batch = uuid.uuid4().hex
    send_after_commit(session, send_notifications, batch)
    return batch


async def queue(session: AsyncSession, *, kind: str, text_: emails.Text,
                user_id: uuid.UUID | None = None, to_address: str | None = None) -> None:
    now = utcnow()
    await session.execute(insert(Notification).values(
        id=uuid.uuid4(), user_id=user_id, to_address=to_address, kind=kind,
        subject=text_.subject, body=text_.body, created_at=now, status="pending",
        attempts=0, claimed_by=_send_after_commit(session), claimed_until=now + lease()))


async def send_link(session: AsyncSession, user: User, *, kind: str, purpose: TokenPurpose,
                    valid: timedelta) -> None:
    """A new token for a user in hand (just signed up), and the e-mail carrying it."""
    token, now = new_token(), utcnow()
    session.add(EmailToken(user_id=user.id, purpose=purpose.value, token_hash=token_hash(token),
                           created_at=now, expires_at=now + valid))
    await queue(session, kind=kind, user_id=user.id,
                text_=emails.render(kind, user.locale, link=link(LINK_PAGES[purpose], token)))


# One statement whether or not the address has an account, so a request for an unknown
# address takes as long as one for a known address; the e-mail is in the account's language.
_SEND_LINK_BY_ADDRESS = text("""
    WITH account AS (
        SELECT u.id, u.locale FROM users u
        WHERE u.email = :email AND u.is_active AND u.erased_at IS NULL
          AND (NOT :unverified_only OR NOT u.email_verified)
          AND (SELECT count(*) FROM notifications n
               WHERE n.user_id = u.id AND n.kind = :kind AND n.created_at > :since) < :limit
    ), token AS (
        INSERT INTO email_tokens (id, user_id, purpose, token_hash, created_at, expires_at)
        SELECT :token_id, id, :purpose, :token_hash, :now, :expires_at FROM account
        RETURNING user_id
    ), audited AS (
        INSERT INTO audit_events (at, actor_id, entity_type, entity_id, action)
        SELECT :now, NULL, 'user', user_id::text, :action FROM token
    )
    INSERT INTO notifications (id, user_id, kind, subject, body, created_at, status, attempts,
                               claimed_by, claimed_until)
    SELECT :notification_id, account.id, :kind,
           CASE account.locale WHEN 'sv' THEN :sv_subject WHEN 'en' THEN :en_subject
                ELSE :fi_subject END,
           CASE account.locale WHEN 'sv' THEN :sv_body WHEN 'en' THEN :en_body
                ELSE :fi_body END,
           :now, 'pending', 0, :batch, :claimed_until
    FROM account JOIN token ON token.user_id = account.id
""")


async def send_link_by_address(session: AsyncSession, email: str, *, kind: str,
                               purpose: TokenPurpose, valid: timedelta, action: str,
                               at_most: int, per: timedelta,
                               unverified_only: bool = False) -> None:
    """A link to the account of `email`, if there is one (active, and unverified when asked)
    and it has had fewer than `at_most` such e-mails in `per`; otherwise nothing, as fast."""
    token, now = new_token(), utcnow()
    url = link(LINK_PAGES[purpose], token)
    texts = {locale: emails.render(kind, locale, link=url) for locale in emails.LOCALES}
    await session.execute(_SEND_LINK_BY_ADDRESS, {
        "email": email.strip().lower(), "unverified_only": unverified_only, "kind": kind,
        "since": now - per, "limit": at_most, "token_id": uuid.uuid4(),
        "purpose": purpose.value, "token_hash": token_hash(token), "now": now,
        "expires_at": now + valid, "action": action, "notification_id": uuid.uuid4(),
        # Enqueued for unknown addresses too (it finds nothing): the same work either way.
        "batch": _send_after_commit(session), "claimed_until": now + lease(),
        **{f"{locale}_subject": t.subject for locale, t in texts.items()},
        **{f"{locale}_body": t.body for locale, t in texts.items()}})
