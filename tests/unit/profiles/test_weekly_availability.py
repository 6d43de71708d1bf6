"""The one availability rule: weekly Finnish wall-clock times (also past midnight and across
the DST changes), days off and dated times; with nothing stated any time goes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from asta.profiles.availability import (
    Availability,
    WeeklyTime,
    available_spans,
    is_available,
    weekly_windows,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAYS_8_TO_16 = WeeklyTime(1, time(8), time(16))
FRIDAY_NIGHTS = WeeklyTime(5, time(22), time(6))  # Friday 22.00 to Saturday 06.00
SATURDAY_NIGHTS = WeeklyTime(6, time(22), time(6))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def test_each_matching_weekday_gets_its_window() -> None:
    windows = weekly_windows([MONDAYS_8_TO_16, WeeklyTime(3, time(12), time(20))], [],
                             date(2026, 12, 7), date(2026, 12, 14))
    assert windows == [(at(date(2026, 12, 7), 8), at(date(2026, 12, 7), 16)),
                       (at(date(2026, 12, 9), 12), at(date(2026, 12, 9), 20)),
                       (at(date(2026, 12, 14), 8), at(date(2026, 12, 14), 16))]


def test_a_day_off_removes_that_day_only() -> None:
    windows = weekly_windows([MONDAYS_8_TO_16], [date(2026, 12, 7)],
                             date(2026, 12, 7), date(2026, 12, 14))
    assert [a.date() for a, _ in windows] == [date(2026, 12, 14)]


def test_the_wall_clock_holds_across_the_dst_change() -> None:
    # 2027-03-28 is the Sunday clocks go forward; the Mondays either side both start at 8.00.
    windows = weekly_windows([MONDAYS_8_TO_16], [], date(2027, 3, 22), date(2027, 3, 29))
    assert [a.astimezone(HELSINKI).hour for a, _ in windows] == [8, 8]
    assert windows[0][0].utcoffset() != windows[1][0].utcoffset()


@pytest.mark.parametrize(("night", "hours"), [
    (date(2027, 3, 27), 7),    # Saturday night when the clocks go forward at 03.00
    (date(2027, 10, 30), 9),   # Saturday night when they go back at 04.00
    (date(2027, 1, 9), 8),     # an ordinary Saturday night
])
def test_a_night_runs_past_midnight_and_the_dst_change(night: date, hours: int) -> None:
    [(start, end)] = weekly_windows([SATURDAY_NIGHTS], [], night, night)
    assert (start, end) == (at(night, 22), at(night + timedelta(days=1), 6))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)
    mine = Availability(weekly=(SATURDAY_NIGHTS,))
    assert is_available(mine, at(night, 22), at(night + timedelta(days=1), 6))
    assert not is_available(mine, at(night, 21, 30), at(night + timedelta(days=1), 2))


FRIDAY = date(2026, 12, 11)


@pytest.mark.parametrize(("availability", "start", "end", "expected"), [
    # Nothing stated: any time goes, except a day off.
    (Availability(), at(FRIDAY, 3), at(FRIDAY, 11), True),
    (Availability(days_off=frozenset({FRIDAY})), at(FRIDAY, 8), at(FRIDAY, 16), False),
    # Weekly times, also over midnight and into the next day's own time.
    (Availability(weekly=(MONDAYS_8_TO_16,)), at(date(2026, 12, 14), 8),
     at(date(2026, 12, 14), 16), True),
    (Availability(weekly=(MONDAYS_8_TO_16,)), at(date(2026, 12, 14), 7),
     at(date(2026, 12, 14), 12), False),
    (Availability(weekly=(FRIDAY_NIGHTS,)), at(FRIDAY, 23), at(FRIDAY + timedelta(days=1), 5),
     True),
    (Availability(weekly=(FRIDAY_NIGHTS, WeeklyTime(6, time(6), time(12)))),
     at(FRIDAY, 22), at(FRIDAY + timedelta(days=1), 10), True),  # neighbours merge
    # A day off takes the night that starts on it, not the one that ends on it.
    (Availability(weekly=(FRIDAY_NIGHTS,), days_off=frozenset({FRIDAY})), at(FRIDAY, 23),
     at(FRIDAY + timedelta(days=1), 5), False),
    (Availability(weekly=(FRIDAY_NIGHTS,), days_off=frozenset({FRIDAY + timedelta(days=1)})),
     at(FRIDAY, 23), at(FRIDAY + timedelta(days=1), 5), True),
    # Dated times stand on their own, a day off or not.
    (Availability(dated=((at(FRIDAY, 8), at(FRIDAY, 20)),), days_off=frozenset({FRIDAY})),
     at(FRIDAY, 9), at(FRIDAY, 17), True),
    (Availability(dated=((at(FRIDAY, 8), at(FRIDAY, 20)),)), at(FRIDAY, 19), at(FRIDAY, 23),
     False),
])
def test_is_available(availability: Availability, start: datetime, end: datetime,
                      expected: bool) -> None:
    assert is_available(availability, start, end) is expected


def test_spans_of_nothing_stated_are_the_days_without_the_days_off() -> None:
    spans = available_spans(Availability(days_off=frozenset({FRIDAY})),
                            FRIDAY - timedelta(days=1), FRIDAY + timedelta(days=1))
    assert spans == [(at(FRIDAY - timedelta(days=1), 0), at(FRIDAY, 0)),
                     (at(FRIDAY + timedelta(days=1), 0), at(FRIDAY + timedelta(days=2), 0))]
