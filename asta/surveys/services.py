"""eNPS surveys, unit integration keys and patient feedback."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation, Unit
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import ConflictError, NotAuthenticatedError, NotFoundError
from asta.core.tenancy import require_same_unit, unit_for_admin
from asta.marketplace.models import Shift, Timesheet
from asta.metrics.area_settings import area_settings
from asta.notifications.services import notify
from asta.surveys import rules
from asta.surveys.models import PatientFeedback, Survey, UnitApiKey
from asta.surveys.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    PatientFeedbackCreate,
    PatientFeedbackRead,
    SurveyAnswer,
    SurveyRead,
)

ASK_LOCK = "asta.surveys.ask"

# -- eNPS ---------------------------------------------------------------------------------


async def ask_due_surveys(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Put the eNPS question to everyone it is due for; the e-mail goes through the outbox."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:n))"), {"n": ASK_LOCK})
    last_asked = (select(Survey.user_id, Survey.unit_id,
                         func.max(Survey.asked_at).label("asked_at"))
                  .group_by(Survey.user_id, Survey.unit_id).subquery())
    worked = await session.execute(
        select(Timesheet.professional_id, Shift.unit_id, Shift.organisation_id,
               func.max(Timesheet.actual_end).label("worked_at"), last_asked.c.asked_at)
        .join(Shift, Shift.id == Timesheet.shift_id)
        .outerjoin(last_asked, (last_asked.c.user_id == Timesheet.professional_id)
                   & (last_asked.c.unit_id == Shift.unit_id))
        .where(col(Timesheet.actual_end) <= now)
        .group_by(Timesheet.professional_id, Shift.unit_id, Shift.organisation_id,
                  last_asked.c.asked_at))
    pairs = worked.all()
    organisations = {o.id: o for o in await session.scalars(select(Organisation).where(
        col(Organisation.id).in_({p.organisation_id for p in pairs})))}
    asked = []
    for pair in pairs:
        interval = timedelta(days=area_settings(organisations[pair.organisation_id])
                             .enps_interval_days)
        if not rules.survey_due(last_asked_at=pair.asked_at, last_worked_at=pair.worked_at,
                                now=now, interval=interval):
            continue
        survey = Survey(user_id=pair.professional_id, organisation_id=pair.organisation_id,
                        unit_id=pair.unit_id, asked_at=now,
                        expires_at=now + rules.SURVEY_OPEN_FOR)
        session.add(survey)
        await notify(session, user_id=pair.professional_id, kind="enps_survey",
                     subject="Two questions about working through Asta",
                     body=("How likely are you to recommend working through Asta to a "
                           "colleague, and how satisfied are you with your work? Answer in "
                           "Asta under My surveys (takes 30 seconds)."),
                     dedup_key=f"enps-{survey.id}")
        asked.append(survey.id)
    await session.flush()
    return asked


def _survey_read(survey: Survey, unit_name: str, now: datetime) -> SurveyRead:
    return SurveyRead(id=survey.id, unit_id=survey.unit_id, unit_name=unit_name,
                      organisation_id=survey.organisation_id, asked_at=survey.asked_at,
                      expires_at=survey.expires_at,
                      state=rules.survey_state(survey.answered_at, survey.expires_at, now),
                      score=survey.score, satisfaction=survey.satisfaction,
                      comment=survey.comment)


async def my_surveys(session: AsyncSession, principal: Principal) -> list[SurveyRead]:
    rows = await session.execute(
        select(Survey, Unit.name).join(Unit, Unit.id == Survey.unit_id)
        .where(Survey.user_id == principal.user_id)
        .order_by(col(Survey.asked_at).desc()).limit(100))
    now = utcnow()
    return [_survey_read(survey, name, now) for survey, name in rows]


async def answer_survey(session: AsyncSession, principal: Principal, survey_id: uuid.UUID,
                        data: SurveyAnswer) -> SurveyRead:
    survey = await session.get(Survey, survey_id, with_for_update=True)
    if survey is None or survey.user_id != principal.user_id:
        raise NotFoundError("No such survey")
    now = utcnow()
    state = rules.survey_state(survey.answered_at, survey.expires_at, now)
    if state != "open":
        raise ConflictError(f"This survey is {state} and takes no answer", field="survey_id")
    survey.score, survey.satisfaction = data.score, data.satisfaction
    survey.comment = data.comment or None
    survey.answered_at = now
    unit = await session.get(Unit, survey.unit_id)
    return _survey_read(survey, unit.name if unit else "", now)


# -- unit integration keys -------------------------------------------------------------------


async def create_api_key(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                         data: ApiKeyCreate) -> ApiKeyCreated:
    unit = await unit_for_admin(session, principal, unit_id)
    key = rules.new_key()
    row = UnitApiKey(unit_id=unit.id, organisation_id=unit.organisation_id, name=data.name,
                     prefix=key.prefix, key_hash=key.digest, created_by=principal.user_id)
    session.add(row)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="unit_api_key",
                 entity_id=row.id, action="create",
                 after={"unit_id": unit.id, "name": row.name, "prefix": row.prefix},
                 organisation_id=unit.organisation_id)
    return ApiKeyCreated(**ApiKeyRead.model_validate(row).model_dump(), key=key.secret)


async def list_api_keys(session: AsyncSession, principal: Principal,
                        unit_id: uuid.UUID) -> list[ApiKeyRead]:
    await unit_for_admin(session, principal, unit_id)
    rows = await session.scalars(select(UnitApiKey).where(UnitApiKey.unit_id == unit_id)
                                 .order_by(col(UnitApiKey.created_at).desc()))
    return [ApiKeyRead.model_validate(r) for r in rows]


async def revoke_api_key(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                         key_id: uuid.UUID) -> ApiKeyRead:
    unit = await unit_for_admin(session, principal, unit_id)
    row = await session.get(UnitApiKey, key_id, with_for_update=True)
    if row is None or row.unit_id != unit.id:
        raise NotFoundError("No such API key")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor_id=principal.user_id, entity_type="unit_api_key",
                     entity_id=row.id, action="revoke", organisation_id=unit.organisation_id)
    return ApiKeyRead.model_validate(row)


async def key_holder(session: AsyncSession, secret: str | None) -> UnitApiKey:
    """The live key a unit system presented; anything else is unauthenticated."""
    row = None
    if secret and secret.startswith(rules.KEY_PREFIX):
        row = await session.scalar(select(UnitApiKey).where(
            UnitApiKey.key_hash == rules.hash_key(secret)))
    if row is None or row.revoked_at is not None:
        raise NotAuthenticatedError("Give a valid unit API key in the X-Asta-Api-Key header")
    row.last_used_at = utcnow()
    return row  # type: ignore[no-any-return]


# -- patient feedback ----------------------------------------------------------------------


def _feedback_read(row: PatientFeedback, duplicate: bool) -> PatientFeedbackRead:
    return PatientFeedbackRead(id=row.id, unit_id=row.unit_id, shift_id=row.shift_id,
                               score=row.score, external_id=row.external_id,
                               answered_at=row.answered_at, duplicate=duplicate)


async def record_patient_feedback(session: AsyncSession, api_key: str | None,
                                  data: PatientFeedbackCreate) -> PatientFeedbackRead:
    key = await key_holder(session, api_key)
    if data.shift_id is not None:
        shift = await session.get(Shift, data.shift_id)
        require_same_unit(shift.unit_id if shift else None, key.unit_id, "shift")
    now = utcnow()
    feedback_id = await session.scalar(
        insert(PatientFeedback).values(
            id=uuid.uuid4(), unit_id=key.unit_id, organisation_id=key.organisation_id,
            shift_id=data.shift_id, score=data.score, external_id=data.external_id,
            api_key_id=key.id, answered_at=min(data.answered_at or now, now), received_at=now)
        .on_conflict_do_nothing(constraint="uq_patient_feedback_external")
        .returning(PatientFeedback.id))
    duplicate = feedback_id is None
    row = await session.scalar(select(PatientFeedback).where(
        (PatientFeedback.id == feedback_id) if feedback_id is not None else (
            (PatientFeedback.unit_id == key.unit_id)
            & (PatientFeedback.external_id == data.external_id))))
    assert row is not None
    return _feedback_read(row, duplicate)
