from datetime import date

import pytest

from asta.marketplace.rules import (
    RuleError,
    easter_sunday,
    finnish_holidays,
    holiday_dates,
    is_public_holiday,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1818, date(1818, 3, 22)),  # earliest possible
        (1943, date(1943, 4, 25)),  # latest possible
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


@pytest.mark.parametrize(
    ("year", "movable"),
    [
        (
            2024,
            {
                "Good Friday": date(2024, 3, 29),
                "Easter Monday": date(2024, 4, 1),
                "Ascension Day": date(2024, 5, 9),
                "Whitsun": date(2024, 5, 19),
                "Midsummer Eve": date(2024, 6, 21),
                "Midsummer Day": date(2024, 6, 22),
                "All Saints' Day": date(2024, 11, 2),
            },
        ),
        (
            2025,
            {
                "Good Friday": date(2025, 4, 18),
                "Easter Monday": date(2025, 4, 21),
                "Ascension Day": date(2025, 5, 29),
                "Whitsun": date(2025, 6, 8),
                "Midsummer Eve": date(2025, 6, 20),
                "Midsummer Day": date(2025, 6, 21),
                "All Saints' Day": date(2025, 11, 1),
            },
        ),
        (
            2026,
            {
                "Good Friday": date(2026, 4, 3),
                "Easter Monday": date(2026, 4, 6),
                "Ascension Day": date(2026, 5, 14),
                "Whitsun": date(2026, 5, 24),
                "Midsummer Eve": date(2026, 6, 19),
                "Midsummer Day": date(2026, 6, 20),
                "All Saints' Day": date(2026, 10, 31),
            },
        ),
        (
            2027,
            {
                "Good Friday": date(2027, 3, 26),
                "Easter Monday": date(2027, 3, 29),
                "Ascension Day": date(2027, 5, 6),
                "Whitsun": date(2027, 5, 16),
                "Midsummer Eve": date(2027, 6, 25),
                "Midsummer Day": date(2027, 6, 26),
                "All Saints' Day": date(2027, 11, 6),
            },
        ),
    ],
)
def test_movable_holidays(year: int, movable: dict[str, date]) -> None:
    by_name = {h.name: h.day for h in finnish_holidays(year)}
    assert {name: by_name[name] for name in movable} == movable


def test_a_year_has_fifteen_days_in_order() -> None:
    holidays = finnish_holidays(2025)
    assert len(holidays) == 15
    assert [h.day for h in holidays] == sorted(h.day for h in holidays)
    assert len(holiday_dates(2025)) == 15


@pytest.mark.parametrize(
    ("name", "statutory"),
    [("Midsummer Eve", False), ("Christmas Eve", False), ("Christmas Day", True)],
)
def test_eves_are_customary_not_statutory(name: str, statutory: bool) -> None:
    by_name = {h.name: h for h in finnish_holidays(2025)}
    assert by_name[name].statutory is statutory


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 1), True),
        (date(2025, 1, 6), True),
        (date(2025, 5, 1), True),
        (date(2025, 12, 6), True),
        (date(2025, 12, 24), True),
        (date(2025, 12, 25), True),
        (date(2025, 12, 26), True),
        (date(2025, 6, 19), False),  # Thursday before Midsummer Eve
        (date(2025, 12, 31), False),
        (date(2025, 4, 22), False),
    ],
)
def test_is_public_holiday(day: date, expected: bool) -> None:
    assert is_public_holiday(day) is expected


@pytest.mark.parametrize("year", [1500, 10000])
def test_year_out_of_range(year: int) -> None:
    with pytest.raises(RuleError) as err:
        easter_sunday(year)
    assert err.value.field == "year"
