from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, patch, post, put
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services, staff_notifications
from asta.accounts.models import Role
from asta.accounts.schemas import (
    MemberCreate,
    MemberRead,
    MeRead,
    OrganisationCreate,
    OrganisationRead,
    ProfessionalSignUp,
    SignUpAccepted,
    StaffNotificationChoices,
    TokenRequest,
    TokenResponse,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from asta.core.auth import ADMIN_ROLES, STAFF_ROLES, Principal, requires, signed_in


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/token", status_code=200, summary="Sign in with e-mail and password")
    async def token(self, data: TokenRequest, db: AsyncSession,
                    request: Request[Any, Any, Any]) -> TokenResponse:
        return await services.sign_in(db, data, client_ip(request))

    @post("/sign-up", status_code=202, summary="Join the national professional pool "
          "(the same answer whether or not the address has an account)")
    async def sign_up(self, data: ProfessionalSignUp, db: AsyncSession) -> SignUpAccepted:
        return await services.sign_up_professional(db, data)


    @post("/sign-out", status_code=204, guards=[signed_in],
          summary="Sign out everywhere: every session and token of mine stops working")
    async def sign_out(self, db: AsyncSession, principal: Principal) -> None:
        await services.sign_out_everywhere(db, principal)


class MeController(Controller):
    path = "/api/me"
    tags = ["me"]
    guards = [signed_in]

    @get("/", summary="Who am I, and which roles do I hold")
    async def me(self, principal: Principal) -> MeRead:
        return services.me(principal)

    @get("/staff-notifications", guards=[requires(Role.SCHEDULER)],
         summary="How I hear about my units' claims, late cancellations, requests and "
                 "timesheets")
    async def staff_notifications(self, db: AsyncSession,
                                  principal: Principal) -> StaffNotificationChoices:
        return await staff_notifications.get_choices(db, principal)

    @put("/staff-notifications", guards=[requires(Role.SCHEDULER)],
         summary="Choose per kind: instant, daily summary or off")
    async def put_staff_notifications(self, data: StaffNotificationChoices, db: AsyncSession,
                                      principal: Principal) -> StaffNotificationChoices:
        return await staff_notifications.put_choices(db, principal, data)


class OrganisationController(Controller):
    path = "/api/organisations"
    tags = ["organisations"]

    @get("/", guards=[requires(*STAFF_ROLES)])
    async def list_organisations(self, db: AsyncSession,
                                 principal: Principal) -> list[OrganisationRead]:
        rows = await services.list_organisations(db, principal)
        return [OrganisationRead.model_validate(r) for r in rows]

    @post("/", guards=[requires(Role.PLATFORM_OPERATOR)])
    async def create_organisation(self, data: OrganisationCreate, db: AsyncSession,
                                  principal: Principal) -> OrganisationRead:
        return OrganisationRead.model_validate(
            await services.create_organisation(db, principal, data))

    @get("/{organisation_id:uuid}", guards=[requires(*STAFF_ROLES)])
    async def get_organisation(self, organisation_id: uuid.UUID, db: AsyncSession,
                               principal: Principal) -> OrganisationRead:
        return OrganisationRead.model_validate(
            await services.get_organisation(db, principal, organisation_id))

    @get("/{organisation_id:uuid}/units", guards=[requires(*STAFF_ROLES)])
    async def list_units(self, organisation_id: uuid.UUID, db: AsyncSession,
                         principal: Principal) -> list[UnitRead]:
        return await services.list_units(db, principal, organisation_id)

    @post("/{organisation_id:uuid}/units", guards=[requires(*ADMIN_ROLES)])
    async def create_unit(self, organisation_id: uuid.UUID, data: UnitCreate, db: AsyncSession,
                          principal: Principal) -> UnitRead:
        return await services.create_unit(db, principal, organisation_id, data)

    @get("/{organisation_id:uuid}/members", guards=[requires(*ADMIN_ROLES)])
    async def list_members(self, organisation_id: uuid.UUID, db: AsyncSession,
                           principal: Principal) -> list[MemberRead]:
        return await services.list_members(db, principal, organisation_id)

    @post("/{organisation_id:uuid}/members", guards=[requires(*ADMIN_ROLES)])
    async def add_member(self, organisation_id: uuid.UUID, data: MemberCreate, db: AsyncSession,
                         principal: Principal) -> MemberRead:
        return await services.add_member(db, principal, organisation_id, data)


class UnitController(Controller):
    path = "/api/units"
    tags = ["units"]

    @get("/{unit_id:uuid}", guards=[requires(*STAFF_ROLES)])
    async def get_unit(self, unit_id: uuid.UUID, db: AsyncSession,
                       principal: Principal) -> UnitRead:
        return await services.get_unit(db, principal, unit_id)

    @patch("/{unit_id:uuid}", guards=[requires(*ADMIN_ROLES)])
    async def update_unit(self, unit_id: uuid.UUID, data: UnitUpdate, db: AsyncSession,
                          principal: Principal) -> UnitRead:
        return await services.update_unit(db, principal, unit_id, data)
