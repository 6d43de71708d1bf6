"""Large-neighbourhood search steps over the whole model (`solver.lns`)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from asta.scheduling.curtois_qu import load
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional
from asta.scheduling.solver import lns as lns_module
from asta.scheduling.solver.built import build
from asta.scheduling.solver.by_labels import labelled
from asta.scheduling.solver.lns import KINDS, Incumbent, Lns
from asta.scheduling.solver.weekends import half_weekends
from tests.unit.scheduling.factories import daily, problem
from tests.unit.scheduling.test_colgen import _assignments

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"
GENEROUS_S = 30.0
"""A step's time limit that a small neighbourhood never reaches: results do not depend on speed."""


def _start(p: Problem) -> tuple[Lns, Incumbent]:
    """An LNS from the labelling construction's roster (legal, and far from optimal)."""
    built = build(p)
    values = labelled(built.model, float("inf"), descent=False)
    assert values is not None
    start = Incumbent(values, evaluate(p, _assignments(p, values)).objective)
    return Lns(built.model, start, -(1 << 60), float("inf"), lambda _: None, seed=0), start


@pytest.mark.parametrize("kind", ["people", "days", "cover"])
def test_a_step_changes_only_its_neighbourhood_and_prices_its_roster_exactly(kind: str) -> None:
    p = load(INSTANCE1)
    lns, start = _start(p)
    rng = random.Random(3)
    free = lns._neighbourhood(kind, 3, start.values, rng)
    assert free
    _, _, found = lns._step(start, free, GENEROUS_S, rng)
    assert found is not None
    # Everything outside the neighbourhood keeps its value; the start is a solution of
    # the step's model, so the step never does worse.
    assert all(found.values[key] == value for key, value in start.values.items() if key not in free)
    assert found.objective <= start.objective
    check = evaluate(p, _assignments(p, found.values))
    assert check.violations == ()
    assert check.objective == found.objective


@pytest.mark.parametrize("max_weekends", [1, None])
def test_a_half_weekend_step_frees_its_person_and_everybody_around_the_weekend(
        max_weekends: int | None) -> None:
    """Three people, one weekend each at most, two positions a day over three weeks: the
    weekends need all that full weekends give. A works the first Saturday only; the step
    frees A's whole roster and everybody's days around that weekend, and pairs it up.
    With no weekend limit there is slack, and the step kind is never drawn."""
    p = problem(daily(21, positions=2), [Professional(n, max_weekends=max_weekends) for n in "ABC"])
    built = build(p)
    m = built.model
    values = dict.fromkeys(m.x, 0)
    values[0, 5] = 1  # days are shift indices here
    start = Incumbent(values, evaluate(p, _assignments(p, values)).objective)
    lns = Lns(m, start, -(1 << 60), float("inf"), lambda _: None, seed=0)
    assert lns.kind_weights[KINDS.index("halves")] == (1.0 if max_weekends else 0.0)
    free = lns._neighbourhood("halves", 2, values, random.Random(0))
    assert {key for key in m.x if key[0] == 0} <= free
    assert {key[1] for key in free if key[0] != 0} == set(range(3, 9))
    _, _, found = lns._step(start, free, GENEROUS_S, random.Random(0))
    assert found is not None and found.objective < start.objective
    assert half_weekends(p, found.values) == []


def test_a_cover_step_frees_the_short_shifts_staff_around_it_and_one_of_them_throughout() -> None:
    """Three people over three weeks, one position a day, every day covered but day 10: the
    step frees one of the people who could work day 10 over all 21 days (where minutes or runs
    bind, whoever takes it gives up a shift anywhere), and the others over days 8-12 only."""
    p = problem(daily(21, positions=1), [Professional(n) for n in "ABC"])
    built = build(p)
    m = built.model
    values = dict.fromkeys(m.x, 0)
    for day in range(21):
        if day != 10:
            values[day % 3, day] = 1  # days are shift indices here
    lns = Lns(m, Incumbent(values, 0), -(1 << 60), float("inf"), lambda _: None, seed=0)
    for seed in range(6):
        free = lns._neighbourhood("cover", 2, values, random.Random(seed))
        throughout = [pi for pi in range(3) if {key for key in m.x if key[0] == pi} <= free]
        assert len(throughout) == 1
        around = {key for key in free if key[0] != throughout[0]}
        assert around == {key for key in m.x if key[0] != throughout[0] and 8 <= key[1] <= 12}


def test_a_step_hands_the_next_one_a_complete_solution_as_its_hint() -> None:
    """The start (a constructed roster) hints only the assignments; a step's roster carries
    every variable of the model, and pinned to those values the model is solved at once at
    the step's objective: a complete, feasible hint, which the next step is given whole."""
    p = load(INSTANCE1)
    lns, start = _start(p)
    variables = len(lns.m.cp.proto.variables)
    assert start.solution is None
    assert sorted(lns._hinted(start).proto.solution_hint.vars) == sorted(v.index for v in lns.m.x.values())
    rng = random.Random(5)
    _, _, found = lns._step(start, lns._neighbourhood("days", 3, start.values, rng), GENEROUS_S, rng)
    assert found is not None and found.solution is not None
    assert len(found.solution) == variables

    pinned = lns.m.cp.clone()
    fix_all(pinned, found.solution)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(pinned) == cp_model.OPTIMAL
    assert round(solver.objective_value) == found.objective

    hint = lns._hinted(found).proto.solution_hint
    assert list(hint.vars) == list(range(variables))
    assert list(hint.values) == found.solution
    # A solution that is not the model's is not used: the assignments are hinted instead.
    stray = Incumbent(found.values, found.objective, found.solution[:-1])
    assert sorted(lns._hinted(stray).proto.solution_hint.vars) == sorted(v.index for v in lns.m.x.values())


def test_a_steps_set_up_comes_out_of_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinning the model takes 0.2 s longer here: the solve gets what is left to the
    deadline after it, not the time there was before, so the last step ends in time."""
    p = load(INSTANCE1)
    lns, start = _start(p)
    lns.deadline = time.monotonic() + 5.0
    pinned_at: list[float] = []
    limits: list[float] = []
    real_fix = lns_module.fix

    def slow_fix(model: cp_model.CpModel, pinned: object) -> None:
        real_fix(model, pinned)  # type: ignore[arg-type]
        time.sleep(0.2)
        pinned_at.append(time.monotonic())

    class Recording(cp_model.CpSolver):
        def solve(self, model: cp_model.CpModel, *args: Any) -> Any:
            limits.append(self.parameters.max_time_in_seconds)
            return super().solve(model, *args)

    monkeypatch.setattr(lns_module, "fix", slow_fix)
    monkeypatch.setattr(cp_model, "CpSolver", Recording)
    rng = random.Random(5)
    lns._step(start, lns._neighbourhood("days", 3, start.values, rng), GENEROUS_S, rng)
    assert limits and pinned_at
    assert limits[0] <= lns.deadline - pinned_at[0]


def fix_all(model: cp_model.CpModel, values: list[int]) -> None:
    for index, value in enumerate(values):
        model.add(model.get_int_var_from_proto_index(index) == value)
