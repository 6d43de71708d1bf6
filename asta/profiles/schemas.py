from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from asta.core.schemas import AwareDatetime, Schema
from asta.notifications.rules import choices_for
from asta.profiles.rules import registration_number_is_valid

Profession = Literal["doctor", "nurse", "public_health_nurse", "physiotherapist",
                     "psychotherapist", "occupational_therapist", "psychologist", "midwife",
                     "paramedic"]
LanguageLevel = Literal["basic", "professional", "fluent", "native"]
TimeOfDay = Literal["morning", "day", "evening", "night"]
Tag = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
Weekday = Annotated[int, Field(ge=1, le=7)]


class LanguageSkill(Schema):
    code: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. fi, sv, en")
    level: LanguageLevel


class CertificateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    competence: Tag | None = None
    issued_on: date | None = None
    expires_on: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> CertificateIn:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValueError("expires_on must not be before issued_on")
        return self


class CertificateRead(CertificateIn):
    id: uuid.UUID
    expires_soon: bool = False


class AvailabilityWindowIn(Schema):
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _in_order(self) -> AvailabilityWindowIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class WeeklyAvailability(Schema):
    """Every week on `weekday` (1 = Monday ... 7 = Sunday), from `starts` to `ends` in Finnish
    time; an end before the start is the next morning's (22:00-06:00)."""

    weekday: int = Field(ge=1, le=7)
    starts: time
    ends: time

    @model_validator(mode="after")
    def _not_empty(self) -> WeeklyAvailability:
        if self.ends == self.starts:
            raise ValueError("a weekly time must end at another time than it starts")
        return self


NotificationKind = Literal["new_shifts", "bookings", "reminders", "standby_offers"]
Delivery = Literal["instant", "daily", "off"]


class ShiftPreferences(Schema):
    max_hours_per_week: float | None = Field(default=None, gt=0, le=80)
    min_hourly_pay_cents: int | None = Field(default=None, ge=0, le=100_000)
    remote_only: bool = False
    preferred_unit_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    preferred_weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    unwanted_weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    preferred_times: list[TimeOfDay] = Field(default_factory=list, max_length=4)
    unwanted_times: list[TimeOfDay] = Field(default_factory=list, max_length=4)
    # How each kind of e-mail arrives; a kind left out arrives instantly.
    notifications: dict[NotificationKind, Delivery] = Field(default_factory=dict)

    @field_validator("notifications")
    @classmethod
    def _offered_choices(cls, chosen: dict[str, str]) -> dict[str, str]:
        for kind, choice in chosen.items():
            if choice not in choices_for(kind):
                raise ValueError("A standby offer lasts 2 hours: choose instantly or not at all")
        return chosen


class ProfileUpdate(Schema):
    """The whole profile: PUT replaces it."""

    full_name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()\-]{5,30}$")
    locale: Literal["fi", "sv", "en"] = "fi"
    profession: Profession
    registration_number: str | None = None
    registration_valid_until: date | None = None
    specialties: list[Tag] = Field(default_factory=list, max_length=30)
    languages: list[LanguageSkill] = Field(default_factory=list, max_length=20)
    competences: list[Tag] = Field(default_factory=list, max_length=100)
    certificates: list[CertificateIn] = Field(default_factory=list, max_length=100)
    availability: list[AvailabilityWindowIn] = Field(default_factory=list, max_length=500)
    # Recurring availability, and the days it does not hold; with neither, any time goes.
    weekly_availability: list[WeeklyAvailability] = Field(default_factory=list, max_length=50)
    unavailable_days: list[date] = Field(default_factory=list, max_length=366)
    preferences: ShiftPreferences = Field(default_factory=ShiftPreferences)
    bio: str = Field(default="", max_length=4000)
    home_municipality: str | None = Field(default=None, max_length=100)

    @field_validator("registration_number")
    @classmethod
    def _valvira_format(cls, value: str | None) -> str | None:
        if value is not None and not registration_number_is_valid(value):
            raise ValueError("must be a Valvira (Terhikki) registration number of 9-11 digits")
        return value

    @field_validator("languages")
    @classmethod
    def _one_entry_per_language(cls, value: list[LanguageSkill]) -> list[LanguageSkill]:
        codes = [skill.code for skill in value]
        if len(codes) != len(set(codes)):
            raise ValueError("each language may be listed once")
        return value


class OnboardingStatus(Schema):
    unit_id: uuid.UUID
    unit_name: str
    items_total: int
    items_completed: int
    completed: bool


class ProfileRead(Schema):
    user_id: uuid.UUID
    email: str
    full_name: str
    phone: str | None
    locale: str
    profession: str | None
    registration_number: str | None
    registration_valid_until: date | None
    registration_status: str
    registration_verified_by: uuid.UUID | None
    registration_verified_at: datetime | None
    specialties: list[str]
    languages: list[LanguageSkill]
    competences: list[str]
    certificates: list[CertificateRead]
    availability: list[AvailabilityWindowIn]
    weekly_availability: list[WeeklyAvailability] = Field(default_factory=list)
    unavailable_days: list[date] = Field(default_factory=list)
    preferences: ShiftPreferences
    onboarding: list[OnboardingStatus]
    bio: str
    home_municipality: str | None
    updated_at: datetime


class ProfessionalSummary(Schema):
    user_id: uuid.UUID
    full_name: str
    email: str
    profession: str | None
    registration_status: str
    registration_valid_until: date | None
    specialties: list[str]
    languages: list[LanguageSkill]
    competences: list[str]
    onboarded_unit_ids: list[uuid.UUID]
    remote_only: bool
    max_hours_per_week: float | None
    # Valvira's register is public: the number is what an admin looks up to check it.
    registration_number: str | None = None


class RegistrationVerification(Schema):
    status: Literal["verified", "rejected"]
    registration_valid_until: date | None = None


class OnboardingItemIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    position: int = Field(default=0, ge=0, le=1000)
    applies_to_onboarded: bool = Field(
        default=False, description="True: those already onboarded must complete the new step "
        "before they are onboarded again; False: they stay onboarded and see it as a to-do")


class OnboardingItemUpdate(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    position: int | None = Field(default=None, ge=0, le=1000)
    retired: bool | None = Field(default=None, description="True retires the step: nobody "
                                 "needs it any more (completions are kept for the record)")


class OnboardingItemRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    title: str
    description: str
    position: int
    applies_to_onboarded: bool
    created_at: datetime
    retired_at: datetime | None


class OnboardingRecord(Schema):
    """Items of the unit's checklist the professional has completed (replaces the set)."""

    completed_item_ids: list[uuid.UUID] = Field(max_length=200)


class ProfessionalOnboarding(Schema):
    unit_id: uuid.UUID
    user_id: uuid.UUID
    items: list[OnboardingItemRead]
    completed_item_ids: list[uuid.UUID]
    completed: bool
