from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from asta.core.schemas import Email, Schema

Password = Field(min_length=10, max_length=200)
Token = Field(min_length=20, max_length=100)


class PasswordReset(Schema):
    token: str = Token
    password: str = Password


class InvitationCreate(Schema):
    organisation_id: uuid.UUID
    email: Email
    role: Literal["scheduler", "area_admin"]
    unit_id: uuid.UUID | None = Field(
        default=None, description="A scheduler of this unit only; empty means the whole area")
    locale: Literal["fi", "sv", "en"] = "fi"


class InvitationRead(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    unit_id: uuid.UUID | None
    email: str
    role: str
    locale: str
    status: Literal["pending", "expired", "accepted", "revoked"]
    created_at: datetime
    sent_at: datetime
    expires_at: datetime


class InvitationAccept(Schema):
    token: str = Token
    full_name: str = Field(min_length=1, max_length=200)
    password: str = Password
