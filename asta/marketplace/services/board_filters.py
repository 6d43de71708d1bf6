"""The board's filters on when a shift starts and on the professional's own preferences.

Time of day is the profile's words (morning, day, evening, night) by the Helsinki start hour,
the same hours matching uses (`time_of_day`), so "fits my preferences" on the board and the
new-shift e-mails agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    and_,
    exists,
    extract,
    false,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY

from asta.marketplace.models import Shift
from asta.profiles.availability import Span
from asta.profiles.models import ProfessionalProfile

HELSINKI_NAME = "Europe/Helsinki"
# [from, to) local start hours; night wraps over midnight.
HOURS = {"morning": (5, 10), "day": (10, 16), "evening": (16, 22), "night": (22, 5)}


def time_of_day(local: datetime) -> str:
    """The profile's word for a local (Helsinki) start time."""
    hour = local.hour
    return next(name for name, (lo, hi) in HOURS.items()
                if (lo <= hour < hi if lo < hi else hour >= lo or hour < hi))


def _local(column: object) -> object:
    return func.timezone(HELSINKI_NAME, column)


def starts_in(times: Sequence[str]) -> ColumnElement[bool]:
    hour = extract("hour", _local(Shift.starts_at))
    clauses: list[ColumnElement[bool]] = [false()]
    for name in times:
        lo, hi = HOURS[name]
        clauses.append(and_(hour >= lo, hour < hi) if lo < hi else or_(hour >= lo, hour < hi))
    return or_(*clauses)


def fits(profile: ProfessionalProfile, spans: Sequence[Span]) -> list[ColumnElement[bool]]:
    """The shift side of the profile's preferences (the mirror of matching's `_prefers`);
    `spans`: when the person is available (asta.profiles.availability), over the board's days."""
    weekday = extract("isodow", _local(Shift.starts_at))
    conditions: list[ColumnElement[bool]] = []
    if profile.remote_only:
        conditions.append(Shift.is_remote.is_(True))  # type: ignore[attr-defined]
    if profile.min_hourly_pay_cents is not None:
        conditions.append(Shift.base_hourly_cents >= profile.min_hourly_pay_cents)
    if profile.preferred_unit_ids:
        conditions.append(Shift.unit_id.in_(profile.preferred_unit_ids))  # type: ignore[attr-defined]
    if profile.preferred_weekdays:
        conditions.append(weekday.in_(profile.preferred_weekdays))
    if profile.unwanted_weekdays:
        conditions.append(not_(weekday.in_(profile.unwanted_weekdays)))
    if profile.preferred_times:
        conditions.append(starts_in(profile.preferred_times))
    if profile.unwanted_times:
        conditions.append(not_(starts_in(profile.unwanted_times)))
    return [*conditions, within(spans)]


def within(spans: Sequence[Span]) -> ColumnElement[bool]:
    """The shift lies inside one of the spans (computed by the one availability rule)."""
    moments = ARRAY(DateTime(timezone=True))
    w = func.unnest(literal([s for s, _ in spans], moments),
                    literal([e for _, e in spans], moments)).table_valued("s", "e").render_derived(name="w")
    return exists(select(literal(1)).select_from(w).where(
        w.c.s <= Shift.starts_at, Shift.ends_at <= w.c.e))
