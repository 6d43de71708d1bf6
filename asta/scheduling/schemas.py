from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, model_validator

from asta.core.schemas import AwareDatetime, Schema

Contacts = Annotated[float, Field(ge=0, le=100_000)]
MAX_INTERVALS = 14 * 24 * 4  # two weeks of 15-minute intervals


class ContactForecast(Schema):
    """Expected contacts per interval and the service target they must be answered to."""

    start: AwareDatetime
    interval_minutes: int = Field(default=30, ge=5, le=240)
    contacts: list[Contacts] = Field(min_length=1, max_length=MAX_INTERVALS)
    average_handling_time_s: float = Field(gt=0, le=7200)
    service_level: float = Field(default=0.8, gt=0, lt=1)
    target_answer_s: float = Field(default=600, gt=0, le=86_400)
    max_occupancy: float | None = Field(default=None, gt=0, le=1)


class IntervalStaffing(Schema):
    starts_at: datetime
    ends_at: datetime
    contacts: float
    required: int
    service_level: float
    probability_wait: float
    average_speed_of_answer_s: float | None
    occupancy: float


class StaffingRead(Schema):
    intervals: list[IntervalStaffing]
    peak_required: int
    staff_hours: float


class TemplateRules(Schema):
    """Allowed shifts: start on these local hours, last one of these lengths."""

    start_hours: list[Annotated[int, Field(ge=0, le=23)]] = Field(
        default_factory=lambda: list(range(7, 21)), min_length=1, max_length=24)
    lengths_h: list[Annotated[int, Field(ge=1, le=24)]] = Field(
        default_factory=lambda: [4, 6, 8, 10], min_length=1, max_length=12)
    # A shift normally ends by the end of the demand (its last interval that needs anyone);
    # a unit that hands over after closing may let shifts run past it.
    extend_past_end: bool = False


class PackagingRequest(Schema):
    """A requirement curve (or a contact forecast that gives one) and allowed shifts."""

    start: AwareDatetime | None = None
    interval_minutes: int = Field(default=60, ge=15, le=240)
    required: list[Annotated[int, Field(ge=0, le=500)]] | None = Field(
        default=None, max_length=MAX_INTERVALS)
    forecast: ContactForecast | None = None
    templates: TemplateRules = Field(default_factory=TemplateRules)
    time_limit_s: float = Field(default=10, gt=0, le=60)

    @model_validator(mode="after")
    def _one_source(self) -> PackagingRequest:
        if (self.required is None) == (self.forecast is None):
            raise ValueError("give either `required` (staff per interval) or `forecast`")
        if self.required is not None and self.start is None:
            raise ValueError("`start` is needed with `required`")
        return self


class PackagedShiftRead(Schema):
    starts_at: datetime
    ends_at: datetime
    count: int


class CoverageRead(Schema):
    starts_at: datetime
    ends_at: datetime
    required: int
    packaged: int


class PackagingRead(Schema):
    status: str
    shifts: list[PackagedShiftRead]
    coverage: list[CoverageRead]
    under_cover: int
    over_cover: int
    shift_count: int  # shifts to publish
    positions: int  # people they need, over all shifts
