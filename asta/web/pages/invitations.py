"""Area admins invite schedulers and admins by e-mail, and resend or revoke what is pending."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.accounts.identity import invitations
from asta.accounts.identity.schemas import InvitationCreate
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.tenancy import can_administer
from asta.web.forms import Errors, FormAttempt, FormValues, text
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
admins_only = requires(*ADMIN_ROLES)


async def _page(request: AnyRequest, db: AsyncSession, principal: Principal,
                values: FormValues, errors: Errors, *, status_code: int = 200,
                done: str = "") -> Template:
    areas = [a for a in await accounts.list_organisations(db, principal)
             if can_administer(principal, a.id)]
    pending = [{"area": a, "invitations": await invitations.list_pending(db, principal, a.id)}
               for a in areas]
    return page(request, "invitations.html", current="invitations",
                area_options=[(str(a.id), a.name) for a in areas],
                pending=pending, values=values, errors=errors, done=done,
                status_code=status_code)


@get("/invitations", name="invitations", guards=[admins_only])
async def invitations_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                           done: str = "") -> Template:
    values = {"email": "", "role": "scheduler", "locale": request_locale(request),
              "organisation_id": ""}
    return await _page(request, db, principal, values, {},
                       done=done if done in {"sent", "resent", "revoked"} else "")


@post("/invitations", name="invitation_create", guards=[admins_only])
async def invite(request: AnyRequest, db: AsyncSession,
                 principal: Principal) -> Template | Redirect:
    form = await request.form()
    values = {k: text(form, k) for k in ("email", "role", "locale", "organisation_id")}
    async with FormAttempt(db, request_locale(request)) as attempt:
        await invitations.invite(db, principal, InvitationCreate.model_validate(values))
    if not attempt.errors:
        return Redirect("/invitations?done=sent", status_code=303)
    return await _page(request, db, principal, values, attempt.errors, status_code=422)


@post("/invitations/{invitation_id:uuid}/resend", name="invitation_resend",
      guards=[admins_only])
async def resend(db: AsyncSession, principal: Principal, invitation_id: uuid.UUID) -> Redirect:
    await invitations.resend(db, principal, invitation_id)
    return Redirect("/invitations?done=resent", status_code=303)


@post("/invitations/{invitation_id:uuid}/revoke", name="invitation_revoke",
      guards=[admins_only])
async def revoke(db: AsyncSession, principal: Principal, invitation_id: uuid.UUID) -> Redirect:
    await invitations.revoke(db, principal, invitation_id)
    return Redirect("/invitations?done=revoked", status_code=303)


HANDLERS = [invitations_page, invite, resend, revoke]
