"""Scarce weekends, and the half weekends that waste them.

Where the weekend positions need nearly every day that everybody's full weekends give
(Curtois & Qu Instance8 to 20), a weekend worked on one day spends one of the
person's allowed weekends on one day of cover. The weekend positions left open are
then the half weekends plus the weekend over-cover, less the little slack there is
(Instance20: 42 + 25 - 21 = 46 positions, all of them on weekends), so the
construction charges half weekends and the LNS steps look for them.
"""

from __future__ import annotations

from asta.scheduling.problem import Problem, is_weekend, weekend_index

Values = dict[tuple[int, int], int]

SCARCE_WEEKENDS = 0.95
"""Weekends count as scarce where their positions need at least this share of what
everybody's full weekends could give: with slack, a half weekend wastes nothing (the
synthetic 150 x 52 x 32, at 85 %, ended at 120,987 charged against 112,295 uncharged)."""


def weekends_scarce(problem: Problem) -> bool:
    """Whether the weekend positions need nearly all that everybody's full weekends give."""
    rules = problem.rules
    weekend_shifts = [s for s in problem.shifts if is_weekend(rules, s.day)]
    weekends = len({weekend_index(rules, s.day) for s in weekend_shifts})
    full = 2 * sum(weekends if p.max_weekends is None else min(weekends, p.max_weekends)
                   for p in problem.professionals)
    return bool(weekend_shifts) and sum(s.positions for s in weekend_shifts) >= SCARCE_WEEKENDS * full


def half_weekends(problem: Problem, values: Values, first: int = 0, last: int | None = None
                  ) -> list[tuple[int, int]]:
    """(person, Saturday) of every weekend somebody works on one day only, counting the
    days [first, last) of `values` (person, shift) -> 0/1."""
    rules = problem.rules
    end = problem.horizon_days if last is None else last
    worked: dict[tuple[int, int], list[int]] = {}
    for (pi, si), value in values.items():
        day = problem.shifts[si].day
        if value and first <= day < end and is_weekend(rules, day):
            worked.setdefault((pi, weekend_index(rules, day)), []).append(day)
    return sorted(
        (pi, days[0] if is_weekend(rules, days[0] + 1) else days[0] - 1)
        for (pi, _), days in worked.items()
        if len(days) == 1
    )
