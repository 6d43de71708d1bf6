"""Large-neighbourhood search over a built model.

Each step frees a neighbourhood of assignment variables (a few people over the
whole period, every person over a few days, everybody who could cover a
badly covered shift around its day and one of them over the whole period, or,
where weekends are scarce, one person with a half weekend and everybody around
it), fixes all others to the incumbent, and solves that sub-problem with CP-SAT
from the incumbent as hint. Any solution of a sub-problem is a solution of the
whole model, so steps from parallel threads can be accepted whenever they beat
the current incumbent. Sizes adapt per kind: grow when a step is proven optimal
quickly, shrink when it times out.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from asta.scheduling._model import Model
from asta.scheduling.problem import Problem
from asta.scheduling.solver.cp import new_solver
from asta.scheduling.solver.weekends import half_weekends, weekends_scarce

Values = dict[tuple[int, int], int]
KINDS = ("people", "days", "cover", "halves")


@dataclass
class Incumbent:
    values: Values
    objective: int
    solution: list[int] | None = None
    """Every variable of the LNS's model (its proto's order), where an LNS step found this
    roster: the next step's hint is then complete, so CP-SAT starts from a solution rather
    than searching for the run, rest and penalty variables that go with the roster."""


@dataclass
class LnsStats:
    steps: int = 0
    improvements: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    """kind -> [steps, improvements, optimal steps]."""


def assigned(problem: Problem, values: Values) -> tuple[tuple[str, str], ...]:
    """The (professional id, shift id) pairs that `values` assigns, sorted."""
    return tuple(
        sorted(
            (problem.professionals[pi].id, problem.shifts[si].id)
            for (pi, si), value in values.items()
            if value
        )
    )


def run_threads(loop: Callable[[int], None], threads: int) -> None:
    """`loop(k)` on `threads` threads (at least one), until every one returns."""
    workers = [threading.Thread(target=loop, args=(k,), daemon=True)
               for k in range(max(1, threads))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def fix(model: cp_model.CpModel, pinned: Iterable[tuple[int, int]]) -> None:
    """Pin Boolean variables of a cloned model, given as (proto index, value), on the
    proto directly. Through the model's API, one call per variable, an LNS step's set-up
    and read-back cost about 0.06 s on Instance18, as much as solving a small window
    (0.025 s so, `benchmarks/lns_step.py`)."""
    variables = model.proto.variables
    for index, value in pinned:
        domain = variables[index].domain
        domain[0] = domain[1] = value


class Lns:
    def __init__(
        self,
        model: Model,
        incumbent: Incumbent,
        bound: int,
        deadline: float,
        on_improve: Callable[[int], None],
        seed: int,
        step_s: float = 3.0,
        kind_weights: tuple[float, ...] | None = None,
        sub_params: dict[str, Any] | None = None,
        plateau: bool = True,
    ) -> None:
        self.m = model
        self.best = incumbent
        self.bound = bound
        self.deadline = deadline
        self.on_improve = on_improve
        self.seed = seed
        self.step_s = step_s
        # Half weekends are worth a step of their own only where weekends are scarce.
        self.kind_weights = kind_weights or (1.0, 1.0, 1.0, float(weekends_scarce(model.problem)))
        self.plateau = plateau
        # Level 2 puts the run clauses into the LP: whole-roster neighbourhoods
        # are then proven optimal in a fraction of the time (measured).
        self.sub_params: dict[str, Any] = {"linearization_level": 2, **(sub_params or {})}
        self.lock = threading.Lock()
        self.stats = LnsStats()
        problem = model.problem
        self.n_people = len(problem.professionals)
        self.horizon = max(1, problem.horizon_days)
        self.day_of = [s.day for s in problem.shifts]
        self.keys_of_person: list[list[tuple[int, int]]] = [
            [(pi, si) for si in mine] for pi, mine in enumerate(model.shifts_of)
        ]

    def run(self, threads: int) -> Incumbent:
        run_threads(self._loop, threads)
        return self.best

    def _done(self) -> bool:
        return time.monotonic() >= self.deadline - 0.05 or self.best.objective <= self.bound

    def _loop(self, k: int) -> None:
        rng = random.Random(self.seed * 7919 + k)
        size = {
            "people": min(self.n_people, max(2, self.n_people // 8)),
            "days": 3,
            "cover": 2,
            "halves": 2,
        }
        while not self._done():
            kind = rng.choices(KINDS, weights=self.kind_weights)[0]
            with self.lock:
                base = self.best
            free = self._neighbourhood(kind, size[kind], base.values, rng)
            if not free:
                continue
            limit = min(self.step_s, self.deadline - time.monotonic())
            if limit <= 0.05:
                break
            code, wall, found = self._step(base, free, limit, rng)
            with self.lock:
                self.stats.steps += 1
                tally = self.stats.by_kind.setdefault(kind, [0, 0, 0])
                tally[0] += 1
                tally[2] += code == cp_model.OPTIMAL
                if found is not None and found.objective < self.best.objective:
                    self.best = found
                    self.stats.improvements += 1
                    tally[1] += 1
                    self.on_improve(found.objective)
                elif self.plateau and found is not None and found.objective == self.best.objective:
                    # Drift across equally good rosters to escape local optima.
                    self.best = found
            if code == cp_model.OPTIMAL and wall < 0.5 * limit:
                size[kind] += 1
            elif code != cp_model.OPTIMAL:
                size[kind] = max(1, size[kind] - 1)

    def settle(self, people: tuple[int, ...], limit: float, seed: int, workers: int) -> Incumbent:
        """Re-roster `people` together, exactly where time allows, all others fixed."""
        free = {key for pi in people for key in self.keys_of_person[pi]}
        if not free:
            return self.best
        _, _, found = self._step(self.best, free, limit, random.Random(seed), workers)
        if found is not None and found.objective < self.best.objective:
            self.best = found
        return self.best

    def _neighbourhood(
        self, kind: str, size: int, values: Values, rng: random.Random
    ) -> set[tuple[int, int]]:
        m = self.m
        shifts = m.problem.shifts
        staff = [0] * len(shifts)
        for (_, si), v in values.items():
            staff[si] += v
        # Cells short of demand are where the heavy penalties are; fall back to
        # over-covered ones when everything is covered.
        short = [si for si, s in enumerate(shifts) if staff[si] < s.positions and m.staff_of[si]]
        if not short:
            short = [si for si, s in enumerate(shifts) if staff[si] > s.positions]
        if kind == "people":
            count = min(self.n_people, size)
            people: set[int] = set()
            if short and rng.random() < 0.5:
                # Somebody who could take a short shift, and others to trade with.
                people.add(rng.choice(m.staff_of[rng.choice(short)]))
            while len(people) < count:
                people.add(rng.randrange(self.n_people))
            return {key for pi in people for key in self.keys_of_person[pi]}
        if kind == "halves":
            halves = half_weekends(m.problem, values)
            if halves:
                # The person over the whole horizon and everybody around the weekend: turning
                # it into a whole one moves a chain of two or three people's shifts near it.
                pi, saturday = rng.choice(halves)
                lo, hi = saturday - size, saturday + 1 + size
                return set(self.keys_of_person[pi]) | {key for key in m.x if lo <= self.day_of[key[1]] <= hi}
            kind = "days"
        if kind == "days" or not short:
            span = min(self.horizon, size)
            if short and rng.random() < 0.5:
                centre = shifts[rng.choice(short)].day
                first = max(0, min(self.horizon - span, centre - rng.randrange(span)))
            else:
                first = rng.randrange(0, self.horizon - span + 1)
            return {key for key in m.x if first <= self.day_of[key[1]] < first + span}
        # cover: everyone who could work a badly covered shift, a few days around it, and
        # one of them over the whole period: whoever takes the shift gives up another,
        # somewhere, for their minutes and runs. Around the day alone, Instance8's rosters
        # a position short of the optimum kept it so more often (fortieth pass).
        si = rng.choice(short)
        day = shifts[si].day
        lo, hi = day - size, day + size
        # Never empty: a short shift is drawn among those with staff, an over-covered one is worked.
        eligible = m.staff_of[si]
        return set(self.keys_of_person[rng.choice(eligible)]) | {
            key
            for pi in eligible
            for key in self.keys_of_person[pi]
            if lo <= self.day_of[key[1]] <= hi
        }

    def _step(
        self,
        base: Incumbent,
        free: set[tuple[int, int]],
        limit: float,
        rng: random.Random,
        workers: int = 1,
    ) -> tuple[Any, float, Incumbent | None]:
        m = self.m
        sub = self._hinted(base)
        keys = list(m.x)
        index = [m.x[key].index for key in keys]
        current = [base.values[key] for key in keys]
        fix(sub, ((i, v) for key, i, v in zip(keys, index, current, strict=True) if key not in free))
        # Copying and pinning the model come out of the step's time: counted on top, the
        # last step ended up to 0.06 s past the deadline, and so did the answer.
        limit = min(limit, self.deadline - time.monotonic())
        if limit <= 0.01:
            return cp_model.UNKNOWN, 0.0, None
        solver = new_solver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = workers
        for name, setting in self.sub_params.items():
            setattr(solver.parameters, name, setting)
        solver.parameters.random_seed = rng.randrange(1 << 30)
        code = solver.solve(sub)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, solver.wall_time, None
        solution = solver.response_proto.solution
        found = Incumbent(
            {key: int(solution[i]) for key, i in zip(keys, index, strict=True)},
            round(solver.objective_value),
            list(solution),
        )
        return code, solver.wall_time, found

    def _hinted(self, base: Incumbent) -> cp_model.CpModel:
        """A copy of the model hinted with `base`: every variable where a step found it,
        else the assignments only. A complete hint is a solution from the start: on Instance8
        (seed 0) the steps took 3.2 s in all to their first solutions, against 6.6 s, of about
        40 s of steps."""
        m = self.m
        sub = m.cp.clone()
        sub.clear_hints()  # type: ignore[no-untyped-call]
        hint = sub.proto.solution_hint  # in bulk, as in `fix`
        # A solution of another model (its length tells) would make the hint invalid, and
        # with it every step's model.
        if base.solution is not None and len(base.solution) == len(sub.proto.variables):
            hint.vars.extend(range(len(base.solution)))
            hint.values.extend(base.solution)
        else:
            hint.vars.extend(var.index for var in m.x.values())
            hint.values.extend(base.values[key] for key in m.x)
        return sub
