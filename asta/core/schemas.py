"""Base classes for API types: unknown fields are refused, ORM rows can be read directly."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def _email(value: str) -> str:
    try:
        # Syntax only: deliverability needs DNS, and demo/test domains are not public.
        result = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return result.normalized.lower()


Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a timezone offset, e.g. 2026-12-01T08:00:00+02:00")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Limit = Annotated[int, Field(ge=1, le=200)]
Offset = Annotated[int, Field(ge=0)]
