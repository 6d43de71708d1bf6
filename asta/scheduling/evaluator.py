"""Independent check of a roster: hard-rule violations and the objective per goal.

Written from the rules' definitions alone, without ortools or the model code,
so that a bug in the model shows up as a disagreement with this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from asta.scheduling.problem import (
    Problem,
    Professional,
    Shift,
    Weights,
    hourly_cost_units,
    is_weekend,
    weekend_index,
)

Assignment = tuple[str, str]
"""(professional id, shift id)."""

GOALS = (
    "fill",
    "over_cover",
    "requests",
    "preferred_unit",
    "continuity",
    "fairness",
    "own_pool",
    "cost",
)


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    professional: str | None
    shifts: tuple[str, ...]
    detail: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    violations: tuple[Violation, ...]
    objective: int
    breakdown: Mapping[str, int]
    unfilled: Mapping[str, int] = field(default_factory=dict)
    """Shift id -> positions left open."""

    @property
    def feasible(self) -> bool:
        return not self.violations


def _work_runs(days: list[int]) -> list[tuple[int, int]]:
    """(first, last) day of each maximal run of consecutive days in sorted `days`."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def person_violations(
    problem: Problem, prof: Professional, mine: list[Shift]
) -> list[Violation]:
    """Every hard rule broken by giving `prof` exactly the shifts `mine`."""
    rules = problem.rules
    out: list[Violation] = []
    horizon = problem.horizon_days

    def bad(rule: str, shifts: Iterable[Shift], detail: str) -> None:
        out.append(Violation(rule, prof.id, tuple(s.id for s in shifts), detail))

    for s in mine:
        if (prof.id, s.id) in problem.fixed:
            continue
        if prof.eligible is not None and s.id not in prof.eligible:
            bad("eligibility", [s], "not eligible")
        if s.day in prof.days_off:
            bad("fixed_days_off", [s], f"day {s.day} is a day off")
        if prof.availability is not None and not any(
            a <= s.start and s.end <= b for a, b in prof.availability
        ):
            bad("availability", [s], "outside availability")

    by_day: dict[int, list[Shift]] = defaultdict(list)
    for s in mine:
        by_day[s.day].append(s)
    if rules.one_shift_per_day:
        for day, shifts in by_day.items():
            if len(shifts) > 1:
                bad("one_shift_per_day", shifts, f"{len(shifts)} shifts on day {day}")

    ordered = sorted(mine, key=lambda s: s.start)
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b.start >= a.end + rules.min_rest_minutes:
                break  # every later shift starts later still
            gap = b.start - a.end
            bad("min_rest_between_shifts", [a, b], f"gap {gap} min")

    for a in mine:
        for b in by_day.get(a.day + 1, []):
            if (a.kind, b.kind) in rules.forbidden_successions:
                bad("forbidden_successions", [a, b], f"{a.kind} then {b.kind}")

    kinds = Counter(s.kind for s in mine)
    for kind, limit in prof.max_shifts_per_kind.items():
        if kinds[kind] > limit:
            bad("max_shifts_per_kind", [s for s in mine if s.kind == kind], f"{kind} > {limit}")

    total = sum(s.minutes for s in mine)
    if prof.max_minutes is not None and total > prof.max_minutes:
        bad("period_minute_limits", mine, f"{total} > {prof.max_minutes} min")
    if total < prof.min_minutes:
        bad("period_minute_limits", mine, f"{total} < {prof.min_minutes} min")

    if prof.max_week_minutes is not None:
        weeks: dict[int, list[Shift]] = defaultdict(list)
        for s in mine:
            weeks[s.day // 7].append(s)
        for week, shifts in weeks.items():
            minutes = sum(s.minutes for s in shifts)
            if minutes > prof.max_week_minutes:
                bad("weekly_hour_limit", shifts, f"week {week}: {minutes} min")

    # Off runs that touch an edge of the horizon are exempt, so only the gaps between work
    # runs are checked; walking the worked days rather than the horizon keeps a short roster
    # on a long horizon cheap to check.
    work_runs = _work_runs(sorted(by_day))
    for first, last in work_runs:
        length = last - first + 1
        run = [s for d in range(first, last + 1) for s in by_day[d]]
        if prof.max_consecutive_days is not None and length > prof.max_consecutive_days:
            bad("max_consecutive_days", run, f"{length} days from day {first}")
        inside = first > 0 and last < horizon - 1
        if inside and length < prof.min_consecutive_days:
            bad("min_consecutive_days", run, f"{length} days from day {first}")
    for (_, before), (after, _) in pairwise(work_runs):
        length = after - before - 1
        if length < prof.min_consecutive_days_off:
            bad("min_consecutive_days_off", [], f"{length} days off from day {before + 1}")

    if prof.max_weekends is not None:
        weekends = {weekend_index(rules, s.day) for s in mine if is_weekend(rules, s.day)}
        if len(weekends) > prof.max_weekends:
            bad("max_working_weekends", [], f"{len(weekends)} weekends")
    return out


def _person_penalties(problem: Problem, prof: Professional, mine: list[Shift]) -> Counter[str]:
    w = problem.weights
    pen: Counter[str] = Counter()
    for r in prof.shift_on_requests:
        if not any(s.day == r.day and r.kind in (None, s.kind) for s in mine):
            pen["requests"] += r.weight * w.requests
    for r in prof.shift_off_requests:
        hits = sum(1 for s in mine if s.day == r.day and r.kind in (None, s.kind))
        pen["requests"] += hits * r.weight * w.requests
    if prof.preferred_units:
        pen["preferred_unit"] += w.preferred_unit * sum(
            1 for s in mine if s.unit not in prof.preferred_units
        )
    if prof.wants_minutes is not None:
        total = sum(s.minutes for s in mine)
        pen["fairness"] += w.fairness * (abs(total - prof.wants_minutes) // 60)
    if prof.home_organisation is not None:
        pen["own_pool"] += w.own_pool * sum(
            1 for s in mine if s.organisation != prof.home_organisation
        )
    pen["cost"] += w.cost * sum(hourly_cost_units(prof, s) for s in mine)
    return pen


def cover_costs(w: Weights, s: Shift, staff: int) -> tuple[int, int]:
    """What `staff` people on shift `s` cost: its open positions, and its over-cover."""
    return (w.fill * s.under_weight * max(0, s.positions - staff),
            w.over_cover * s.over_weight * max(0, staff - s.positions))


def continuity_cost(w: Weights, people: int) -> int:
    """What a series worked by `people` different people costs (none for one or none)."""
    return w.continuity * max(0, people - 1)


def person_cost(problem: Problem, prof: Professional, mine: list[Shift]) -> int:
    """What one person's roster adds to the objective beyond cover (wishes, units, ...)."""
    return sum(_person_penalties(problem, prof, mine).values())


def evaluate(problem: Problem, assignments: Iterable[Assignment]) -> Evaluation:
    shifts = problem.shift_by_id()
    people = problem.professional_by_id()
    violations: list[Violation] = []
    pairs = list(assignments)
    seen: set[Assignment] = set()
    per_person: dict[str, list[Shift]] = defaultdict(list)
    staff: Counter[str] = Counter()
    for pid, sid in pairs:
        if pid not in people or sid not in shifts:
            violations.append(Violation("unknown_id", pid, (sid,), "no such person or shift"))
            continue
        if (pid, sid) in seen:
            violations.append(Violation("duplicate", pid, (sid,), "assigned twice"))
            continue
        seen.add((pid, sid))
        per_person[pid].append(shifts[sid])
        staff[sid] += 1
    for pid, sid in sorted(problem.fixed - seen):
        violations.append(Violation("fixed_assignments", pid, (sid,), "agreed shift dropped"))

    breakdown: Counter[str] = Counter({goal: 0 for goal in GOALS})
    w = problem.weights
    unfilled: dict[str, int] = {}
    series: dict[str, set[str]] = defaultdict(set)
    for s in problem.shifts:
        n = staff[s.id]
        if n > s.capacity:
            violations.append(Violation("shift_cover", None, (s.id,), f"{n} > {s.capacity}"))
        if n < s.positions:
            unfilled[s.id] = s.positions - n
        under, over = cover_costs(w, s, n)
        breakdown["fill"] += under
        breakdown["over_cover"] += over
    for pid, mine in per_person.items():
        for s in mine:
            if s.series is not None:
                series[s.series].add(pid)
    for members in series.values():
        breakdown["continuity"] += continuity_cost(w, len(members))

    for prof in problem.professionals:
        mine = per_person.get(prof.id, [])
        violations.extend(person_violations(problem, prof, mine))
        breakdown.update(_person_penalties(problem, prof, mine))
    return Evaluation(
        violations=tuple(violations),
        objective=sum(breakdown.values()),
        breakdown=dict(breakdown),
        unfilled=unfilled,
    )
