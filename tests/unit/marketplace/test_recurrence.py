import calendar
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from asta.marketplace.rules import (
    Block,
    DemandPattern,
    ExpandedShift,
    RuleError,
    expand_demand,
)

WEEKDAYS = set(range(calendar.MONDAY, calendar.FRIDAY + 1))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_the_plans_example_three_doctors_by_day_two_in_the_evening() -> None:
    pattern = DemandPattern(
        first_date=date(2025, 3, 3),  # a Monday
        last_date=date(2025, 3, 30),  # four weeks
        weekdays=WEEKDAYS,
        blocks=[Block(time(8), time(16), 3), Block(time(16), time(20), 2)],
    )
    shifts = expand_demand(pattern)
    assert len(shifts) == 4 * 5 * 2
    assert sum(s.headcount for s in shifts) == 4 * 5 * (3 + 2)
    assert shifts[:2] == [
        ExpandedShift(utc(2025, 3, 3, 6), utc(2025, 3, 3, 14), 3, date(2025, 3, 3), 0),
        ExpandedShift(utc(2025, 3, 3, 14), utc(2025, 3, 3, 18), 2, date(2025, 3, 3), 1),
    ]
    assert all(s.local_date.weekday() in WEEKDAYS for s in shifts)
    # After the spring change on 30 March the same local hours are an hour earlier in UTC;
    # the last weekday here is Friday 28 March, still winter time.
    assert shifts[-1].start_utc == utc(2025, 3, 28, 14)


@pytest.mark.parametrize(
    ("day", "block", "start", "end"),
    [
        pytest.param(date(2025, 3, 3), Block(time(22), time(7)),
                     utc(2025, 3, 3, 20), utc(2025, 3, 4, 5), id="night-ends-next-day"),
        pytest.param(date(2025, 3, 3), Block(time(8), time(8)),
                     utc(2025, 3, 3, 6), utc(2025, 3, 4, 6), id="equal-times-24h"),
        pytest.param(date(2025, 6, 2), Block(time(8), time(16)),
                     utc(2025, 6, 2, 5), utc(2025, 6, 2, 13), id="summer-time"),
        pytest.param(date(2025, 3, 29), Block(time(22), time(7)),
                     utc(2025, 3, 29, 20), utc(2025, 3, 30, 4), id="spring-night-8h"),
        pytest.param(date(2025, 10, 25), Block(time(22), time(7)),
                     utc(2025, 10, 25, 19), utc(2025, 10, 26, 5), id="autumn-night-10h"),
        pytest.param(date(2025, 3, 30), Block(time(3, 30), time(8)),
                     utc(2025, 3, 30, 1), utc(2025, 3, 30, 5), id="skipped-time-moves-forward"),
        pytest.param(date(2025, 10, 26), Block(time(3, 30), time(8)),
                     utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 6),
                     id="repeated-time-takes-first"),
    ],
)
def test_block_times(day: date, block: Block, start: datetime, end: datetime) -> None:
    pattern = DemandPattern(day, day, {day.weekday()}, [block])
    [shift] = expand_demand(pattern)
    assert (shift.start_utc, shift.end_utc, shift.local_date) == (start, end, day)


def test_block_swallowed_by_spring_gap_is_dropped() -> None:
    day = date(2025, 3, 30)
    pattern = DemandPattern(day, day, {day.weekday()}, [Block(time(3), time(4))])
    assert expand_demand(pattern) == []


@pytest.mark.parametrize(("exclude", "count"), [(True, 3), (False, 5)])
def test_exclude_holidays(exclude: bool, count: int) -> None:
    # Easter week 2025: Good Friday 18 April and Easter Monday 21 April.
    pattern = DemandPattern(
        date(2025, 4, 17), date(2025, 4, 23), WEEKDAYS,
        [Block(time(8), time(16))], exclude_holidays=exclude,
    )
    assert len(expand_demand(pattern)) == count


def test_shifts_sorted_by_start_across_days() -> None:
    pattern = DemandPattern(
        date(2025, 3, 3), date(2025, 3, 4), {0, 1},
        [Block(time(22), time(6)), Block(time(8), time(16))],
    )
    starts = [s.start_utc for s in expand_demand(pattern)]
    assert starts == sorted(starts)
    assert len(starts) == 4


def test_time_zone_parameter() -> None:
    day = date(2025, 3, 3)
    pattern = DemandPattern(day, day, {0}, [Block(time(8), time(16))])
    [shift] = expand_demand(pattern, tz="UTC")
    assert shift.start_utc == utc(2025, 3, 3, 8)


BLOCK = Block(time(8), time(16))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"last_date": date(2025, 3, 2)}, "last_date"),
        ({"last_date": date(2026, 3, 4)}, "last_date"),
        ({"weekdays": set()}, "weekdays"),
        ({"weekdays": {7}}, "weekdays"),
        ({"blocks": []}, "blocks"),
    ],
)
def test_invalid_pattern(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "first_date": date(2025, 3, 3), "last_date": date(2025, 3, 30),
        "weekdays": WEEKDAYS, "blocks": [BLOCK], **kwargs,
    }
    with pytest.raises(RuleError) as err:
        DemandPattern(**args)
    assert err.value.field == field


def test_a_full_leap_year_is_allowed() -> None:
    pattern = DemandPattern(date(2028, 1, 1), date(2028, 12, 31), {0}, [BLOCK])
    assert len(expand_demand(pattern)) == 52


@pytest.mark.parametrize("headcount", [0, 101, -1])
def test_invalid_headcount(headcount: int) -> None:
    with pytest.raises(RuleError) as err:
        Block(time(8), time(16), headcount)
    assert err.value.field == "headcount"


def test_block_times_are_wall_clock() -> None:
    with pytest.raises(RuleError) as err:
        Block(time(8, tzinfo=UTC), time(16))
    assert err.value.field == "start_local"
