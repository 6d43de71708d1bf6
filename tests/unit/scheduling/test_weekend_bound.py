"""The weekends-only lower bound of benchmarks/weekend_bound.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from asta.scheduling.curtois_qu import load, parse
from benchmarks.weekend_bound import weekend_bound

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"


def _instance(max_weekends: int, min_minutes: int, cover: list[str]) -> str:
    return "\n".join([
        "SECTION_HORIZON", "14", "",
        "SECTION_SHIFTS", "E,480,", "",
        "SECTION_STAFF", f"A,E=14,6720,{min_minutes},6,1,1,{max_weekends}", "",
        "SECTION_DAYS_OFF", "", "SECTION_SHIFT_ON_REQUESTS", "", "SECTION_SHIFT_OFF_REQUESTS", "",
        "SECTION_COVER", *cover, "",
    ])


WEEKENDS = [f"{day},E,{int(day % 7 >= 5)},100,1" for day in range(14)]
"""One position each weekend day, none on weekdays; over-cover costs 1 everywhere."""


@pytest.mark.parametrize(("max_weekends", "bound", "open_"), [(1, 200, 2), (2, 0, 0)])
def test_a_weekend_limit_leaves_weekend_positions_open_in_any_roster(
    max_weekends: int, bound: int, open_: int
) -> None:
    found = weekend_bound(parse(_instance(max_weekends, 0, WEEKENDS)), 10, 1)
    assert (found["bound"], found["weekend_under_cover"], found["status"]) == (bound, open_, "OPTIMAL")


def test_shifts_the_minimum_minutes_force_beyond_the_positions_count_as_over_cover() -> None:
    # Five shifts at least, four positions: one over-covered shift in any roster, and one
    # more for each weekend position the limit of one weekend leaves open.
    found = weekend_bound(parse(_instance(1, 5 * 480, WEEKENDS)), 10, 1)
    assert (found["forced_over_cover"], found["bound"]) == (1, 2 * 101 + 1)


def test_the_bound_is_not_above_instance1s_proven_optimum() -> None:
    found = weekend_bound(load(INSTANCE1), 10, 1)
    assert found["status"] == "OPTIMAL"
    assert 0 <= int(str(found["bound"])) <= 607
