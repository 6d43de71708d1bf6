from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, model_validator

from asta.core.schemas import AwareDatetime, Schema


class MatchingWeights(Schema):
    """Soft goals an area can tune; larger means more important."""

    fill: int = Field(default=1000, ge=0, le=100_000)
    requests: int = Field(default=20, ge=0, le=10_000)
    preferred_unit: int = Field(default=10, ge=0, le=10_000)
    continuity: int = Field(default=30, ge=0, le=10_000)
    fairness: int = Field(default=2, ge=0, le=10_000)
    own_pool: int = Field(default=15, ge=0, le=10_000)
    cost: int = Field(default=0, ge=0, le=10_000)


class MatchingRunCreate(Schema):
    unit_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    period_start: AwareDatetime
    period_end: AwareDatetime
    time_limit_s: float = Field(default=20, ge=1, le=300)
    weights: MatchingWeights | None = None

    @model_validator(mode="after")
    def _period(self) -> MatchingRunCreate:
        if self.period_end <= self.period_start:
            raise ValueError("period_end must be after period_start")
        if (self.period_end - self.period_start).days > 62:
            raise ValueError("a matching period may be at most 62 days")
        return self


class ProposalRead(Schema):
    id: uuid.UUID
    shift_id: uuid.UUID
    professional_id: uuid.UUID
    professional_name: str
    shift_starts_at: datetime
    shift_ends_at: datetime
    unit_id: uuid.UUID
    reasons: list[str]
    status: str
    refusal: str | None
    refusal_rules: list[dict[str, Any]] = Field(default_factory=list)  # {code, params}
    # Tell same-named people apart: their profession and the end of their registration.
    unit_name: str = ""
    profession: str | None = None
    registration_suffix: str | None = None


class UnfilledRead(Schema):
    shift_id: uuid.UUID
    shift_starts_at: datetime
    missing: int
    reason: str
    detail: dict[str, Any]
    unit_name: str = ""


class MatchingRunRead(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    unit_ids: list[uuid.UUID]
    period_start: datetime
    period_end: datetime
    status: str
    progress: dict[str, Any]
    summary: dict[str, Any] | None
    proven_gap: float | None = None
    """(objective - lower bound) / objective when the solver proved a bound: 0 is optimal."""
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    proposals: list[ProposalRead] = Field(default_factory=list)
    unfilled: list[UnfilledRead] = Field(default_factory=list)


class AcceptProposals(Schema):
    """Accept the listed proposals, or all still open ones."""

    proposal_ids: list[uuid.UUID] | None = Field(default=None, max_length=5000)
    all: bool = False

    @model_validator(mode="after")
    def _which(self) -> AcceptProposals:
        if self.all == (self.proposal_ids is not None):
            raise ValueError("give either proposal_ids or all=true")
        return self


class MatchingRunListItem(Schema):
    """A past run with its figures, for the list of runs."""

    id: uuid.UUID
    period_start: datetime
    period_end: datetime
    status: str
    created_at: datetime
    finished_at: datetime | None
    unit_names: list[str]
    proposals: int
    accepted: int
    open_positions: int
