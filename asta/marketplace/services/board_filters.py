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
    Date,
    Time,
    and_,
    cast,
    exists,
    extract,
    false,
    func,
    not_,
    or_,
)

from asta.marketplace.models import Shift
from asta.profiles.models import AvailabilityException, AvailabilityPattern, ProfessionalProfile

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


def fits(profile: ProfessionalProfile) -> list[ColumnElement[bool]]:
    """The shift side of the profile's preferences (the mirror of matching's `_prefers`)."""
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
    return [*conditions, *_within_availability(profile)]


def _within_availability(profile: ProfessionalProfile) -> list[ColumnElement[bool]]:
    """Inside one of the weekly patterns (when there are any), and not on a day off: the
    same windows `weekly_windows` gives matching."""
    start, end = _local(Shift.starts_at), _local(Shift.ends_at)
    mine = AvailabilityPattern.user_id == profile.user_id
    inside = exists().where(
        mine, AvailabilityPattern.weekday == extract("isodow", start),
        AvailabilityPattern.starts <= cast(start, Time),
        AvailabilityPattern.ends >= cast(end, Time), cast(start, Date) == cast(end, Date))
    day_off = exists().where(AvailabilityException.user_id == profile.user_id,
                             AvailabilityException.day == cast(start, Date))
    return [or_(not_(exists().where(mine)), inside), not_(day_off)]
