"""Matching runs: a scheduler's request to match the pool to open shifts, and its proposals."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, jsonb_field, timestamp_field, uuid_array_field


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REFUSED = "refused"  # the marketplace rules said no when it was accepted


class MatchingRun(SQLModel, table=True):
    __tablename__ = "matching_runs"
    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    unit_ids: list[uuid.UUID] = uuid_array_field()
    period_start: datetime = Field(sa_type=sa.DateTime(timezone=True))
    period_end: datetime = Field(sa_type=sa.DateTime(timezone=True))
    time_limit_s: float = 30.0
    weights: dict[str, Any] = jsonb_field()
    status: str = Field(default=RunStatus.QUEUED.value, max_length=20)
    # Best objective, bound and elapsed time so far, written while the solver works.
    progress: dict[str, Any] = jsonb_field()
    summary: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(
        JSONB(none_as_null=True)))
    error: str | None = Field(default=None, max_length=2000)
    requested_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    started_at: datetime | None = timestamp_field()
    finished_at: datetime | None = timestamp_field()


class MatchingProposal(SQLModel, table=True):
    __tablename__ = "matching_proposals"
    id: uuid.UUID = id_field()
    run_id: uuid.UUID = Field(foreign_key="matching_runs.id", index=True)
    shift_id: uuid.UUID = Field(foreign_key="shifts.id")
    professional_id: uuid.UUID = Field(foreign_key="users.id")
    reasons: list[str] = Field(default_factory=list, sa_column=sa.Column(
        sa.ARRAY(sa.Text), nullable=False, server_default="{}"))
    status: str = Field(default=ProposalStatus.PROPOSED.value, max_length=20)
    refusal: str | None = Field(default=None, max_length=1000)
    # The refusal's rules with their numbers ({code, params}; rules.refusals), for any language.
    refusal_rules: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(
        JSONB, nullable=False, server_default="[]"))
    decided_at: datetime | None = timestamp_field()
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")


class UnfilledPosition(SQLModel, table=True):
    """Positions the run could not fill, with the rule that bound them."""

    __tablename__ = "matching_unfilled"
    id: uuid.UUID = id_field()
    run_id: uuid.UUID = Field(foreign_key="matching_runs.id", index=True)
    shift_id: uuid.UUID = Field(foreign_key="shifts.id")
    missing: int
    reason: str = Field(max_length=60)
    detail: dict[str, Any] = jsonb_field()


class ContactHistory(SQLModel, table=True):
    """Contacts a unit received in one interval: stored once per (unit, interval start)."""

    __tablename__ = "contact_history"
    unit_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid(), sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    )
    starts_at: datetime = Field(sa_type=sa.DateTime(timezone=True), primary_key=True)
    interval_minutes: int = Field(sa_type=sa.SmallInteger())
    contacts: int
    handled: int | None = None
    abandoned: int | None = None
    average_handling_time_s: float | None = None
    source: str = Field(default="import", max_length=20)


class ForecastRun(SQLModel, table=True):
    """A forecast and the staffing made from it, kept to compare later with what happened."""

    __tablename__ = "forecast_runs"
    id: uuid.UUID = id_field()
    unit_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid(), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    model: str = Field(max_length=60)
    history_first: datetime = Field(sa_type=sa.DateTime(timezone=True))
    history_last: datetime = Field(sa_type=sa.DateTime(timezone=True))
    day: date
    interval_minutes: int = Field(sa_type=sa.SmallInteger())
    settings: dict[str, Any] = jsonb_field()
    accuracy: dict[str, Any] = jsonb_field()
    intervals: list[dict[str, Any]] = jsonb_field(list)
    requested_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
