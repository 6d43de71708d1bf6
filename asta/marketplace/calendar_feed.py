"""A professional's shifts as an RFC 5545 iCalendar feed (subscribe in any calendar app).

Pure: events in, bytes out. DTSTAMP comes from the event's `updated_at`, not the
clock, so the same shifts always render the same bytes (cache- and test-friendly).
Times are written in UTC; X-WR-TIMEZONE only tells clients how to show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from icalendar import Calendar, Event

from asta.marketplace.rules._time import HELSINKI, as_utc
from asta.marketplace.rules.errors import RuleError

PRODID = "-//Asta//Gig shifts//EN"
UID_DOMAIN = "asta"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    shift_id: str | int | UUID
    start_utc: datetime
    end_utc: datetime
    summary: str
    updated_at: datetime
    unit_name: str | None = None  # None: a remote shift
    description: str = ""
    pay_cents: int | None = None
    status: Literal["confirmed", "cancelled"] = "confirmed"
    sequence: int = 0  # bump on every change the professional should see
    url: str | None = None
    pay_text: str | None = None  # the pay in the reader's language; else English
    remote_text: str = "Remote"  # a remote shift's location, in the reader's language

    def __post_init__(self) -> None:
        if not str(self.shift_id):
            raise RuleError("shift_id", "A calendar event needs the shift id")
        if as_utc(self.end_utc, "end_utc") <= as_utc(self.start_utc, "start_utc"):
            raise RuleError("end_utc", "A shift must end after it starts")
        as_utc(self.updated_at, "updated_at")
        if self.status not in ("confirmed", "cancelled"):
            raise RuleError("status", "Status must be 'confirmed' or 'cancelled'")
        if self.sequence < 0:
            raise RuleError("sequence", "Sequence cannot be negative")


def format_eur(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}.{rest:02d} EUR".replace(",", "\u00a0")


def _description(event: CalendarEvent) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.pay_text:
        parts.append(event.pay_text)
    elif event.pay_cents is not None:
        parts.append(f"Pay: {format_eur(event.pay_cents)}")
    return "\n\n".join(parts)


def render_calendar(events: Sequence[CalendarEvent], *, calendar_name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", HELSINKI)
    for event in sorted(events, key=lambda e: (e.start_utc, str(e.shift_id))):
        vevent = Event()
        vevent.add("uid", f"{event.shift_id}@{UID_DOMAIN}")
        vevent.add("dtstamp", event.updated_at.astimezone(UTC))
        vevent.add("dtstart", event.start_utc.astimezone(UTC))
        vevent.add("dtend", event.end_utc.astimezone(UTC))
        vevent.add("summary", event.summary)
        vevent.add("location", event.unit_name or event.remote_text)
        description = _description(event)
        if description:
            vevent.add("description", description)
        vevent.add("status", event.status.upper())
        vevent.add("sequence", event.sequence)
        if event.url:
            vevent.add("url", event.url)
        calendar.add_component(vevent)
    ical: bytes = calendar.to_ical()
    return ical
