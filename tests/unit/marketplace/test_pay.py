import random
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from asta.marketplace.rules import PayBreakdown, RateCard, RuleError, compute_shift_pay

HEL = ZoneInfo("Europe/Helsinki")
CARD = RateCard({"doctor": 9000, "nurse": 3500})  # 15 / 30 / 20 / 100 %


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
          second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=HEL)


def summary(pay: PayBreakdown) -> tuple[int, ...]:
    return (
        pay.paid_minutes,
        pay.evening_minutes,
        pay.night_minutes,
        pay.saturday_minutes,
        pay.sunday_holiday_minutes,
        pay.total_cents,
    )


# (start, end, break) -> (paid, evening, night, saturday, sunday/holiday min, total cents)
@pytest.mark.parametrize(
    ("start", "end", "break_minutes", "expected"),
    [
        pytest.param(local(2025, 3, 3, 8), local(2025, 3, 3, 16), 0,
                     (480, 0, 0, 0, 0, 72000), id="weekday-day"),
        pytest.param(local(2025, 3, 3, 14), local(2025, 3, 3, 22), 0,
                     (480, 240, 0, 0, 0, 77400), id="weekday-evening"),
        pytest.param(local(2025, 3, 3, 22), local(2025, 3, 4, 7), 0,
                     (540, 0, 540, 0, 0, 105300), id="weekday-night"),
        pytest.param(local(2025, 3, 8, 8), local(2025, 3, 8, 16), 0,
                     (480, 0, 0, 480, 0, 86400), id="saturday"),
        pytest.param(local(2025, 3, 9, 8), local(2025, 3, 9, 16), 0,
                     (480, 0, 0, 0, 480, 144000), id="sunday"),
        pytest.param(local(2025, 5, 1, 14), local(2025, 5, 1, 22), 0,
                     (480, 240, 0, 0, 480, 149400), id="may-day-evening-stacks"),
        pytest.param(local(2025, 12, 6, 8), local(2025, 12, 6, 16), 0,
                     (480, 0, 0, 0, 480, 144000), id="holiday-on-saturday-beats-saturday"),
        pytest.param(local(2025, 3, 7, 20), local(2025, 3, 8, 4), 0,
                     (480, 120, 360, 240, 0, 98100), id="friday-into-saturday"),
        pytest.param(local(2025, 3, 8, 20), local(2025, 3, 9, 4), 0,
                     (480, 120, 360, 240, 240, 134100), id="saturday-into-sunday"),
        pytest.param(local(2025, 10, 25, 22), local(2025, 10, 26, 7), 0,
                     (600, 0, 600, 120, 480, 192600), id="autumn-dst-hour-longer"),
        pytest.param(local(2025, 3, 29, 22), local(2025, 3, 30, 7), 0,
                     (480, 0, 480, 120, 360, 151200), id="spring-dst-hour-shorter"),
        pytest.param(local(2025, 3, 3, 14), local(2025, 3, 3, 22), 30,
                     (450, 240, 0, 0, 0, 72900), id="break-from-plain-time"),
        pytest.param(local(2025, 3, 3, 16), local(2025, 3, 3, 22), 180,
                     (180, 180, 0, 0, 0, 31050), id="break-spills-into-evening"),
    ],
)
def test_compute_shift_pay(
    start: datetime, end: datetime, break_minutes: int, expected: tuple[int, ...]
) -> None:
    pay = compute_shift_pay(start, end, "doctor", CARD, break_minutes=break_minutes)
    assert summary(pay) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (local(2025, 3, 3, 8), local(2025, 3, 3, 16)),
        (local(2025, 10, 25, 18), local(2025, 10, 26, 9)),
        (local(2025, 3, 29, 17, 15), local(2025, 3, 30, 11, 45)),
        (local(2025, 12, 23, 12), local(2025, 12, 27, 12)),
    ],
)
def test_breakdown_adds_up(start: datetime, end: datetime) -> None:
    pay = compute_shift_pay(start, end, "nurse", CARD, break_minutes=45)
    # Same-zone aware subtraction is wall-clock time in Python; UTC gives real time.
    real_minutes = int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()) // 60
    assert pay.elapsed_minutes == real_minutes == sum(s.minutes for s in pay.segments)
    assert pay.paid_minutes == real_minutes - 45
    assert pay.total_cents == (
        pay.base_cents + pay.evening_cents + pay.night_cents
        + pay.saturday_cents + pay.sunday_holiday_cents
    )
    assert pay.supplement_cents == pay.total_cents - pay.base_cents


def test_saturday_supplement_from_configured_hour() -> None:
    card = RateCard({"doctor": 9000}, saturday_from=time(13))
    pay = compute_shift_pay(local(2025, 3, 8, 8), local(2025, 3, 8, 16), "doctor", card)
    assert (pay.saturday_minutes, pay.saturday_cents) == (180, 5400)


def test_custom_windows_night_wins_where_they_overlap() -> None:
    card = RateCard(
        {"doctor": 6000}, evening_start=time(17), evening_end=time(23),
        night_start=time(21), night_end=time(6),
    )
    pay = compute_shift_pay(local(2025, 3, 3, 16), local(2025, 3, 3, 23), "doctor", card)
    assert (pay.evening_minutes, pay.night_minutes) == (240, 120)


def test_rounds_each_component_half_up_to_cents() -> None:
    card = RateCard({"doctor": 3333}, evening_pct=15)
    pay = compute_shift_pay(local(2025, 3, 3, 18), local(2025, 3, 3, 18, 1), "doctor", card)
    assert (pay.base_cents, pay.evening_cents, pay.total_cents) == (56, 8, 64)


def test_seconds_are_dropped() -> None:
    pay = compute_shift_pay(
        local(2025, 3, 3, 8, 0, 59), local(2025, 3, 3, 9, 0, 30), "doctor", CARD
    )
    assert pay.paid_minutes == 60


def test_other_time_zone() -> None:
    start = datetime(2025, 3, 3, 18, tzinfo=UTC)  # 20:00 in Helsinki, 18:00 in UTC
    pay = compute_shift_pay(start, start + timedelta(hours=4), "doctor", CARD, tz="UTC")
    assert pay.evening_minutes == 240


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"end": local(2025, 3, 3, 8)}, "end"),
        ({"end": local(2025, 3, 3, 7)}, "end"),
        ({"start": datetime(2025, 3, 3, 8)}, "start"),
        ({"profession": "dentist"}, "profession"),
        ({"break_minutes": -1}, "break_minutes"),
        ({"break_minutes": 480}, "break_minutes"),
        ({"tz": "Mars/Olympus"}, "tz"),
    ],
)
def test_invalid_input(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "start": local(2025, 3, 3, 8), "end": local(2025, 3, 3, 16),
        "profession": "doctor", "rate_card": CARD,
    }
    args.update(kwargs)
    with pytest.raises(RuleError) as err:
        compute_shift_pay(**args)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_hourly_cents": {}}, "base_hourly_cents"),
        ({"base_hourly_cents": {"doctor": -1}}, "base_hourly_cents"),
        ({"base_hourly_cents": {"doctor": 90.5}}, "base_hourly_cents"),
        ({"night_pct": -5}, "night_pct"),
        ({"evening_start": time(18, 0, 30)}, "evening_start"),
        ({"evening_end": time(18)}, "evening_end"),
    ],
)
def test_invalid_rate_card(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"base_hourly_cents": {"doctor": 9000}, **kwargs}
    with pytest.raises(RuleError) as err:
        RateCard(**args)
    assert err.value.field == field


def test_rate_card_is_read_only() -> None:
    rates = {"doctor": 9000}
    card = RateCard(rates)
    rates["doctor"] = 1
    assert card.base_hourly_cents["doctor"] == 9000


def _minute_by_minute(start: datetime, end: datetime, card: RateCard) -> dict[str, int]:
    """An independent evaluator: class every real minute by its local wall time."""
    counts = {"evening": 0, "night": 0, "saturday": 0, "sunday_holiday": 0}
    instant = start.astimezone(UTC)
    while instant < end:
        local_mid = (instant + timedelta(seconds=30)).astimezone(HEL)
        for kind in (card.time_of_day(local_mid.time()), card.day_kind(local_mid)):
            if kind in counts:
                counts[kind] += 1
        instant += timedelta(minutes=1)
    return counts


@pytest.mark.parametrize("seed", range(60))
def test_segments_agree_with_minute_by_minute_evaluator(seed: int) -> None:
    rng = random.Random(seed)
    # Around both 2025 DST changes, Easter, Midsummer and Christmas.
    anchor = rng.choice(
        [
            datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
            datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
            datetime(2025, 3, 29, tzinfo=UTC),
            datetime(2025, 10, 25, tzinfo=UTC),
            datetime(2025, 4, 17, tzinfo=UTC),
            datetime(2025, 6, 19, tzinfo=UTC),
            datetime(2025, 12, 23, tzinfo=UTC),
        ]
    )
    start = anchor + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
    end = start + timedelta(minutes=rng.randrange(1, 26 * 60))
    # Odd window edges inside the DST hours (03:00-04:00) are the hard cases.
    edges = rng.sample([time(h, m) for h in range(24) for m in (0, 15, 30, 45)], 5)
    card = RateCard(
        {"doctor": 9000}, evening_start=edges[0], evening_end=edges[1],
        night_start=edges[2], night_end=edges[3], saturday_from=edges[4],
    )
    pay = compute_shift_pay(start, end, "doctor", card)
    assert {
        "evening": pay.evening_minutes,
        "night": pay.night_minutes,
        "saturday": pay.saturday_minutes,
        "sunday_holiday": pay.sunday_holiday_minutes,
    } == _minute_by_minute(start, end, card)
