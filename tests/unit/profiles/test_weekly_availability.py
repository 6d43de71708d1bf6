"""Weekly availability patterns as concrete windows: Finnish wall-clock times, days off skipped."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from asta.profiles.rules import weekly_windows

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAYS_8_TO_16 = (1, time(8), time(16))


def test_each_matching_weekday_gets_its_window() -> None:
    windows = weekly_windows([MONDAYS_8_TO_16, (3, time(12), time(20))], [],
                             date(2026, 12, 7), date(2026, 12, 14))
    assert windows == [
        (datetime(2026, 12, 7, 8, tzinfo=HELSINKI), datetime(2026, 12, 7, 16, tzinfo=HELSINKI)),
        (datetime(2026, 12, 9, 12, tzinfo=HELSINKI), datetime(2026, 12, 9, 20, tzinfo=HELSINKI)),
        (datetime(2026, 12, 14, 8, tzinfo=HELSINKI),
         datetime(2026, 12, 14, 16, tzinfo=HELSINKI))]


def test_a_day_off_removes_that_day_only() -> None:
    windows = weekly_windows([MONDAYS_8_TO_16], [date(2026, 12, 7)],
                             date(2026, 12, 7), date(2026, 12, 14))
    assert [a.date() for a, _ in windows] == [date(2026, 12, 14)]


def test_the_wall_clock_holds_across_the_dst_change() -> None:
    # 2027-03-28 is the Sunday clocks go forward; the Mondays either side both start at 8.00.
    windows = weekly_windows([MONDAYS_8_TO_16], [], date(2027, 3, 22), date(2027, 3, 29))
    assert [a.astimezone(HELSINKI).hour for a, _ in windows] == [8, 8]
    assert [a.utcoffset() for a, _ in windows] != [windows[0][0].utcoffset()] * 2
