"""Contacts handled on worked shifts, spread over the intervals of the unit's history (pure).

A timesheet says how many contacts a professional handled over the whole shift, not when:
they are spread over the hours worked in proportion to the time worked in each interval,
then rounded so that every shift's total is kept (largest remainders).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class WorkedShift:
    start: datetime
    end: datetime
    contacts_handled: int


def interval_floor(moment: datetime, interval_minutes: int) -> datetime:
    """The start of the interval holding `moment` (intervals are aligned in UTC, which for
    Finland's whole-hour offset is the same as aligned in local time)."""
    moment = moment.astimezone(UTC)
    minutes = (moment.hour * 60 + moment.minute) // interval_minutes * interval_minutes
    return moment.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)


def spread(shifts: Iterable[WorkedShift], interval_minutes: int) -> dict[datetime, int]:
    """Contacts per interval start (UTC) from every shift (a break is not placed, so it is
    taken as spread evenly too)."""
    step = timedelta(minutes=interval_minutes)
    totals: dict[datetime, int] = {}
    for shift in shifts:
        if shift.contacts_handled <= 0 or shift.end <= shift.start:
            continue
        shares: dict[datetime, float] = {}
        at = interval_floor(shift.start, interval_minutes)
        while at < shift.end:
            overlap = min(at + step, shift.end) - max(at, shift.start)
            shares[at] = overlap / (shift.end - shift.start) * shift.contacts_handled
            at += step
        floors = {k: math.floor(v) for k, v in shares.items()}
        left = shift.contacts_handled - sum(floors.values())
        for k in sorted(shares, key=lambda k: (floors[k] - shares[k], k))[:left]:
            floors[k] += 1
        for k, n in floors.items():
            totals[k] = totals.get(k, 0) + n
    return totals
