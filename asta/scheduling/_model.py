"""The CP-SAT model under construction, shared by `constraints` and `solver`.

ortools is imported here and in `solver` only: the rule functions in
`constraints` need the model object to add to, and giving them one typed
context keeps each rule a small function without them importing ortools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from asta.scheduling.problem import Problem, Professional, Shift

BoolVar = cp_model.IntVar
Expr = cp_model.LinearExprT


@dataclass(frozen=True, slots=True)
class Penalty:
    """One term of the objective: `weight * expr`, filed under a named soft goal."""

    goal: str
    weight: int
    expr: Expr


def is_candidate(problem: Problem, professional: Professional, shift: Shift) -> bool:
    """Whether an assignment variable is worth creating at all.

    Eligibility, availability, fixed days off and a zero per-kind maximum are
    decided here so that the model never holds a variable that must be false.
    """
    if (professional.id, shift.id) in problem.fixed:
        return True
    if professional.eligible is not None and shift.id not in professional.eligible:
        return False
    if shift.day in professional.days_off:
        return False
    if professional.max_shifts_per_kind.get(shift.kind, 1) <= 0:
        return False
    if professional.max_minutes is not None and shift.minutes > professional.max_minutes:
        return False
    if professional.availability is not None:
        return any(a <= shift.start and shift.end <= b for a, b in professional.availability)
    return True


def candidate_shifts(problem: Problem) -> list[list[int]]:
    """Candidate shift indices per person (`is_candidate`), by start time."""
    shifts = problem.shifts
    index = {s.id: si for si, s in enumerate(shifts)}
    fixed: dict[str, set[str]] = defaultdict(set)
    for pid, sid in problem.fixed:
        fixed[pid].add(sid)
    # One order for everybody, ties by index: sorting each person's list apart took most of
    # the time on 150 x 52 x 32 (1.6 million pairs).
    by_start = sorted(range(len(shifts)), key=lambda si: (shifts[si].start, shifts[si].end))
    rank = [0] * len(shifts)
    for place, si in enumerate(by_start):
        rank[si] = place
    out: list[list[int]] = []
    for prof in problem.professionals:
        pool: Iterable[int]
        if prof.eligible is None:
            pool = by_start
        else:
            ids = prof.eligible | fixed.get(prof.id, set())
            pool = sorted((index[sid] for sid in ids if sid in index), key=rank.__getitem__)
        out.append([si for si in pool if is_candidate(problem, prof, shifts[si])])
    return out


@dataclass
class Model:
    """Assignment variables x[p, s] over candidate pairs, indexed by position."""

    problem: Problem
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int], BoolVar] = field(default_factory=dict)
    shifts_of: list[list[int]] = field(default_factory=list)
    """Candidate shift indices per professional index, by start time."""
    staff_of: list[list[int]] = field(default_factory=list)
    """Candidate professional indices per shift index."""
    _day_shifts: list[dict[int, list[int]]] = field(default_factory=list)
    _work: dict[tuple[int, int], BoolVar | None] = field(default_factory=dict)

    @classmethod
    def build(cls, problem: Problem) -> Model:
        m = cls(problem)
        shifts = problem.shifts
        m.staff_of = [[] for _ in shifts]
        for pi, (prof, mine) in enumerate(zip(problem.professionals, candidate_shifts(problem), strict=True)):
            m.shifts_of.append(mine)
            by_day: dict[int, list[int]] = defaultdict(list)
            for si in mine:
                m.x[pi, si] = m.cp.new_bool_var(f"x[{prof.id},{shifts[si].id}]")
                m.staff_of[si].append(pi)
                by_day[shifts[si].day].append(si)
            m._day_shifts.append(dict(by_day))
        return m

    def day_shifts(self, pi: int, day: int) -> list[int]:
        return self._day_shifts[pi].get(day, [])

    def days_of(self, pi: int) -> list[int]:
        return sorted(self._day_shifts[pi])

    def work(self, pi: int, day: int) -> BoolVar | None:
        """Literal 'works on day'; None when the person cannot work that day."""
        key = (pi, day)
        if key in self._work:
            return self._work[key]
        shifts = self.day_shifts(pi, day)
        lit: BoolVar | None
        if not shifts:
            lit = None
        elif len(shifts) == 1:
            lit = self.x[pi, shifts[0]]
        else:
            lit = self.cp.new_bool_var(f"work[{pi},{day}]")
            xs = [self.x[pi, si] for si in shifts]
            if self.problem.rules.one_shift_per_day:
                self.cp.add(lit == sum(xs))
            else:
                self.cp.add_max_equality(lit, xs)
        self._work[key] = lit
        return lit

    def new_int(self, lo: int, hi: int, name: str) -> cp_model.IntVar:
        return self.cp.new_int_var(lo, hi, name)
