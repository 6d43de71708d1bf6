"""Shifts, the professionals assigned to them, standby lists and timesheets."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Field, SQLModel

from asta.core.clock import utcnow
from asta.core.errors import CONSTRAINT_MESSAGES
from asta.core.models import (
    created_at_field,
    id_field,
    jsonb_field,
    text_array_field,
    timestamp_field,
)


class ShiftStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    FILLED = "filled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class Visibility(enum.StrEnum):
    UNIT = "unit"  # professionals onboarded to the unit
    AREA = "area"  # professionals who worked or onboarded in the area
    NATIONAL = "national"  # the whole national pool


class AssignmentStatus(enum.StrEnum):
    REQUESTED = "requested"  # request-and-approve units: waiting for the scheduler
    CONFIRMED = "confirmed"  # holds a position (the only state that blocks overlaps)
    DECLINED = "declined"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    LEFT = "left"


class TimesheetStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"


BOARD_STATUSES = (ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value)
OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.REQUESTED.value, AssignmentStatus.CONFIRMED.value)
OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING.value, WaitlistStatus.OFFERED.value)

NO_OVERLAP = "ex_assignments_no_overlap"
ONE_CLAIM_PER_SHIFT = "uq_assignments_open_claim"
ONE_STANDBY_PER_SHIFT = "uq_waitlist_open_entry"

CONSTRAINT_MESSAGES.update({
    NO_OVERLAP: "The professional already holds a shift that overlaps this one",
    ONE_CLAIM_PER_SHIFT: "You have already claimed or requested this shift",
    ONE_STANDBY_PER_SHIFT: "You are already on this shift's standby list",
    "ck_shifts_order": "A shift must end after it starts",
    "ck_shifts_positions": "A shift needs at least one position",
    "ck_shifts_counts": "The shift has no position left",
})


class Shift(SQLModel, table=True):
    __tablename__ = "shifts"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ck_shifts_order"),
        sa.CheckConstraint("positions >= 1", name="ck_shifts_positions"),
        sa.CheckConstraint("assigned_count >= 0 AND offered_count >= 0 "
                           "AND assigned_count + offered_count <= positions",
                           name="ck_shifts_counts"),
        sa.CheckConstraint("pay_total_cents >= 0", name="ck_shifts_pay"),
        sa.Index("ix_shifts_status_starts_at", "status", "starts_at"),
        sa.Index("ix_shifts_unit_starts_at", "unit_id", "starts_at"),
        # The professionals' board: open shifts of one profession in time order.
        sa.Index("ix_shifts_board", "profession", "starts_at",
                 postgresql_where=sa.text("status IN ('published', 'filled')")),
        sa.Index("ix_shifts_required_competences", "required_competences",
                 postgresql_using="gin"),
        sa.Index("ix_shifts_required_specialties", "required_specialties",
                 postgresql_using="gin"),
        sa.Index("ix_shifts_language_tokens", "language_tokens", postgresql_using="gin"),
        sa.Index("ix_shifts_unmatched", "published_at",
                 postgresql_where=sa.text("matched_at IS NULL AND status = 'published'")),
    )
    id: uuid.UUID = id_field()
    unit_id: uuid.UUID = Field(foreign_key="units.id")
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    starts_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ends_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    profession: str = Field(max_length=40)
    positions: int = 1
    assigned_count: int = 0  # confirmed assignments; kept under the shift's row lock
    offered_count: int = 0  # positions held for a standby's open offer
    required_specialties: list[str] = text_array_field()
    required_languages: dict[str, Any] = jsonb_field()  # {"sv": "fluent"}
    # "sv:basic", "sv:professional", ...: a professional's tokens contain the shift's
    # tokens exactly when every language requirement is met, so the board can use <@.
    language_tokens: list[str] = text_array_field()
    required_competences: list[str] = text_array_field()
    onboarding_required: bool = False
    is_remote: bool = True
    description: str = Field(default="", max_length=4000)
    visibility: str = Field(default=Visibility.AREA.value, max_length=20)
    status: str = Field(default=ShiftStatus.DRAFT.value, max_length=20)
    break_minutes: int = 0
    base_hourly_cents: int = 0
    pay_total_cents: int = 0
    pay_breakdown: dict[str, Any] = jsonb_field()
    cancel_reason: str | None = Field(default=None, max_length=1000)
    sequence: int = 0  # bumped on changes a calendar subscriber should see
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    published_at: datetime | None = timestamp_field()
    matched_at: datetime | None = timestamp_field()


class Assignment(SQLModel, table=True):
    """A professional's claim on one position of a shift (or a request for one)."""

    __tablename__ = "assignments"
    __table_args__ = (
        ExcludeConstraint(
            (sa.column("professional_id"), "="),
            (sa.func.tstzrange(sa.column("starts_at"), sa.column("ends_at")), "&&"),
            name=NO_OVERLAP, using="gist",
            where=sa.text("status = 'confirmed'"),
        ),
        sa.Index(ONE_CLAIM_PER_SHIFT, "shift_id", "professional_id", unique=True,
                 postgresql_where=sa.text("status IN ('requested', 'confirmed')")),
        sa.Index("ix_assignments_professional_starts_at", "professional_id", "starts_at"),
        sa.Index("ix_assignments_unit_starts_at", "unit_id", "starts_at"),
        sa.Index("ix_assignments_reminder", "starts_at",
                 postgresql_where=sa.text("status = 'confirmed' AND reminded_at IS NULL")),
    )
    id: uuid.UUID = id_field()
    shift_id: uuid.UUID = Field(foreign_key="shifts.id", index=True)
    professional_id: uuid.UUID = Field(foreign_key="users.id")
    unit_id: uuid.UUID = Field(foreign_key="units.id")
    # Copied from the shift so the database itself can refuse overlapping shifts.
    starts_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ends_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    status: str = Field(max_length=20)
    created_at: datetime = created_at_field()
    decided_at: datetime | None = timestamp_field()
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    cancelled_at: datetime | None = timestamp_field()
    cancelled_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    cancel_reason: str | None = Field(default=None, max_length=1000)
    late_cancellation: bool = False
    reminded_at: datetime | None = timestamp_field()


class WaitlistEntry(SQLModel, table=True):
    """A standby for a full shift; offered a freed position in order of joining."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        sa.Index(ONE_STANDBY_PER_SHIFT, "shift_id", "professional_id", unique=True,
                 postgresql_where=sa.text("status IN ('waiting', 'offered')")),
        sa.Index("ix_waitlist_queue", "shift_id", "created_at",
                 postgresql_where=sa.text("status = 'waiting'")),
        sa.Index("ix_waitlist_offers_expiring", "offer_expires_at",
                 postgresql_where=sa.text("status = 'offered'")),
    )
    id: uuid.UUID = id_field()
    shift_id: uuid.UUID = Field(foreign_key="shifts.id")
    professional_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    status: str = Field(default=WaitlistStatus.WAITING.value, max_length=20)
    created_at: datetime = created_at_field()
    offered_at: datetime | None = timestamp_field()
    offer_expires_at: datetime | None = timestamp_field()
    decided_at: datetime | None = timestamp_field()


class Timesheet(SQLModel, table=True):
    """Hours actually worked and what the shift achieved; approval fixes the pay."""

    __tablename__ = "timesheets"
    __table_args__ = (
        sa.CheckConstraint("actual_end > actual_start", name="ck_timesheets_order"),
        sa.CheckConstraint("break_minutes >= 0", name="ck_timesheets_break"),
    )
    assignment_id: uuid.UUID = Field(foreign_key="assignments.id", primary_key=True)
    shift_id: uuid.UUID = Field(foreign_key="shifts.id", index=True)
    professional_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    actual_start: datetime = Field(sa_type=sa.DateTime(timezone=True))
    actual_end: datetime = Field(sa_type=sa.DateTime(timezone=True))
    break_minutes: int = 0
    contacts_handled: int = 0
    resolved_remotely: int = 0
    referred_to_health_station: int = 0
    notes: str = Field(default="", max_length=4000)
    status: str = Field(default=TimesheetStatus.SUBMITTED.value, max_length=20)
    submitted_at: datetime = created_at_field()
    approved_at: datetime | None = timestamp_field()
    approved_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    corrected: bool = False
    correction_note: str | None = Field(default=None, max_length=1000)
    pay_total_cents: int | None = None
    pay_breakdown: dict[str, Any] = jsonb_field()


class UnitMarkKind(enum.StrEnum):
    FAVOURITE = "favourite"  # sees the unit's new shifts first, preferred by matching
    BLOCKED = "blocked"  # may not take the unit's shifts in any way


class UnitProfessionalMark(SQLModel, table=True):
    """A unit's favourite or blocked professional; one mark per unit and professional."""

    __tablename__ = "unit_professional_marks"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('favourite', 'blocked')", name="ck_unit_marks_kind"),
        sa.CheckConstraint("kind <> 'blocked' OR length(reason) > 0",
                           name="ck_unit_marks_blocked_reason"),
    )
    unit_id: uuid.UUID = Field(foreign_key="units.id", primary_key=True)
    professional_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True, index=True)
    kind: str = Field(max_length=20)
    reason: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    marked_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
