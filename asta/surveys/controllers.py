from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import HeaderParameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.surveys import services
from asta.surveys.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    PatientFeedbackCreate,
    PatientFeedbackRead,
    SurveyAnswer,
    SurveyRead,
)


class MySurveysController(Controller):
    path = "/api/me/surveys"
    tags = ["me", "surveys"]
    guards = [requires(Role.PROFESSIONAL)]

    @get("/", summary="My eNPS surveys, open ones first to answer")
    async def list_surveys(self, db: AsyncSession, principal: Principal) -> list[SurveyRead]:
        return await services.my_surveys(db, principal)

    @post("/{survey_id:uuid}/answer", status_code=200, summary="Answer an open survey")
    async def answer(self, survey_id: uuid.UUID, data: SurveyAnswer, db: AsyncSession,
                     principal: Principal) -> SurveyRead:
        return await services.answer_survey(db, principal, survey_id, data)


class UnitApiKeyController(Controller):
    path = "/api/units/{unit_id:uuid}/api-keys"
    tags = ["units", "integrations"]
    guards = [requires(*ADMIN_ROLES)]

    @post("/", summary="Create an integration key for the unit's systems (shown once)")
    async def create(self, unit_id: uuid.UUID, data: ApiKeyCreate, db: AsyncSession,
                     principal: Principal) -> ApiKeyCreated:
        return await services.create_api_key(db, principal, unit_id, data)

    @get("/", summary="The unit's integration keys (without the secrets)")
    async def list_keys(self, unit_id: uuid.UUID, db: AsyncSession,
                        principal: Principal) -> list[ApiKeyRead]:
        return await services.list_api_keys(db, principal, unit_id)

    @delete("/{key_id:uuid}", status_code=200, summary="Revoke an integration key")
    async def revoke(self, unit_id: uuid.UUID, key_id: uuid.UUID, db: AsyncSession,
                     principal: Principal) -> ApiKeyRead:
        return await services.revoke_api_key(db, principal, unit_id, key_id)


class PatientFeedbackController(Controller):
    path = "/api/integrations/patient-feedback"
    tags = ["integrations"]

    @post("/", summary="A patient's 0-10 answer from the unit's system (X-Asta-Api-Key)")
    async def post_feedback(
        self, data: PatientFeedbackCreate, db: AsyncSession,
        api_key: Annotated[str | None, HeaderParameter(name="X-Asta-Api-Key",
                                                       required=False)] = None,
    ) -> PatientFeedbackRead:
        return await services.record_patient_feedback(db, api_key, data)


SURVEY_CONTROLLERS = [MySurveysController, UnitApiKeyController, PatientFeedbackController]
