from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asta.marketplace.rules import (
    Interval,
    RuleError,
    cancellation_is_late,
    check_working_time,
    reliability_score,
)

HEL = ZoneInfo("Europe/Helsinki")


def shift(day: int, start_hour: int, hours: float, *, month: int = 3, ref: str | None = None,
          minute: int = 0) -> Interval:
    """A shift starting on a local date in 2025."""
    start = datetime(2025, month, day, start_hour, minute, tzinfo=HEL)
    return Interval(start, start + timedelta(hours=hours), ref)


# Week of Monday 2025-03-03: 9 h a day Monday to Friday = 45 h.
WORK_WEEK = [shift(day, 8, 9) for day in range(3, 8)]


def codes(new: Interval, existing: list[Interval], **kwargs: object) -> list[str]:
    return [v.code for v in check_working_time(new, existing, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("new", "existing", "kwargs", "expected"),
    [
        pytest.param(shift(3, 8, 8), [], {}, [], id="nothing-else"),
        pytest.param(shift(3, 12, 8), [shift(3, 8, 8)], {}, ["overlap"], id="overlap"),
        pytest.param(shift(4, 1, 6, minute=30), [shift(3, 8, 8)], {}, ["min_rest"],
                     id="short-rest-before"),
        pytest.param(shift(2, 20, 2), [shift(3, 8, 8)], {}, ["min_rest"], id="short-rest-after"),
        pytest.param(shift(4, 3, 8), [shift(3, 8, 8)], {}, [], id="exactly-11h-rest"),
        pytest.param(shift(4, 1, 6, minute=30), [shift(3, 8, 8)],
                     {"min_rest": timedelta(hours=9)}, [], id="area-rest-9h"),
        pytest.param(shift(3, 16, 4), [shift(3, 8, 8)], {}, ["min_rest"], id="back-to-back"),
        pytest.param(shift(8, 8, 3), WORK_WEEK, {}, [], id="exactly-48h"),
        pytest.param(shift(8, 8, 4), WORK_WEEK, {}, ["weekly_max"], id="49h"),
        pytest.param(shift(8, 8, 3), WORK_WEEK, {"weekly_max_hours": 40},
                     ["weekly_max"], id="area-max-40"),
        pytest.param(shift(8, 8, 3), WORK_WEEK, {"personal_weekly_max_hours": 40},
                     ["personal_weekly_max"], id="personal-max-40"),
        pytest.param(shift(8, 8, 4), WORK_WEEK, {"personal_weekly_max_hours": 40},
                     ["weekly_max", "personal_weekly_max"], id="both-maxima"),
        pytest.param(shift(9, 20, 8), WORK_WEEK, {"weekly_max_hours": 49},
                     [], id="only-4h-before-monday-midnight-count"),
        pytest.param(shift(9, 20, 8), WORK_WEEK, {"weekly_max_hours": 48.5},
                     ["weekly_max"], id="split-at-monday-midnight"),
        pytest.param(shift(8, 8, 3, ref="s1"), [*WORK_WEEK, shift(8, 8, 3, ref="s1")], {},
                     [], id="same-shift-ignored"),
    ],
)
def test_check_working_time(
    new: Interval, existing: list[Interval], kwargs: dict[str, object], expected: list[str]
) -> None:
    assert codes(new, existing, **kwargs) == expected


def test_min_rest_message_and_conflict() -> None:
    earlier = shift(3, 8, 8, ref="a")
    [violation] = check_working_time(shift(4, 1, 6, minute=30), [earlier])
    assert violation.message == "Only 9.5 h rest between shifts; the unit requires 11 h"
    assert violation.conflicting == (earlier,)


def test_overlap_message_names_local_times() -> None:
    [violation] = check_working_time(shift(3, 12, 8), [shift(3, 8, 8)])
    assert violation.message == "Overlaps another shift you hold (2025-03-03 08:00-16:00)"


def test_weekly_message_names_week_and_numbers() -> None:
    [violation] = check_working_time(shift(8, 8, 4.5), WORK_WEEK)
    assert violation.message == (
        "Would work 49.5 h in the week starting Monday 2025-03-03; the maximum is 48 h"
    )
    assert violation.conflicting == tuple(WORK_WEEK)


def test_overlapping_hours_count_once_in_the_week() -> None:
    # An overlap is its own violation; it must not also inflate the weekly sum.
    new = shift(7, 8, 9)
    violations = check_working_time(new, WORK_WEEK, weekly_max_hours=45)
    assert [v.code for v in violations] == ["overlap"]


def test_week_counts_real_hours_across_autumn_dst() -> None:
    # Night of 25-26 October 2025 lasts 10 real hours from 22:00 to 07:00.
    new = Interval(datetime(2025, 10, 25, 22, tzinfo=HEL), datetime(2025, 10, 26, 7, tzinfo=HEL))
    week = [shift(day, 8, 9, month=10) for day in range(20, 24)]  # 36 h
    assert codes(new, week, weekly_max_hours=45.5) == ["weekly_max"]
    assert codes(new, week, weekly_max_hours=46) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_rest": timedelta(hours=-1)}, "min_rest"),
        ({"weekly_max_hours": 0}, "weekly_max_hours"),
        ({"personal_weekly_max_hours": -3}, "personal_weekly_max_hours"),
        ({"tz": "Nowhere/Town"}, "tz"),
    ],
)
def test_invalid_settings(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(RuleError) as err:
        check_working_time(shift(3, 8, 8), [], **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime(2025, 3, 3, 8, tzinfo=HEL), datetime(2025, 3, 3, 8, tzinfo=HEL), "end"),
        (datetime(2025, 3, 3, 8), datetime(2025, 3, 3, 9, tzinfo=HEL), "start"),
    ],
)
def test_invalid_interval(start: datetime, end: datetime, field: str) -> None:
    with pytest.raises(RuleError) as err:
        Interval(start, end)
    assert err.value.field == field


START = datetime(2025, 3, 10, 8, tzinfo=HEL)


@pytest.mark.parametrize(
    ("now", "notice_hours", "late"),
    [
        (START - timedelta(hours=25), 24, False),
        (START - timedelta(hours=24), 24, False),
        (START - timedelta(hours=23, minutes=59), 24, True),
        (START + timedelta(hours=1), 24, True),
        (START - timedelta(hours=1), 0, False),
        (START - timedelta(hours=47), 48, True),
    ],
)
def test_cancellation_is_late(now: datetime, notice_hours: float, late: bool) -> None:
    assert cancellation_is_late(now, START, notice_hours) is late


def test_cancellation_notice_cannot_be_negative() -> None:
    with pytest.raises(RuleError):
        cancellation_is_late(START, START, -1)


@pytest.mark.parametrize(
    ("completed", "late_cancelled", "no_show", "score"),
    [
        (0, 0, 0, None),
        (10, 0, 0, 100),
        (1, 1, 0, 50),
        (8, 1, 1, 73),  # 8 / (8 + 1 + 2)
        (1, 0, 1, 33),
        (0, 0, 3, 0),
    ],
)
def test_reliability_score(completed: int, late_cancelled: int, no_show: int,
                           score: int | None) -> None:
    assert reliability_score(
        completed=completed, late_cancelled=late_cancelled, no_show=no_show
    ) == score


def test_reliability_counts_cannot_be_negative() -> None:
    with pytest.raises(RuleError) as err:
        reliability_score(completed=1, late_cancelled=0, no_show=-1)
    assert err.value.field == "no_show"
