"""One more shift breaks the same rules on the few weeks shown as on the whole roster."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from asta.scheduling.breaks import Roster, new_breaks, rest_reach
from asta.scheduling.evaluator import person_violations
from asta.scheduling.problem import Problem, Professional, Rules, Shift, is_weekend, weekend_index
from tests.unit.scheduling.factories import problem, shift

WEEKS = 10
KINDS = (("E", 6.0, 8.0), ("D", 8.0, 8.0), ("L", 14.0, 9.0), ("N", 21.0, 10.0))
"""Kind, start hour, hours: a night shift ends the next morning, so rest reaches across days."""


def long_problem(first_weekday: int) -> Problem:
    shifts = [shift(f"{k}{d}", d, start, hours, kind=k)
              for d in range(WEEKS * 7) for k, start, hours in KINDS]
    person = Professional(
        "p", max_shifts_per_kind={"N": 12, "L": 20}, min_minutes=300 * 60, max_minutes=330 * 60,
        max_week_minutes=44 * 60, max_consecutive_days=5, min_consecutive_days=2,
        min_consecutive_days_off=2, max_weekends=5, days_off=frozenset({17, 40}),
    )
    rules = Rules(min_rest_minutes=11 * 60, forbidden_successions=frozenset({("N", "E"), ("L", "E")}),
                  first_weekday=first_weekday)
    return problem(shifts, [person], rules)


def random_roster(p: Problem, rng: random.Random) -> list[Shift]:
    """Work on a random share of days, sometimes twice a day: legal, nearly so, or far from it."""
    by_day: dict[int, list[Shift]] = {}
    for s in p.shifts:
        by_day.setdefault(s.day, []).append(s)
    density = rng.choice((0.15, 0.5, 0.7, 0.9))
    mine = []
    for _, options in sorted(by_day.items()):
        if rng.random() < density:
            mine += rng.sample(options, 2 if rng.random() < 0.03 else 1)
    return mine


def at_its_limits(p: Problem, prof: Professional, mine: list[Shift]) -> Professional:
    """`prof` with period limits just met by `mine`, so that one more shift crosses them."""
    weekends = {weekend_index(p.rules, s.day) for s in mine if is_weekend(p.rules, s.day)}
    minutes = sum(s.minutes for s in mine)
    return replace(prof, max_weekends=len(weekends), max_minutes=minutes, min_minutes=minutes,
                   max_shifts_per_kind=Counter(s.kind for s in mine))


@pytest.mark.parametrize("first_weekday", [0, 5, 6])
def test_one_more_shift_breaks_what_the_whole_roster_says(first_weekday: int) -> None:
    p = long_problem(first_weekday)
    rng = random.Random(first_weekday)
    reach = rest_reach(p)
    seen: Counter[str] = Counter()
    # Weekend days most of all, where cutting a weekend in two would count it twice.
    weekend = [s for s in p.shifts if is_weekend(p.rules, s.day) and s.kind == "D"]
    for _ in range(60):
        mine = random_roster(p, rng)
        prof = at_its_limits(p, p.professionals[0], mine) if rng.random() < 0.5 else p.professionals[0]
        roster = Roster.of(p, mine)
        before = Counter(v.rule for v in person_violations(p, prof, mine))
        for s in [*rng.sample(p.shifts, 25), *weekend]:
            after = Counter(v.rule for v in person_violations(p, prof, [*mine, s]))
            expected = {rule for rule, n in after.items() if n > before[rule]}
            assert new_breaks(p, prof, roster, s, reach) == expected, (sorted(x.id for x in mine), s.id)
            seen.update(expected)
    # Every rule a shift on top of a roster can break came up, so each was compared.
    assert set(seen) == {
        "fixed_days_off", "one_shift_per_day", "min_rest_between_shifts", "forbidden_successions",
        "max_shifts_per_kind", "period_minute_limits", "weekly_hour_limit", "max_consecutive_days",
        "min_consecutive_days", "min_consecutive_days_off", "max_working_weekends",
    }, seen


def test_the_rest_rule_reaches_as_far_as_the_longest_shift_and_rest_allow() -> None:
    p = long_problem(0)
    # Shifts start from 06:00 and end by 07:00 the next day: 25 hours, plus 11 hours of rest.
    assert rest_reach(p) == 2
