from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from asta.marketplace.calendar_feed import CalendarEvent, format_eur, render_calendar
from asta.marketplace.rules import RuleError

START = datetime(2025, 3, 3, 6, tzinfo=UTC)


def event(**changes: Any) -> CalendarEvent:
    base = CalendarEvent(
        shift_id="7f1c",
        start_utc=START,
        end_utc=START + timedelta(hours=8),
        summary="Remote reception, doctor",
        updated_at=datetime(2025, 2, 20, 12, tzinfo=UTC),
        unit_name="Kaiku24",
        description="Remote reception of primary-care contacts.",
        pay_cents=72000,
        sequence=2,
    )
    return replace(base, **changes)


def parse(feed: bytes) -> Calendar:
    return Calendar.from_ical(feed)


def test_calendar_headers() -> None:
    calendar = parse(render_calendar([event()], calendar_name="Asta: my shifts"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Asta//")
    assert str(calendar["X-WR-CALNAME"]) == "Asta: my shifts"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Helsinki"


def test_event_fields() -> None:
    [vevent] = parse(render_calendar([event()], calendar_name="x")).walk("VEVENT")
    assert str(vevent["UID"]) == "7f1c@asta"
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTEND") == START + timedelta(hours=8)
    assert vevent.decoded("DTSTAMP") == datetime(2025, 2, 20, 12, tzinfo=UTC)
    assert str(vevent["SUMMARY"]) == "Remote reception, doctor"
    assert str(vevent["LOCATION"]) == "Kaiku24"
    assert str(vevent["DESCRIPTION"]) == (
        "Remote reception of primary-care contacts.\n\nPay: 720.00 EUR"
    )
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("SEQUENCE") == 2


def test_times_are_written_in_utc() -> None:
    local_start = datetime(2025, 3, 3, 8, tzinfo=ZoneInfo("Europe/Helsinki"))
    feed = render_calendar(
        [event(start_utc=local_start, end_utc=local_start + timedelta(hours=8))],
        calendar_name="x",
    )
    assert b"DTSTART:20250303T060000Z" in feed
    assert b"DTEND:20250303T140000Z" in feed


@pytest.mark.parametrize(
    ("changes", "location", "status"),
    [
        ({"unit_name": None}, "Remote", "CONFIRMED"),
        ({"status": "cancelled"}, "Kaiku24", "CANCELLED"),
    ],
)
def test_remote_and_cancelled(changes: dict[str, Any], location: str, status: str) -> None:
    [vevent] = parse(render_calendar([event(**changes)], calendar_name="x")).walk("VEVENT")
    assert (str(vevent["LOCATION"]), str(vevent["STATUS"])) == (location, status)


def test_long_description_is_folded_and_survives_round_trip() -> None:
    text = "Pitkä kuvaus työstä, ääkkösiä mukana. " * 20
    feed = render_calendar([event(description=text, pay_cents=None)], calendar_name="x")
    lines = feed.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)
    [vevent] = parse(feed).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == text.strip()


def test_output_is_stable_and_sorted_by_start() -> None:
    later = event(shift_id="b", start_utc=START + timedelta(days=1),
                  end_utc=START + timedelta(days=1, hours=8))
    earlier = event(shift_id="a")
    first = render_calendar([later, earlier], calendar_name="x")
    assert first == render_calendar([earlier, later], calendar_name="x")
    uids = [str(e["UID"]) for e in parse(first).walk("VEVENT")]
    assert uids == ["a@asta", "b@asta"]


def test_empty_feed_is_a_valid_calendar() -> None:
    calendar = parse(render_calendar([], calendar_name="x"))
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0.00 EUR"),
        (5, "0.05 EUR"),
        (72000, "720.00 EUR"),
        (123456789, "1\u00a0234\u00a0567.89 EUR"),  # no-break space between thousands
        (-1050, "-10.50 EUR"),
    ],
)
def test_format_eur(cents: int, text: str) -> None:
    assert format_eur(cents) == text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_utc": START}, "end_utc"),
        ({"start_utc": datetime(2025, 3, 3, 6)}, "start_utc"),
        ({"status": "tentative"}, "status"),
        ({"sequence": -1}, "sequence"),
        ({"shift_id": ""}, "shift_id"),
    ],
)
def test_invalid_event(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleError) as err:
        event(**changes)
    assert err.value.field == field
