from __future__ import annotations

import uuid

from litestar import Controller, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.identity import invitations
from asta.accounts.identity.schemas import InvitationCreate, InvitationRead
from asta.core.auth import ADMIN_ROLES, Principal, requires


class InvitationController(Controller):
    path = "/api/invitations"
    tags = ["invitations"]
    guards = [requires(*ADMIN_ROLES)]

    @post("/", status_code=201, summary="Invite a scheduler or admin of your area by e-mail")
    async def invite(self, data: InvitationCreate, db: AsyncSession,
                     principal: Principal) -> InvitationRead:
        return await invitations.invite(db, principal, data)

    @get("/", summary="An area's invitations that are not yet accepted or revoked")
    async def list_pending(self, organisation_id: uuid.UUID, db: AsyncSession,
                           principal: Principal) -> list[InvitationRead]:
        return await invitations.list_pending(db, principal, organisation_id)

    @post("/{invitation_id:uuid}/resend", status_code=200,
          summary="Send the invitation again with a new link (the old one stops working)")
    async def resend(self, invitation_id: uuid.UUID, db: AsyncSession,
                     principal: Principal) -> InvitationRead:
        return await invitations.resend(db, principal, invitation_id)

    @post("/{invitation_id:uuid}/revoke", status_code=200, summary="Withdraw the invitation")
    async def revoke(self, invitation_id: uuid.UUID, db: AsyncSession,
                     principal: Principal) -> InvitationRead:
        return await invitations.revoke(db, principal, invitation_id)
