"""Tokens sent by e-mail (password reset, address verification) and staff invitations.

Only a SHA-256 of each token is stored: a copy of the database opens no account.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class TokenPurpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret
    EMAIL_VERIFICATION = "email_verification"


class EmailToken(SQLModel, table=True):
    """A single-use, expiring link sent to a user's address."""

    __tablename__ = "email_tokens"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    purpose: str = Field(max_length=30)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()


class Invitation(SQLModel, table=True):
    """An area admin's invitation to join the area's staff; pending until accepted,
    revoked or expired."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint("role IN ('scheduler', 'area_admin')", name="ck_invitation_role"),
        sa.CheckConstraint("role = 'scheduler' OR unit_id IS NULL", name="ck_invitation_scope"),
    )
    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="units.id")
    email: str = Field(max_length=320)
    role: str = Field(max_length=30)
    locale: str = Field(default="fi", max_length=5)
    invited_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    sent_at: datetime = timestamp_field(nullable=False)
    expires_at: datetime = timestamp_field(nullable=False)
    accepted_at: datetime | None = timestamp_field()
    accepted_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    revoked_at: datetime | None = timestamp_field()
