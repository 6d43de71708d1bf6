"""When an e-mail goes: the professional's choice per kind, and at most one new-shift
e-mail an hour. Pure: times in, times out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
NEW_SHIFTS_GAP = timedelta(hours=1)  # the default for "new shift for you" e-mails
DIGEST_AT = time(7, 0)  # the daily digest goes at 07:00 Finnish time
# Each e-mail kind by the preference that governs it (the profile's notification choices).
KINDS = {
    "shift_match": "new_shifts",
    "shift_assigned": "bookings", "shift_requested": "bookings",
    "shift_request_declined": "bookings", "shift_cancelled": "bookings",
    "shift_reminder": "reminders",
    "standby_offer": "standby_offers", "direct_offer": "standby_offers",
    "timesheet_corrected": "bookings",
}
# A scheduler's e-mails about their units, by the choice that governs each (the user's
# staff_notifications); a claim or a timesheet is news, not a call to act, so those default
# to the daily digest; a late cancellation and a request wait for the scheduler.
STAFF_KINDS = {
    "shift_claimed": "claims", "late_cancellation": "cancellations",
    "request_waiting": "requests", "timesheet_submitted": "timesheets",
}
STAFF_DEFAULTS = {"claims": "daily", "cancellations": "instant", "requests": "instant",
                  "timesheets": "daily"}
CHOICES = ("instant", "daily", "off")
# A standby offer lasts 2 hours: a summary the next morning would arrive after it has gone.
CHOICES_OF = {"standby_offers": ("instant", "off")}


def choices_for(preference: str) -> tuple[str, ...]:
    """The delivery choices a professional may make for one kind of e-mail."""
    return CHOICES_OF.get(preference, CHOICES)


@dataclass(frozen=True, slots=True)
class Delivery:
    send: bool
    batched: bool = False  # joins the waiting e-mail of its kind
    at: datetime | None = None  # None: as soon as possible


def batch_send_at(now: datetime, last_of_kind: datetime | None,
                  gap: timedelta = NEW_SHIFTS_GAP) -> datetime | None:
    """None: send now. Otherwise the earliest moment a gap after the last one of its kind."""
    if last_of_kind is None or last_of_kind + gap <= now:
        return None
    return last_of_kind + gap


def next_digest(now: datetime) -> datetime:
    """The next 07:00 in Helsinki, by the wall clock (a DST change does not move it)."""
    local = now.astimezone(HELSINKI)
    day = local.date() if local.time() < DIGEST_AT else local.date() + timedelta(days=1)
    return datetime.combine(day, DIGEST_AT, HELSINKI)


# Kinds batched by the gap since the last one of their kind: only these need it read.
GAP_BATCHED = frozenset({"shift_match"})


def delivery(choices: dict[str, str], kind: str, now: datetime,
             last_of_kind: datetime | None) -> Delivery:
    preference = KINDS.get(kind) or STAFF_KINDS.get(kind, "")
    choice = choices.get(preference, STAFF_DEFAULTS.get(preference, "instant"))
    if choice not in choices_for(preference):
        choice = "instant"  # chosen before the choice was withdrawn
    if choice == "off":
        return Delivery(send=False)
    if choice == "daily":
        return Delivery(send=True, batched=True, at=next_digest(now))
    if kind in GAP_BATCHED:
        return Delivery(send=True, batched=True, at=batch_send_at(now, last_of_kind))
    return Delivery(send=True)
