"""Why each person got each shift, and why each open position stayed open.

Reasons are found by trying: for an unfilled shift, every person is tentatively
given it on top of their final roster and the hard rules that would then break
(per the independent evaluator, shown the weeks the shift can change: `breaks`) are what
blocks them.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from asta.scheduling.breaks import Roster, new_breaks, rest_reach
from asta.scheduling.evaluator import person_violations
from asta.scheduling.problem import Problem, Professional, Shift, hourly_cost_units

# Unfilled-position reason codes, most fundamental first.
NOBODY_ELIGIBLE = "nobody_eligible"
NOBODY_AVAILABLE = "nobody_available"
NOT_CHOSEN = "not_chosen"
"""Somebody could have taken it without breaking a hard rule; the soft goals
(e.g. keeping a shift-off request or a cheaper roster) outweighed filling it."""
NOT_EXAMINED = "not_examined"
"""The answer was due before anybody was tried on it; only eligibility and availability
were checked."""

TRIED_AT_LEAST = 5_000
"""People tried on open positions however late it is: a small problem is explained in full on
any machine, and only a large one can end with positions not examined. A 150 x 52 x 32 roster
with about 1,000 open shifts takes 5-6 s to explain in full; once the answer is due, 1.25 s with
20,000 tried, 0.7 s with this many."""

_AVAILABILITY_RULES = ("availability", "fixed_days_off")

# Rule names (from the evaluator) in the order they are reported as binding.
BLOCKING_ORDER = (
    "eligibility",
    "availability",
    "fixed_days_off",
    "one_shift_per_day",
    "min_rest_between_shifts",
    "forbidden_successions",
    "max_shifts_per_kind",
    "period_minute_limits",
    "weekly_hour_limit",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_working_weekends",
)


@dataclass(frozen=True, slots=True)
class AssignmentWhy:
    professional: str
    shift: str
    reasons: tuple[str, ...]
    """Codes: agreed, eligible, available, requested, preferred_unit, own_pool,
    series_continuity, wants_hours, fewest_hours, lowest_cost."""


@dataclass(frozen=True, slots=True)
class UnfilledWhy:
    shift: str
    missing: int
    reason: str
    """The binding reason: nobody_eligible, nobody_available, not_chosen, not_examined, or
    the hard rule (evaluator name) that blocks the most eligible, available people."""
    blocked_by: Mapping[str, tuple[str, ...]]
    """Rule name -> the eligible, available people it blocks; `not_chosen` lists
    those who were free to take it, `not_examined` those not tried."""


@dataclass(frozen=True, slots=True)
class Explanation:
    assignments: tuple[AssignmentWhy, ...]
    unfilled: tuple[UnfilledWhy, ...]


@dataclass(slots=True)
class _Trials:
    """Tries shifts on top of the final rosters and names the first rule that blocks them."""

    problem: Problem
    rosters: Mapping[str, list[Shift]]
    held: set[tuple[str, str]]
    held_days: set[tuple[str, int]]
    reach: int
    indexed: dict[str, Roster] = field(default_factory=dict)
    legal: dict[str, bool] = field(default_factory=dict)
    """Person id -> whether their own roster breaks no rule, worked out once."""

    def block(self, prof: Professional, shift: Shift) -> str | None:
        mine = self.rosters.get(prof.id, [])
        if prof.id not in self.legal:
            self.legal[prof.id] = not person_violations(self.problem, prof, mine)
        one_a_day = self.problem.rules.one_shift_per_day
        if one_a_day and self.legal[prof.id] and (prof.id, shift.day) in self.held_days:
            # The first rule in BLOCKING_ORDER that an eligible, available person with a legal
            # roster can break; known without asking the evaluator.
            return "one_shift_per_day"
        roster = self.indexed.get(prof.id)
        if roster is None:
            roster = self.indexed[prof.id] = Roster.of(self.problem, mine)
        new = new_breaks(self.problem, prof, roster, shift, self.reach)
        return next((rule for rule in BLOCKING_ORDER if rule in new), min(new) if new else None)


def explain(
    problem: Problem,
    assignments: Iterable[tuple[str, str]],
    until: float = math.inf,
    tried_at_least: int = TRIED_AT_LEAST,
) -> Explanation:
    """Reasons for every assignment and open position. Open positions are examined the most
    costly first, and once `tried_at_least` people have been tried and `until` (time.monotonic())
    has passed, or would before another examination ended, the rest are `NOT_EXAMINED`, so that
    the answer comes when it is due."""
    shifts = problem.shift_by_id()
    pairs = [(p, s) for p, s in assignments if s in shifts]
    rosters: dict[str, list[Shift]] = defaultdict(list)
    staff: Counter[str] = Counter()
    for pid, sid in pairs:
        rosters[pid].append(shifts[sid])
        staff[sid] += 1
    minutes = {p.id: sum(s.minutes for s in rosters[p.id]) for p in problem.professionals}
    people = problem.professional_by_id()
    candidates = _candidates(problem)
    rivals = _Rivals(
        _Ranked.of(problem, lambda p: minutes[p.id]), _Ranked.of(problem, lambda p: p.hourly_cost)
    )
    trials = _Trials(problem, rosters, set(pairs), {(pid, shifts[sid].day) for pid, sid in pairs},
                     rest_reach(problem))
    return Explanation(
        assignments=tuple(
            _why_assigned(problem, people[pid], shifts[sid], rosters, minutes, rivals)
            for pid, sid in pairs
            if pid in people
        ),
        unfilled=_unfilled(problem, staff, candidates, trials, until, tried_at_least),
    )


def _unfilled(
    problem: Problem,
    staff: Counter[str],
    candidates: Mapping[str, list[Professional]],
    trials: _Trials,
    until: float,
    tried_at_least: int,
) -> tuple[UnfilledWhy, ...]:
    """Each open position's reason, in the problem's order."""
    gaps = [(s, s.positions - staff[s.id]) for s in problem.shifts if staff[s.id] < s.positions]
    # Every position gets its unexamined reasons first, so that once `until` passes nothing
    # is left to do (1,000 open positions of 150 people: 0.05 s past it when done after).
    why = {shift.id: _why_unfilled(shift, missing, candidates, trials, False) for shift, missing in gaps}
    tried = 0
    longest = 0.0  # the longest examination yet: none starts that would end past `until` if as long
    for shift, missing in sorted(gaps, key=lambda gap: -gap[1] * gap[0].under_weight):
        began = time.monotonic()
        if tried >= tried_at_least and began + longest >= until:
            break
        why[shift.id] = _why_unfilled(shift, missing, candidates, trials, True)
        tried += len(candidates.get(shift.id, ()))
        longest = max(longest, time.monotonic() - began)
    return tuple(why[shift.id] for shift, _ in gaps)


def _candidates(problem: Problem) -> dict[str, list[Professional]]:
    """Eligible people per shift id (eligibility alone)."""
    out = _listed(problem.professionals)
    everyone = [p for p in problem.professionals if p.eligible is None]
    if everyone:
        for s in problem.shifts:
            out[s.id].extend(everyone)
    return out


def _listed(people: Iterable[Professional]) -> defaultdict[str, list[Professional]]:
    """Shift id -> the people eligible for it by their own list, in `people`'s order."""
    out: defaultdict[str, list[Professional]] = defaultdict(list)
    for p in people:
        for sid in p.eligible or ():
            out[sid].append(p)
    return out


def _available(prof: Professional, shift: Shift) -> bool:
    if shift.day in prof.days_off:
        return False
    if prof.availability is None:
        return True
    return any(a <= shift.start and shift.end <= b for a, b in prof.availability)


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The people eligible for each shift in one order (`key`, least first): those eligible by
    their list, per shift, and those eligible for every shift, apart."""

    listed: Mapping[str, list[Professional]]
    everyone: list[Professional]
    key: Callable[[Professional], int]

    @classmethod
    def of(cls, problem: Problem, key: Callable[[Professional], int]) -> _Ranked:
        people = sorted(problem.professionals, key=key)
        return cls(_listed(people), [p for p in people if p.eligible is None], key)

    def first_free(self, shift: Shift, besides: str) -> Professional | None:
        """The least of those free to work `shift`, other than `besides`."""
        firsts = (_first_free(self.listed.get(shift.id, ()), shift, besides),
                  _first_free(self.everyone, shift, besides))
        return min((p for p in firsts if p is not None), key=self.key, default=None)


@dataclass(frozen=True, slots=True)
class _Rivals:
    """Whether someone has the fewest hours or costs least of those free to work a shift is read
    off the first free rival in each order, not found by comparing with all of them
    (150 x 52 x 32: 22,000 assignments, 150 people each)."""

    by_minutes: _Ranked
    by_cost: _Ranked


def _first_free(people: Iterable[Professional], shift: Shift, besides: str) -> Professional | None:
    return next((p for p in people if p.id != besides and _available(p, shift)), None)


def _why_assigned(
    problem: Problem,
    prof: Professional,
    shift: Shift,
    rosters: Mapping[str, list[Shift]],
    minutes: Mapping[str, int],
    rivals: _Rivals,
) -> AssignmentWhy:
    if (prof.id, shift.id) in problem.fixed:
        return AssignmentWhy(prof.id, shift.id, ("agreed",))
    reasons = ["eligible", "available"]
    if any(r.day == shift.day and r.kind in (None, shift.kind) for r in prof.shift_on_requests):
        reasons.append("requested")
    if shift.unit in prof.preferred_units:
        reasons.append("preferred_unit")
    if prof.home_organisation is not None and prof.home_organisation == shift.organisation:
        reasons.append("own_pool")
    if shift.series is not None and any(
        s.series == shift.series and s.id != shift.id for s in rosters[prof.id]
    ):
        reasons.append("series_continuity")
    if prof.wants_minutes is not None and minutes[prof.id] <= prof.wants_minutes:
        reasons.append("wants_hours")
    fewest = rivals.by_minutes.first_free(shift, prof.id)
    if fewest is not None and minutes[prof.id] - shift.minutes <= minutes[fewest.id]:
        reasons.append("fewest_hours")
    cheapest = rivals.by_cost.first_free(shift, prof.id)
    mine = hourly_cost_units(prof, shift)
    if cheapest is not None and 0 < mine <= hourly_cost_units(cheapest, shift):
        reasons.append("lowest_cost")
    return AssignmentWhy(prof.id, shift.id, tuple(reasons))


def _why_unfilled(
    shift: Shift,
    missing: int,
    candidates: Mapping[str, list[Professional]],
    trials: _Trials,
    examine: bool,
) -> UnfilledWhy:
    eligible = [p for p in candidates.get(shift.id, []) if (p.id, shift.id) not in trials.held]
    if not eligible:
        return UnfilledWhy(shift.id, missing, NOBODY_ELIGIBLE, {})
    blocked: dict[str, list[str]] = defaultdict(list)
    for prof in eligible:
        if not _available(prof, shift):
            blocked["availability"].append(prof.id)
        elif examine:
            blocked[trials.block(prof, shift) or NOT_CHOSEN].append(prof.id)
        else:
            blocked[NOT_EXAMINED].append(prof.id)
    available = len(eligible) - len(blocked.get("availability", []))
    if available == 0:
        reason = NOBODY_AVAILABLE
    elif not examine:
        reason = NOT_EXAMINED
    elif NOT_CHOSEN in blocked:
        reason = NOT_CHOSEN
    else:
        reason = max(
            (r for r in blocked if r not in _AVAILABILITY_RULES),
            key=lambda r: (len(blocked[r]), -BLOCKING_ORDER.index(r) if r in BLOCKING_ORDER else 0),
        )
    return UnfilledWhy(
        shift.id, missing, reason, {rule: tuple(ids) for rule, ids in blocked.items()}
    )
