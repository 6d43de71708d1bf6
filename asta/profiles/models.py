"""The national professional pool: profiles, certificates, availability and unit onboarding."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.clock import utcnow
from asta.core.models import (
    created_at_field,
    id_field,
    int_array_field,
    jsonb_field,
    text_array_field,
    timestamp_field,
    uuid_array_field,
)


class ProfessionalProfile(SQLModel, table=True):
    __tablename__ = "professional_profiles"
    __table_args__ = (
        sa.Index("ix_profiles_languages", "languages", postgresql_using="gin"),
        sa.Index("ix_profiles_competences", "competences", postgresql_using="gin"),
        sa.Index("ix_profiles_specialties", "specialties", postgresql_using="gin"),
    )
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    profession: str | None = Field(default=None, max_length=40, index=True)
    registration_number: str | None = Field(default=None, max_length=20)
    registration_valid_until: date | None = None
    registration_status: str = Field(default="unverified", max_length=20)
    registration_verified_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    registration_verified_at: datetime | None = timestamp_field()
    registration_warned_on: date | None = None
    specialties: list[str] = text_array_field()
    # [{"code": "sv", "level": "fluent"}, ...]; GIN-indexed for pool search by containment.
    languages: list[dict[str, Any]] = jsonb_field(list)
    competences: list[str] = text_array_field()
    bio: str = Field(default="", max_length=4000)
    home_municipality: str | None = Field(default=None, max_length=100)
    max_hours_per_week: float | None = None
    min_hourly_pay_cents: int | None = None
    remote_only: bool = False
    preferred_unit_ids: list[uuid.UUID] = uuid_array_field()
    preferred_weekdays: list[int] = int_array_field()
    unwanted_weekdays: list[int] = int_array_field()
    preferred_times: list[str] = text_array_field()
    unwanted_times: list[str] = text_array_field()
    # Per kind of e-mail (asta.notifications.rules.KINDS): instant, daily or off.
    notifications: dict[str, str] = jsonb_field(dict)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class Certificate(SQLModel, table=True):
    __tablename__ = "certificates"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=200)
    competence: str | None = Field(default=None, max_length=80)
    issued_on: date | None = None
    expires_on: date | None = Field(default=None, index=True)
    warned_on: date | None = None


class AvailabilityWindow(SQLModel, table=True):
    __tablename__ = "availability_windows"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ck_availability_order"),)
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    starts_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ends_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class AvailabilityPattern(SQLModel, table=True):
    """Available every week on `weekday` (1 = Monday) from `starts` to `ends`, Finnish time;
    an end before the start is the next morning's (asta.profiles.availability)."""

    __tablename__ = "availability_patterns"
    __table_args__ = (sa.CheckConstraint("weekday BETWEEN 1 AND 7", name="ck_pattern_weekday"),
                      sa.CheckConstraint("ends <> starts", name="ck_pattern_order"))
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    weekday: int = Field(sa_type=sa.SmallInteger)
    starts: time = Field(sa_type=sa.Time)
    ends: time = Field(sa_type=sa.Time)


class AvailabilityException(SQLModel, table=True):
    """A day the weekly pattern does not hold (holiday, other work)."""

    __tablename__ = "availability_exceptions"
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    day: date = Field(primary_key=True)


class OnboardingItem(SQLModel, table=True):
    """One step of a unit's onboarding checklist (perehdytys)."""

    __tablename__ = "onboarding_items"
    id: uuid.UUID = id_field()
    unit_id: uuid.UUID = Field(foreign_key="units.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    position: int = 0
    created_at: datetime = created_at_field()
    # False: those onboarded before the step was added stay onboarded (it is a to-do for them).
    applies_to_onboarded: bool = Field(default=True,
                                       sa_column_kwargs={"server_default": sa.true()})
    retired_at: datetime | None = timestamp_field()


class OnboardingCompletion(SQLModel, table=True):
    __tablename__ = "onboarding_completions"
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    item_id: uuid.UUID = Field(foreign_key="onboarding_items.id", primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="units.id", index=True)
    completed_at: datetime = created_at_field()
    recorded_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")


class UnitOnboarding(SQLModel, table=True):
    """Who has completed a unit's whole checklist: kept so shift eligibility is one lookup."""

    __tablename__ = "unit_onboardings"
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="units.id", primary_key=True, index=True)
    completed_at: datetime = created_at_field()
