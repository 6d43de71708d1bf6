"""A fast constructive roster: the solver's first hint and its fallback.

Positions are filled most important first (then hardest to staff first),
each by the best-suited candidate that breaks no upper-limit rule given what
they already have. Rules that demand a minimum (period minutes, run lengths)
cannot be met one assignment at a time, so on problems that have them the
result is only a hint, never returned as a roster.
"""

from __future__ import annotations

from collections import defaultdict

from asta.scheduling._model import Model
from asta.scheduling.problem import Problem, Professional, Shift, is_weekend, weekend_index


def has_minimum_rules(problem: Problem) -> bool:
    return any(
        p.min_minutes > 0 or p.min_consecutive_days > 1 or p.min_consecutive_days_off > 1
        for p in problem.professionals
    )


class _Person:
    def __init__(self, prof: Professional) -> None:
        self.prof = prof
        self.shifts: list[Shift] = []
        self.days: dict[int, list[Shift]] = defaultdict(list)
        self.minutes = 0
        self.week: dict[int, int] = defaultdict(int)
        self.kinds: dict[str, int] = defaultdict(int)
        self.weekends: set[int] = set()

    def fits(self, problem: Problem, s: Shift) -> bool:
        prof, rules = self.prof, problem.rules
        if rules.one_shift_per_day and self.days.get(s.day):
            return False
        if prof.max_minutes is not None and self.minutes + s.minutes > prof.max_minutes:
            return False
        if (
            prof.max_week_minutes is not None
            and self.week[s.day // 7] + s.minutes > prof.max_week_minutes
        ):
            return False
        limit = prof.max_shifts_per_kind.get(s.kind)
        if limit is not None and self.kinds[s.kind] + 1 > limit:
            return False
        rest = rules.min_rest_minutes
        reach = 2 + rest // 1440
        for d in range(s.day - reach, s.day + reach + 1):
            for t in self.days.get(d, ()):
                first, second = (t, s) if t.start <= s.start else (s, t)
                if second.start < first.end + rest:
                    return False
        for t in self.days.get(s.day - 1, ()):
            if (t.kind, s.kind) in rules.forbidden_successions:
                return False
        for t in self.days.get(s.day + 1, ()):
            if (s.kind, t.kind) in rules.forbidden_successions:
                return False
        if prof.max_consecutive_days is not None:
            run = 1
            d = s.day - 1
            while self.days.get(d):
                run, d = run + 1, d - 1
            d = s.day + 1
            while self.days.get(d):
                run, d = run + 1, d + 1
            if run > prof.max_consecutive_days:
                return False
        if prof.max_weekends is not None and is_weekend(rules, s.day):
            w = weekend_index(rules, s.day)
            if w not in self.weekends and len(self.weekends) + 1 > prof.max_weekends:
                return False
        return True

    def take(self, problem: Problem, s: Shift) -> None:
        self.shifts.append(s)
        self.days[s.day].append(s)
        self.minutes += s.minutes
        self.week[s.day // 7] += s.minutes
        self.kinds[s.kind] += 1
        if is_weekend(problem.rules, s.day):
            self.weekends.add(weekend_index(problem.rules, s.day))


def greedy(m: Model) -> dict[tuple[int, int], int]:
    """0/1 values for every assignment variable of `m`."""
    problem = m.problem
    shifts = problem.shifts
    people = [_Person(p) for p in problem.professionals]
    values = dict.fromkeys(m.x, 0)
    shift_index = {s.id: si for si, s in enumerate(shifts)}
    person_index = {p.id: pi for pi, p in enumerate(problem.professionals)}
    staff = [0] * len(shifts)
    for pid, sid in problem.fixed:
        pi, si = person_index.get(pid), shift_index.get(sid)
        if pi is not None and si is not None and (pi, si) in values:
            values[pi, si] = 1
            staff[si] += 1
            people[pi].take(problem, shifts[si])
    order = sorted(
        range(len(shifts)),
        key=lambda si: (-shifts[si].under_weight, len(m.staff_of[si]), shifts[si].start),
    )
    for si in order:
        s = shifts[si]
        if staff[si] >= s.positions:
            continue

        def preference(pi: int, s: Shift = s) -> tuple[int, int, float]:
            prof = people[pi].prof
            requested = any(
                r.day == s.day and r.kind in (None, s.kind) for r in prof.shift_on_requests
            )
            refused = any(
                r.day == s.day and r.kind in (None, s.kind) for r in prof.shift_off_requests
            )
            own = prof.home_organisation in (None, s.organisation)
            wanted = prof.wants_minutes or prof.max_minutes or 1
            return (int(refused) - int(requested), -int(own), people[pi].minutes / max(1, wanted))

        for pi in sorted(m.staff_of[si], key=preference):
            if staff[si] >= s.positions:
                break
            if values[pi, si] or not people[pi].fits(problem, s):
                continue
            values[pi, si] = 1
            staff[si] += 1
            people[pi].take(problem, s)
    return values
