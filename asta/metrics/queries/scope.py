"""What a metrics query covers: areas, maybe one unit, a period, and a bucket size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import ColumnElement, FromClause

from asta.metrics.time import TIMEZONE

Bucket = Literal["week", "month", "quarter"]


def table(model: Any) -> FromClause:
    """The Core table of a SQLModel class (its columns typed for expressions)."""
    local: FromClause = sa.inspect(model).local_table
    return local


@dataclass(frozen=True)
class Scope:
    organisations: frozenset[uuid.UUID] | None  # None: every area
    unit_id: uuid.UUID | None
    start: datetime  # inclusive
    end: datetime  # exclusive
    bucket: Bucket | None = None  # None: the whole period is one bucket

    def where(self, organisation_id: Any, unit_id: Any, at: Any) -> list[ColumnElement[bool]]:
        """Scope and period conditions on a row's area, unit and time columns."""
        conditions: list[ColumnElement[bool]] = [at >= self.start, at < self.end]
        if self.organisations is not None:
            conditions.append(organisation_id.in_(sorted(self.organisations)))
        if self.unit_id is not None:
            conditions.append(unit_id == self.unit_id)
        return conditions

    def bucket_of(self, at: Any) -> ColumnElement[Any]:
        """The local start date of the bucket a timestamp falls in (NULL: no buckets)."""
        if self.bucket is None:
            return sa.cast(sa.null(), sa.Date)
        return sa.cast(sa.func.date_trunc(self.bucket, sa.func.timezone(TIMEZONE, at)), sa.Date)


def month_of(at: Any) -> ColumnElement[Any]:
    return sa.cast(sa.func.date_trunc("month", sa.func.timezone(TIMEZONE, at)), sa.Date)
