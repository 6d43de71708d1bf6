"""A person's second factor: a TOTP secret and single-use recovery codes (asta.accounts.totp)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from asta.core.models import created_at_field, id_field, timestamp_field


class SecondFactor(SQLModel, table=True):
    """One per person. `secret` is the confirmed one asked for at sign-in; `pending_secret` is
    one being enrolled, until a code from it confirms it (the old one works until then)."""

    __tablename__ = "second_factors"
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    # Both encrypted with a key derived from ASTA_SECRET_KEY (asta.accounts.totp.seal).
    secret: str | None = Field(default=None, max_length=400)
    pending_secret: str | None = Field(default=None, max_length=400)
    confirmed_at: datetime | None = timestamp_field()
    # The last time step a code was accepted for: a code of that step or earlier is a replay.
    last_used_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = created_at_field()


class RecoveryCode(SQLModel, table=True):
    """A single-use code for when the authenticator is lost; only its hash is kept."""

    __tablename__ = "recovery_codes"
    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=400)
    used_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
