from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from asta.core.schemas import Email, Schema

Percent = Annotated[float, Field(ge=0, le=300)]
ProfessionName = Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]


class TokenRequest(Schema):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)
    # Required when the account has two-step verification: a code from the authenticator
    # app or one of the recovery codes.
    totp_code: str | None = Field(default=None, min_length=1, max_length=40)


class TokenResponse(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int


class ProfessionalSignUp(Schema):
    email: Email
    password: str = Field(min_length=10, max_length=200)
    full_name: str = Field(min_length=1, max_length=200)
    locale: Literal["fi", "sv", "en"] = "fi"


class GrantRead(Schema):
    role: str
    organisation_id: uuid.UUID | None
    unit_id: uuid.UUID | None


class MeRead(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    locale: str
    roles: list[str]
    grants: list[GrantRead]


class OrganisationCreate(Schema):
    name: str = Field(min_length=2, max_length=200)
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,79}$")


class OrganisationRead(Schema):
    id: uuid.UUID
    name: str
    slug: str
    created_at: datetime


class RateCardIn(Schema):
    """Base hourly pay per profession and supplements as % of base (Finnish practice)."""

    base_hourly_cents: dict[ProfessionName, Annotated[int, Field(gt=0, le=100_000)]] = Field(
        default_factory=dict)
    evening_pct: Percent = 15
    night_pct: Percent = 30
    saturday_pct: Percent = 25
    sunday_pct: Percent = 100


class UnitCreate(Schema):
    name: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=4000)
    is_remote: bool = True
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["fi"], max_length=10)
    claim_mode: Literal["instant", "request"] = "instant"
    # Areas may tighten the Working Hours Act (11 h rest, 48 h a week), never loosen it.
    min_rest_hours: float = Field(default=11, ge=11, le=24)
    weekly_max_hours: float = Field(default=48, gt=0, le=48)
    cancellation_notice_hours: int = Field(default=48, ge=0, le=24 * 30)
    default_visibility: Literal["unit", "area", "national"] = "area"
    rate_card: RateCardIn = Field(default_factory=RateCardIn)


class UnitUpdate(Schema):
    name: str | None = Field(default=None, min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    is_remote: bool | None = None
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] | None = Field(
        default=None, max_length=10)
    claim_mode: Literal["instant", "request"] | None = None
    min_rest_hours: float | None = Field(default=None, ge=11, le=24)
    weekly_max_hours: float | None = Field(default=None, gt=0, le=48)
    cancellation_notice_hours: int | None = Field(default=None, ge=0, le=24 * 30)
    default_visibility: Literal["unit", "area", "national"] | None = None
    rate_card: RateCardIn | None = None


class UnitRead(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    name: str
    description: str
    is_remote: bool
    languages: list[str]
    claim_mode: str
    min_rest_hours: float
    weekly_max_hours: float
    cancellation_notice_hours: int
    default_visibility: str
    rate_card: RateCardIn


class MemberCreate(Schema):
    email: Email
    full_name: str = Field(min_length=1, max_length=200)
    role: Literal["scheduler", "area_admin"]
    unit_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100,
        description="For a scheduler of given units; empty means every unit of the area")
    password: str | None = Field(default=None, min_length=10, max_length=200,
                                 description="Initial password for a new account")


class MemberRead(Schema):
    user_id: uuid.UUID
    email: str
    full_name: str
    grants: list[GrantRead]


class SignUpAccepted(Schema):
    """The same answer whether or not the address already has an account."""

    status: str = "accepted"
    detail: str = ("Thank you. If the address is new, we sent it a link to confirm it; the "
                   "account can sign in once it is confirmed. If it already has an account, "
                   "its owner gets an e-mail instead.")


StaffDelivery = Literal["instant", "daily", "off"]


class StaffNotificationChoices(Schema):
    """How a scheduler hears about their units' shifts, per kind (asta.notifications.rules
    STAFF_DEFAULTS when not chosen)."""

    claims: StaffDelivery = "daily"
    cancellations: StaffDelivery = "instant"
    requests: StaffDelivery = "instant"
    timesheets: StaffDelivery = "daily"
