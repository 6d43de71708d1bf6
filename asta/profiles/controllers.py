from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Controller, Response, get, patch, post, put
from litestar.params import Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import ADMIN_ROLES, STAFF_ROLES, Principal, requires
from asta.core.schemas import Page
from asta.profiles import services
from asta.profiles.schemas import (
    OnboardingItemIn,
    OnboardingItemRead,
    OnboardingItemUpdate,
    OnboardingRecord,
    ProfessionalOnboarding,
    ProfessionalSummary,
    ProfileRead,
    ProfileUpdate,
    RegistrationVerification,
)
from asta.profiles.services.pool import PoolFilters


class MyProfileController(Controller):
    path = "/api/me"
    tags = ["me"]
    guards = [requires(Role.PROFESSIONAL)]

    @get("/profile")
    async def get_profile(self, db: AsyncSession, principal: Principal) -> ProfileRead:
        return await services.get_my_profile(db, principal)

    @put("/profile")
    async def put_profile(self, data: ProfileUpdate, db: AsyncSession,
                          principal: Principal) -> ProfileRead:
        return await services.update_my_profile(db, principal, data)

    @get("/export", summary="All my personal data as JSON (GDPR art. 15 and 20)")
    async def export(self, db: AsyncSession, principal: Principal) -> Response[dict[str, Any]]:
        data = await services.export_my_data(db, principal)
        return Response(data, headers={
            "Content-Disposition": 'attachment; filename="asta-my-data.json"'})

    @post("/erasure", status_code=202, summary="Erase my personal data (GDPR art. 17)")
    async def erase(self, db: AsyncSession, principal: Principal) -> dict[str, str]:
        await services.erase_me(db, principal)
        return {"status": "erased"}


class ProfessionalController(Controller):
    path = "/api/professionals"
    tags = ["professional pool"]
    guards = [requires(*STAFF_ROLES)]

    @get("/", summary="Search the national professional pool")
    async def search(
        self, db: AsyncSession, principal: Principal,
        profession: str | None = None,
        specialty: Annotated[list[str] | None, QueryParameter(name="specialty")] = None,
        language: Annotated[list[str] | None, QueryParameter(name="language")] = None,
        min_language_level: Literal["basic", "professional", "fluent", "native"] = "basic",
        competence: Annotated[list[str] | None, QueryParameter(name="competence")] = None,
        onboarded_unit_id: uuid.UUID | None = None,
        available_from: datetime | None = None,
        available_to: datetime | None = None,
        verified_only: bool = False,
        name: Annotated[str | None, Parameter(max_length=100)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> Page[ProfessionalSummary]:
        filters = PoolFilters(
            profession=profession, specialties=tuple(specialty or ()),
            languages=tuple(language or ()), min_language_level=min_language_level,
            competences=tuple(competence or ()), onboarded_unit_id=onboarded_unit_id,
            available_from=available_from, available_to=available_to,
            verified_only=verified_only, name=name, limit=limit, offset=offset)
        return await services.search_professionals(db, principal, filters)

    @get("/{user_id:uuid}")
    async def get_professional(self, user_id: uuid.UUID, db: AsyncSession,
                               principal: Principal) -> ProfessionalSummary:
        return await services.get_professional(db, principal, user_id)

    @post("/{user_id:uuid}/registration-verification", status_code=200,
          guards=[requires(*ADMIN_ROLES)],
          summary="Record the result of checking the registration in Valvira's register "
                  "(the operator, or an admin of an area where the professional is onboarded)")
    async def verify(self, user_id: uuid.UUID, data: RegistrationVerification,
                     db: AsyncSession, principal: Principal) -> ProfessionalSummary:
        return await services.verify_registration(db, principal, user_id, data)


class OnboardingController(Controller):
    path = "/api/units/{unit_id:uuid}/onboarding"
    tags = ["onboarding"]
    guards = [requires(*STAFF_ROLES)]

    @get("/items")
    async def list_items(self, unit_id: uuid.UUID, db: AsyncSession,
                         principal: Principal) -> list[OnboardingItemRead]:
        return await services.list_onboarding_items(db, principal, unit_id)

    @post("/items")
    async def add_item(self, unit_id: uuid.UUID, data: OnboardingItemIn, db: AsyncSession,
                       principal: Principal) -> OnboardingItemRead:
        return await services.add_onboarding_item(db, principal, unit_id, data)

    @patch("/items/{item_id:uuid}",
           summary="Edit a step's wording or order, or retire it (audited)")
    async def update_item(self, unit_id: uuid.UUID, item_id: uuid.UUID,
                          data: OnboardingItemUpdate, db: AsyncSession,
                          principal: Principal) -> OnboardingItemRead:
        return await services.update_onboarding_item(db, principal, unit_id, item_id, data)

    @get("/professionals/{user_id:uuid}")
    async def get_progress(self, unit_id: uuid.UUID, user_id: uuid.UUID, db: AsyncSession,
                           principal: Principal) -> ProfessionalOnboarding:
        return await services.get_professional_onboarding(db, principal, unit_id, user_id)

    @put("/professionals/{user_id:uuid}")
    async def record(self, unit_id: uuid.UUID, user_id: uuid.UUID, data: OnboardingRecord,
                     db: AsyncSession, principal: Principal) -> ProfessionalOnboarding:
        return await services.record_onboarding(db, principal, unit_id, user_id, data)
