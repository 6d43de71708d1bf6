"""API types of surveys, unit integration keys and patient feedback."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from asta.core.schemas import AwareDatetime, Schema

ENPS_QUESTION = ("How likely are you to recommend working through Asta to a colleague? "
                 "(0 = not at all likely, 10 = extremely likely)")
SATISFACTION_QUESTION = "How satisfied are you with your work? (1 = very dissatisfied, 5 = very satisfied)"


class SurveyRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    unit_name: str
    organisation_id: uuid.UUID
    question: str = ENPS_QUESTION
    satisfaction_question: str = SATISFACTION_QUESTION
    asked_at: datetime
    expires_at: datetime
    state: str  # open | answered | expired
    score: int | None
    satisfaction: int | None
    comment: str | None


class SurveyAnswer(Schema):
    score: int = Field(ge=0, le=10)
    satisfaction: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)


class ApiKeyCreate(Schema):
    name: str = Field(min_length=1, max_length=120, description="e.g. the sending system")


class ApiKeyRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="Shown once: store it in the unit's system now")


class PatientFeedbackCreate(Schema):
    score: int = Field(ge=0, le=10, description="0-10: would the patient recommend the service")
    shift_id: uuid.UUID | None = None
    external_id: str | None = Field(
        default=None, min_length=1, max_length=120,
        description="The sender's id for this answer; a repeat is accepted once")
    answered_at: AwareDatetime | None = None


class PatientFeedbackRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    shift_id: uuid.UUID | None
    score: int
    external_id: str | None
    answered_at: datetime
    duplicate: bool = False
