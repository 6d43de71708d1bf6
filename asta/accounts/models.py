"""Wellbeing areas, their units, people and the roles people hold."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import (
    created_at_field,
    id_field,
    jsonb_field,
    text_array_field,
    timestamp_field,
)


class Role(enum.StrEnum):
    PROFESSIONAL = "professional"
    SCHEDULER = "scheduler"
    AREA_ADMIN = "area_admin"
    PLATFORM_OPERATOR = "platform_operator"


class ClaimMode(enum.StrEnum):
    INSTANT = "instant"
    REQUEST = "request"


class Organisation(SQLModel, table=True):
    """A wellbeing area (hyvinvointialue)."""

    __tablename__ = "organisations"
    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)
    settings: dict[str, Any] = jsonb_field()
    created_at: datetime = created_at_field()


class Unit(SQLModel, table=True):
    """A unit of an area, e.g. a remote-reception contact centre."""

    __tablename__ = "units"
    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    is_remote: bool = True
    languages: list[str] = text_array_field()
    claim_mode: str = Field(default=ClaimMode.INSTANT.value, max_length=20)
    min_rest_hours: float = 11.0
    weekly_max_hours: float = 48.0
    cancellation_notice_hours: int = 48
    rate_card: dict[str, Any] = jsonb_field()
    # Who sees a new shift unless the scheduler chooses otherwise (marketplace Visibility).
    default_visibility: str = Field(default="area", max_length=20,
                                    sa_column_kwargs={"server_default": "area"})
    created_at: datetime = created_at_field()


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: uuid.UUID = id_field()
    email: str = Field(max_length=320, sa_column_kwargs={"unique": True})
    password_hash: str | None = Field(default=None, max_length=400)
    full_name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    locale: str = Field(default="fi", max_length=5)
    is_active: bool = True
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = created_at_field()
    last_seen_at: datetime | None = timestamp_field()
    erased_at: datetime | None = timestamp_field()
    # Every token carries the version it was issued at; a higher one here revokes it. The
    # database bumps it on a new password, address, deactivation, erasure or role change
    # (migration 0005); sign-out bumps it too.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # False from a self-service sign-up until the link sent to the address is opened.
    email_verified: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    # A scheduler's choice per kind of e-mail about their units (asta.notifications.rules
    # STAFF_KINDS): instant, daily or off; a professional's live on their profile.
    staff_notifications: dict[str, str] = jsonb_field(dict)


class RoleAssignment(SQLModel, table=True):
    """A role held in a scope: the whole platform, an area, or one unit of an area."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "organisation_id", "unit_id",
                            name="uq_role_assignment", postgresql_nulls_not_distinct=True),
        sa.CheckConstraint(
            "(role IN ('professional','platform_operator') AND organisation_id IS NULL "
            "AND unit_id IS NULL) OR (role = 'area_admin' AND organisation_id IS NOT NULL "
            "AND unit_id IS NULL) OR (role = 'scheduler' AND organisation_id IS NOT NULL)",
            name="ck_role_scope",
        ),
    )
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    role: str = Field(max_length=30)
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id",
                                              index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="units.id")
    created_at: datetime = created_at_field()


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, kept to throttle password guessing across all server processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_email_at", "email", "at"),
                      sa.Index("ix_login_attempts_ip_at", "ip", "at"))
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)
    ip: str = Field(max_length=64)
    succeeded: bool
    at: datetime = created_at_field()


class SignInThrottle(SQLModel, table=True):
    """Recent sign-in failures of one key (an account at an address, an account, an address);
    changed only by single upserts, see asta.accounts.throttle."""

    __tablename__ = "sign_in_throttles"
    key: str = Field(max_length=400, primary_key=True)
    failures: int
    last_failure_at: datetime = timestamp_field(nullable=False)
