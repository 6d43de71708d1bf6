"""API types of the marketplace: shifts, demand, claims, standby offers, timesheets."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from asta.core.schemas import AwareDatetime, Schema
from asta.profiles.schemas import LanguageLevel, Profession, Tag

VisibilityName = Literal["unit", "area", "national"]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
IsoWeekday = Annotated[int, Field(ge=1, le=7)]
Reason = Annotated[str, Field(min_length=1, max_length=1000)]


class ShiftTerms(Schema):
    """What a shift asks for and offers; shared by explicit shifts and demand patterns."""

    profession: Profession
    required_specialties: list[Tag] = Field(default_factory=list, max_length=20)
    required_languages: dict[LanguageCode, LanguageLevel] = Field(
        default_factory=dict, max_length=10, description="Language code -> minimum level")
    required_competences: list[Tag] = Field(default_factory=list, max_length=50)
    onboarding_required: bool = False
    is_remote: bool | None = Field(default=None, description="Defaults to the unit's setting")
    description: str = Field(default="", max_length=4000)
    visibility: VisibilityName | None = Field(
        default=None, description="Defaults to the unit's default visibility")
    break_minutes: int = Field(default=0, ge=0, le=240, description="Planned unpaid break")
    base_hourly_cents: int | None = Field(
        default=None, gt=0, le=100_000,
        description="Overrides the unit's rate card for this shift (e.g. an urgent-fill rate)")


class ShiftCreate(ShiftTerms):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    positions: int = Field(default=1, ge=1, le=100)

    @model_validator(mode="after")
    def _in_order(self) -> ShiftCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class ShiftBatchCreate(Schema):
    shifts: list[ShiftCreate] = Field(min_length=1, max_length=500)
    publish: bool = False


class DemandBlock(Schema):
    """E.g. 3 doctors 08:00-16:00; an end at or before the start runs past midnight."""

    start: time
    end: time
    headcount: int = Field(ge=1, le=100)

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("a wall-clock time in the unit's zone, without an offset")
        return value


class DemandCreate(ShiftTerms):
    """Requirement per time interval, expanded into shifts in Europe/Helsinki time."""

    first_date: date
    last_date: date
    weekdays: list[IsoWeekday] = Field(min_length=1, max_length=7,
                                       description="1 = Monday ... 7 = Sunday")
    blocks: list[DemandBlock] = Field(min_length=1, max_length=12)
    exclude_holidays: bool = False
    publish: bool = False


class ShiftIds(Schema):
    shift_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class CancelRequest(Schema):
    reason: Reason


class PayRead(Schema):
    total_cents: int
    base_hourly_cents: int
    average_hourly_cents: int
    breakdown: dict[str, Any]


class EligibilityRead(Schema):
    eligible: bool
    onboarding_needed: bool
    can_claim: bool  # a claim or request now would succeed (rules.decide_action)
    action: str = "none"  # claim, request, standby, accept_offer, cancel or none
    # Why no claim: each {code, message, params} from the catalogue (rules.refusals).
    reasons: list[dict[str, Any]]


class ShiftRead(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    unit_name: str
    organisation_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    profession: str
    positions: int
    filled: int
    open_positions: int
    required_specialties: list[str]
    required_languages: dict[str, str]
    required_competences: list[str]
    onboarding_required: bool
    is_remote: bool
    description: str
    visibility: str
    status: str
    claim_mode: str
    pay: PayRead
    cancel_reason: str | None = None
    requested: int | None = None  # staff only: open requests
    standby: int | None = None  # staff only: people waiting
    eligibility: EligibilityRead | None = None  # professionals only


class AssignmentRead(Schema):
    id: uuid.UUID
    shift_id: uuid.UUID
    professional_id: uuid.UUID
    professional_name: str | None = None
    reliability_score: int | None = None
    unit_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    status: str
    late_cancellation: bool
    cancel_reason: str | None
    created_at: datetime
    timesheet_status: str | None = None


class ShiftDetail(ShiftRead):
    assignments: list[AssignmentRead] = Field(default_factory=list)
    cancellation_notice_hours: int | None = None  # cancelling later than this counts as late
    late_if_cancelled_now: bool | None = None  # the professional's own booking
    my_standby: WaitlistRead | None = None  # the professional's own open standby entry


class MyAssignment(AssignmentRead):
    shift: ShiftRead
    cancellation_notice_hours: int | None = None  # the unit's notice for cancelling
    cancelling_now_is_late: bool = False  # what cancelling it now would count as


class TimesheetIds(Schema):
    assignment_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class DirectOffer(Schema):
    professional_id: uuid.UUID


class WaitlistRead(Schema):
    id: uuid.UUID
    shift_id: uuid.UUID
    professional_id: uuid.UUID
    status: str
    position: int | None = None  # 1 = next in line
    offered_at: datetime | None
    offer_expires_at: datetime | None
    created_at: datetime
    shift: ShiftRead | None = None  # with the professional's own entries


class TimesheetSubmit(Schema):
    actual_start: AwareDatetime
    actual_end: AwareDatetime
    break_minutes: int = Field(default=0, ge=0, le=600)
    contacts_handled: int = Field(default=0, ge=0, le=10_000)
    resolved_remotely: int = Field(default=0, ge=0, le=10_000)
    referred_to_health_station: int = Field(default=0, ge=0, le=10_000)
    notes: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _consistent(self) -> TimesheetSubmit:
        if self.actual_end <= self.actual_start:
            raise ValueError("actual_end must be after actual_start")
        if self.resolved_remotely + self.referred_to_health_station > self.contacts_handled:
            raise ValueError("resolved_remotely + referred_to_health_station cannot exceed "
                             "contacts_handled")
        return self


class TimesheetApproval(Schema):
    """Approve as submitted, or correct the hours first (all three or none)."""

    actual_start: AwareDatetime | None = None
    actual_end: AwareDatetime | None = None
    break_minutes: int | None = Field(default=None, ge=0, le=600)
    correction_note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _all_or_nothing(self) -> TimesheetApproval:
        given = [self.actual_start is not None, self.actual_end is not None]
        if any(given) and not all(given):
            raise ValueError("give both actual_start and actual_end to correct the hours")
        if self.actual_start and self.actual_end and self.actual_end <= self.actual_start:
            raise ValueError("actual_end must be after actual_start")
        return self

    @property
    def corrects(self) -> bool:
        return self.actual_start is not None or self.break_minutes is not None


class TimesheetRead(Schema):
    assignment_id: uuid.UUID
    shift_id: uuid.UUID
    professional_id: uuid.UUID
    actual_start: datetime
    actual_end: datetime
    break_minutes: int
    contacts_handled: int
    resolved_remotely: int
    referred_to_health_station: int
    notes: str
    status: str
    submitted_at: datetime
    approved_at: datetime | None
    approved_by: uuid.UUID | None
    corrected: bool
    correction_note: str | None
    pay_total_cents: int | None
    pay_breakdown: dict[str, Any]


class PendingTimesheet(Schema):
    """A submitted timesheet waiting for a scheduler, with what the approval page shows."""

    assignment_id: uuid.UUID
    professional_name: str
    unit_name: str
    shift_starts_at: datetime
    shift_ends_at: datetime
    timesheet: TimesheetRead


class CalendarTokenRead(Schema):
    url: str
    token: str


class OnDutyEntry(Schema):
    assignment_id: uuid.UUID
    shift_id: uuid.UUID
    professional_id: uuid.UUID
    professional_name: str
    profession: str
    starts_at: datetime
    ends_at: datetime
    is_remote: bool


class OnDutyRead(Schema):
    unit_id: uuid.UUID
    unit_name: str
    at: datetime
    now: list[OnDutyEntry]
    next: list[OnDutyEntry]


class WeekCopy(Schema):
    week_start: date = Field(description="Any day of the week to copy (Europe/Helsinki); "
                                          "its shifts are copied to the next week")


class WeekCopyRead(Schema):
    """How many of the week's shifts became drafts a week later, and why the rest did not."""

    copied: list[uuid.UUID]
    already_there: int = Field(description="The next week already has the same shift")
    in_the_past: int


class UnitMarkIn(Schema):
    """A block needs a reason (kept for the unit; in the person's own data export)."""

    kind: Literal["favourite", "blocked"]
    reason: str = Field(default="", max_length=1000)


class UnitMarkRead(Schema):
    unit_id: uuid.UUID
    professional_id: uuid.UUID
    professional_name: str
    kind: str
    reason: str
    marked_by: uuid.UUID | None
    created_at: datetime


class ReliabilityEventRead(Schema):
    at: datetime
    kind: str  # completed | late_cancelled | no_show
    shift_id: uuid.UUID
    unit_name: str
    shift_starts_at: datetime
    score_after: int | None


class ReliabilityRead(Schema):
    score: int | None  # None: no history yet
    completed: int
    late_cancelled: int
    no_show: int
    events: list[ReliabilityEventRead]  # newest first
