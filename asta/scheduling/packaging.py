"""Paketointi: turn a staffing requirement curve into shifts to publish.

Given required staff per interval and the shift templates a unit allows,
choose how many shifts of each template to publish, lexicographically: least
under-cover, then least over-cover, then fewest shifts. The CP-SAT part lives
in `solver` (the one module that imports ortools); this module holds the data
and the coverage arithmetic so a scheduler can see the coverage chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from asta.scheduling.problem import MINUTES_PER_DAY
from asta.scheduling.solver import solve_packaging


@dataclass(frozen=True, slots=True)
class Template:
    """A shift that may be published: minutes from the start of the curve."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PackagedShift:
    start: int
    end: int
    count: int


@dataclass(frozen=True, slots=True)
class IntervalCover:
    start: int
    end: int
    required: int
    packaged: int


@dataclass(frozen=True, slots=True)
class Packaging:
    status: str
    """'optimal' when all three levels were proven optimal, else 'feasible'/'infeasible'."""
    shifts: tuple[PackagedShift, ...]
    coverage: tuple[IntervalCover, ...]
    under_cover: int
    """Staff-intervals short of the requirement."""
    over_cover: int
    shift_count: int
    """Shifts to publish; each has `count` positions."""
    positions: int


def daily_templates(
    days: int,
    start_hours: Iterable[int] = range(7, 21),
    lengths_h: Iterable[int] = (4, 6, 8, 10),
) -> list[Template]:
    """Every allowed start on the hour and length, on each day."""
    starts = list(start_hours)
    lengths = list(lengths_h)
    return [
        Template(day * MINUTES_PER_DAY + h * 60, day * MINUTES_PER_DAY + h * 60 + length * 60)
        for day in range(days)
        for h in starts
        for length in lengths
    ]


def covers(template: Template, interval_start: int, interval_end: int) -> bool:
    """A shift counts for an interval only if it is present for all of it."""
    return template.start <= interval_start and interval_end <= template.end


def coverage(
    required: Sequence[int], interval_min: int, chosen: Sequence[PackagedShift]
) -> tuple[IntervalCover, ...]:
    out = []
    for i, need in enumerate(required):
        lo, hi = i * interval_min, (i + 1) * interval_min
        have = sum(s.count for s in chosen if covers(Template(s.start, s.end), lo, hi))
        out.append(IntervalCover(lo, hi, need, have))
    return tuple(out)


def package(
    required: Sequence[int],
    interval_min: int,
    templates: Sequence[Template],
    *,
    time_limit_s: float = 10.0,
    max_per_template: int | None = None,
) -> Packaging:
    """Choose shift counts per template for the requirement curve."""
    if interval_min <= 0:
        raise ValueError("interval length must be positive")
    cover_sets = [
        [t for t, tpl in enumerate(templates) if covers(tpl, i * interval_min, (i + 1) * interval_min)]
        for i in range(len(required))
    ]
    useful = [
        t
        for t, tpl in enumerate(templates)
        if tpl.start < len(required) * interval_min and tpl.end > tpl.start
    ]
    cap = max_per_template if max_per_template is not None else max(required, default=0)
    status, counts = solve_packaging(
        list(required), cover_sets, useful, cap, time_limit_s=time_limit_s
    )
    chosen = tuple(
        PackagedShift(templates[t].start, templates[t].end, n)
        for t, n in sorted(counts.items(), key=lambda kv: (templates[kv[0]].start, kv[0]))
        if n > 0
    )
    cov = coverage(required, interval_min, chosen)
    return Packaging(
        status=status,
        shifts=chosen,
        coverage=cov,
        under_cover=sum(max(0, c.required - c.packaged) for c in cov),
        over_cover=sum(max(0, c.packaged - c.required) for c in cov),
        shift_count=len(chosen),
        positions=sum(s.count for s in chosen),
    )


def demand_end(required: Sequence[int], interval_min: int) -> int:
    """Minutes to the end of the last interval that needs anyone (0 when none does)."""
    needed = [i for i, n in enumerate(required) if n > 0]
    return (needed[-1] + 1) * interval_min if needed else 0


def within(templates: Sequence[Template], end: int) -> list[Template]:
    """The templates that end by `end`: a shift does not outlast the demand it covers."""
    return [t for t in templates if t.end <= end]
