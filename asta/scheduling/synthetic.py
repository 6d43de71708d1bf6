"""Synthetic Curtois & Qu-style rostering instances of any size, from a seed.

The published instances stop at 150 people x 52 weeks x 32 shift types; the
held-back ones of that size are not ours to tune to, so tests and
`benchmarks/rostering.py --synthetic` use these instead. Every rule of the
format is present: per-kind maxima (some kinds closed to a person), period
minute bounds, run and rest-run lengths, weekends, days off, forbidden
successions, shift-on/off requests and soft cover. The minimum minutes stay
within what the run and weekend rules allow, so a legal roster exists.
"""

from __future__ import annotations

import random

from asta.scheduling.problem import (
    MINUTES_PER_DAY,
    Problem,
    Professional,
    Request,
    Rules,
    Shift,
    Weights,
)

LENGTHS = (480, 480, 600, 720, 360)
MIN_SHARE = 0.4
"""Minimum period minutes as a share of the horizon worked in the person's shortest kind:
below the 5-in-7 run limit less the weekends off (about 0.57)."""


def synthetic(*, staff: int, weeks: int, kinds: int, seed: int) -> Problem:
    rng = random.Random(seed)
    days = 7 * weeks
    names = [f"k{k}" for k in range(kinds)]
    lengths = {name: LENGTHS[k % len(LENGTHS)] for k, name in enumerate(names)}
    # The last kind is a night: nothing early may follow it (successions bind).
    successions = frozenset((names[-1], name) for name in names[: max(1, kinds // 2)] if name != names[-1])
    people = []
    for i in range(staff):
        allowed = rng.sample(names, max(1, (2 * kinds + 2) // 3))
        shortest = min(lengths[k] for k in allowed)
        longest = max(lengths[k] for k in allowed)
        minimum = int(MIN_SHARE * days * shortest) // 60 * 60
        maximum = minimum + max(4 * longest, int(0.1 * days * longest) // 60 * 60)
        off = frozenset(rng.sample(range(days), days // 20))
        on_days = rng.sample(range(days), days // 14)
        off_days = rng.sample(range(days), days // 14)
        people.append(
            Professional(
                id=f"P{i}",
                max_shifts_per_kind={k: (days if k in allowed else 0) for k in names},
                min_minutes=minimum,
                max_minutes=maximum,
                max_consecutive_days=5,
                min_consecutive_days=2,
                min_consecutive_days_off=2,
                max_weekends=(weeks + 1) // 2,
                days_off=off,
                shift_on_requests=tuple(Request(d, rng.choice(allowed), rng.randint(1, 3)) for d in on_days),
                shift_off_requests=tuple(Request(d, rng.choice(names), rng.randint(1, 3)) for d in off_days),
            )
        )
    # Demand: about as many positions a day as people working on an average day.
    per_day = max(1, round(staff * 0.5 / kinds))
    shifts = []
    for day in range(days):
        for name in names:
            start = day * MINUTES_PER_DAY
            shifts.append(
                Shift(
                    id=f"{day}:{name}",
                    day=day,
                    start=start,
                    end=start + lengths[name],
                    kind=name,
                    positions=rng.randint(max(0, per_day - 1), per_day + 1),
                    under_weight=100,
                    over_weight=1,
                    max_staff=staff,
                )
            )
    return Problem(
        shifts=tuple(shifts),
        professionals=tuple(people),
        rules=Rules(forbidden_successions=successions),
        weights=Weights(fill=1, over_cover=1, requests=1),
        days=days,
    )
