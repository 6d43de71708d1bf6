"""Staff invitations: an area admin invites a scheduler or admin of their own area by e-mail;
the invitee sets a name and password and gets the role. No admin ever knows the password."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.identity import emails
from asta.accounts.identity.errors import LINK_NOT_VALID, LinkNotValidError
from asta.accounts.identity.mailing import queue
from asta.accounts.identity.models import Invitation
from asta.accounts.identity.schemas import InvitationAccept, InvitationCreate, InvitationRead
from asta.accounts.identity.tokens import INVITATION_VALID, link, new_token, token_hash
from asta.accounts.models import Organisation, RoleAssignment, Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import ConflictError, InvalidInputError, NotFoundError
from asta.core.security import hash_password_off_loop
from asta.core.tenancy import can_administer, organisation_for_admin

ACCEPT_PAGE = "/invitation"
Status = Literal["pending", "expired", "accepted", "revoked"]


def status(invitation: Invitation, now: datetime) -> Status:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    return "expired" if invitation.expires_at <= now else "pending"


def read(invitation: Invitation) -> InvitationRead:
    return InvitationRead(
        id=invitation.id, organisation_id=invitation.organisation_id,
        unit_id=invitation.unit_id, email=invitation.email, role=invitation.role,
        locale=invitation.locale, status=status(invitation, utcnow()),
        created_at=invitation.created_at, sent_at=invitation.sent_at,
        expires_at=invitation.expires_at)


async def _send(session: AsyncSession, invitation: Invitation, inviter: Principal) -> None:
    """A fresh token each time: resending makes the older link useless."""
    token, now = new_token(), utcnow()
    invitation.token_hash = token_hash(token)
    invitation.sent_at, invitation.expires_at = now, now + INVITATION_VALID
    area = await session.get(Organisation, invitation.organisation_id)
    assert area is not None  # checked by the caller
    text = emails.render("invitation", invitation.locale, link=link(ACCEPT_PAGE, token),
                         area=area.name, inviter=inviter.full_name or inviter.email,
                         role=emails.role_name(invitation.role, invitation.locale))
    await queue(session, kind="invitation", to_address=invitation.email, text_=text)


async def invite(session: AsyncSession, principal: Principal,
                 data: InvitationCreate) -> InvitationRead:
    await organisation_for_admin(session, principal, data.organisation_id)
    if data.unit_id is not None:
        if data.role != "scheduler":
            raise InvalidInputError("An area admin covers the whole area; leave unit_id empty",
                                    field="unit_id")
        unit = await session.get(Unit, data.unit_id)
        if unit is None or unit.organisation_id != data.organisation_id:
            raise InvalidInputError("The unit is not a unit of this area", field="unit_id")
    invitation = Invitation(organisation_id=data.organisation_id, unit_id=data.unit_id,
                            email=data.email, role=data.role, locale=data.locale,
                            invited_by=principal.user_id, token_hash="")
    await _send(session, invitation, principal)
    session.add(invitation)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="invitation",
                 entity_id=invitation.id, action="invite", after=audit.snapshot(invitation),
                 organisation_id=invitation.organisation_id)
    return read(invitation)


async def list_pending(session: AsyncSession, principal: Principal,
                       organisation_id: uuid.UUID) -> list[InvitationRead]:
    """Invitations not yet accepted or revoked (expired ones too, to resend)."""
    await organisation_for_admin(session, principal, organisation_id)
    rows = await session.scalars(select(Invitation).where(
        col(Invitation.organisation_id) == organisation_id,
        col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None))
        .order_by(col(Invitation.created_at).desc()))
    return [read(r) for r in rows]


async def _open_invitation(session: AsyncSession, principal: Principal,
                           invitation_id: uuid.UUID) -> Invitation:
    invitation = await session.get(Invitation, invitation_id, with_for_update=True)
    if invitation is None or not can_administer(principal, invitation.organisation_id):
        raise NotFoundError("No such invitation")
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ConflictError("The invitation has already been accepted or revoked")
    return invitation


async def resend(session: AsyncSession, principal: Principal,
                 invitation_id: uuid.UUID) -> InvitationRead:
    invitation = await _open_invitation(session, principal, invitation_id)
    await _send(session, invitation, principal)
    audit.record(session, actor_id=principal.user_id, entity_type="invitation",
                 entity_id=invitation.id, action="invitation_resent",
                 organisation_id=invitation.organisation_id)
    await session.flush()
    return read(invitation)


async def revoke(session: AsyncSession, principal: Principal,
                 invitation_id: uuid.UUID) -> InvitationRead:
    invitation = await _open_invitation(session, principal, invitation_id)
    invitation.revoked_at = utcnow()
    audit.record(session, actor_id=principal.user_id, entity_type="invitation",
                 entity_id=invitation.id, action="invitation_revoked",
                 organisation_id=invitation.organisation_id)
    await session.flush()
    return read(invitation)


async def by_token(session: AsyncSession, token: str, *, lock: bool = False) -> Invitation:
    statement = select(Invitation).where(col(Invitation.token_hash) == token_hash(token))
    invitation = await session.scalar(statement.with_for_update() if lock else statement)
    if invitation is None or status(invitation, utcnow()) != "pending":
        raise LinkNotValidError(LINK_NOT_VALID, field="token")
    return invitation


async def accept(session: AsyncSession, data: InvitationAccept) -> uuid.UUID:
    invitation = await by_token(session, data.token, lock=True)
    user = await session.scalar(select(User).where(col(User.email) == invitation.email))
    if user is None:
        user = User(email=invitation.email, locale=invitation.locale, full_name=data.full_name)
        session.add(user)
    elif not user.is_active or user.erased_at is not None:
        raise LinkNotValidError(LINK_NOT_VALID, field="token")
    # The link reached the address, as a reset link would: the password may be (re)set.
    user.full_name, user.password_hash = data.full_name, await hash_password_off_loop(data.password)
    user.email_verified = True
    await session.flush()
    grant_id = await session.scalar(
        insert(RoleAssignment).values(
            id=uuid.uuid4(), user_id=user.id, role=invitation.role,
            organisation_id=invitation.organisation_id, unit_id=invitation.unit_id,
            created_at=utcnow())
        .on_conflict_do_nothing(constraint="uq_role_assignment").returning(col(RoleAssignment.id)))
    invitation.accepted_at, invitation.accepted_user_id = utcnow(), user.id
    audit.record(session, actor_id=user.id, entity_type="invitation", entity_id=invitation.id,
                 action="invitation_accepted", organisation_id=invitation.organisation_id)
    if grant_id is not None:
        audit.record(session, actor_id=user.id, entity_type="role_assignment",
                     entity_id=grant_id, action="grant", organisation_id=invitation.organisation_id,
                     after={"user_id": user.id, "role": invitation.role,
                            "organisation_id": invitation.organisation_id,
                            "unit_id": invitation.unit_id, "invitation_id": invitation.id})
    await session.flush()
    return user.id
