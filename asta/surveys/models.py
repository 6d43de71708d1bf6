"""eNPS surveys sent to professionals, patient feedback, and the units' integration keys."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class Survey(SQLModel, table=True):
    """One eNPS question put to a professional about working at a unit through Asta."""

    __tablename__ = "surveys"
    __table_args__ = (
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="ck_surveys_score"),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                           name="ck_surveys_satisfaction"),
        sa.Index("ix_surveys_user_unit", "user_id", "unit_id", "asked_at"),
        sa.Index("ix_surveys_answered", "organisation_id", "answered_at",
                 postgresql_where=sa.text("answered_at IS NOT NULL")),
    )
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id")
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    unit_id: uuid.UUID = Field(foreign_key="units.id")
    asked_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    answered_at: datetime | None = timestamp_field()
    score: int | None = None  # 0-10: would you recommend working through Asta?
    satisfaction: int | None = None  # 1-5: job satisfaction
    comment: str | None = Field(default=None, max_length=2000)


class UnitApiKey(SQLModel, table=True):
    """A unit system's key for the integration API; only a hash of the secret is kept."""

    __tablename__ = "unit_api_keys"
    id: uuid.UUID = id_field()
    unit_id: uuid.UUID = Field(foreign_key="units.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    name: str = Field(max_length=120)
    prefix: str = Field(max_length=20)  # shown in lists so people can tell keys apart
    key_hash: str = Field(max_length=64, unique=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class PatientFeedback(SQLModel, table=True):
    """A patient's 0-10 answer, posted by the unit's own system for a shift or the unit."""

    __tablename__ = "patient_feedback"
    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_patient_feedback_score"),
        sa.UniqueConstraint("unit_id", "external_id", name="uq_patient_feedback_external"),
        sa.Index("ix_patient_feedback_org_answered", "organisation_id", "answered_at"),
    )
    id: uuid.UUID = id_field()
    unit_id: uuid.UUID = Field(foreign_key="units.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id")
    shift_id: uuid.UUID | None = Field(default=None, foreign_key="shifts.id", index=True)
    score: int
    external_id: str | None = Field(default=None, max_length=120)  # the sender's id: no repeats
    api_key_id: uuid.UUID | None = Field(default=None, foreign_key="unit_api_keys.id")
    answered_at: datetime = created_at_field()  # when the patient answered (sender's clock)
    received_at: datetime = created_at_field()
