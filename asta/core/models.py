"""Column helpers shared by every domain's table models."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from asta.core.clock import utcnow


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


def timestamp_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=nullable, index=index)


def text_array_field() -> Any:
    return Field(default_factory=list, sa_column=sa.Column(ARRAY(sa.Text), nullable=False,
                                                           server_default="{}"))


def uuid_array_field() -> Any:
    return Field(default_factory=list, sa_column=sa.Column(ARRAY(sa.Uuid), nullable=False,
                                                           server_default="{}"))


def int_array_field() -> Any:
    return Field(default_factory=list, sa_column=sa.Column(ARRAY(sa.Integer), nullable=False,
                                                           server_default="{}"))


def jsonb_field(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_column=sa.Column(JSONB, nullable=False,
                                                              server_default="{}"
                                                              if default is dict else "[]"))
