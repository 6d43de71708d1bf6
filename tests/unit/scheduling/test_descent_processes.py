"""The descent's labelling in two processes (`construct.labelling_processes`): the next person
is asked before this one's answer is applied, and the descent still ends where no one can do
better alone."""

from __future__ import annotations

import math
import random

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem
from asta.scheduling.solver.construct import by_labels, descend, labelled_in_process, labelling_processes
from asta.scheduling.solver.labelling import Person
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.test_labelling import _best_alone_gains, _pairs

CAP = 2
HALF = 20.0


def _gains_alone(p: Problem, shifts_of: list[list[int]], values: dict[tuple[int, int], int]) -> list[float]:
    return _best_alone_gains(p, shifts_of, values, HALF, CAP)


def _start(seed: int) -> tuple[Problem, list[list[int]], dict[tuple[int, int], int]]:
    p = synthetic(staff=8, weeks=6, kinds=3, seed=seed)
    shifts_of = candidate_shifts(p)
    values, missing = by_labels(p, shifts_of, cap=CAP, half_weekend=HALF)
    assert missing == []
    return p, shifts_of, values


def test_a_descent_in_two_processes_ends_where_no_one_can_do_better_alone() -> None:
    p, shifts_of, values = _start(0)
    assert _gains_alone(p, shifts_of, values) != []  # the construction leaves gains to take
    processes = labelling_processes(p, shifts_of, 2)
    assert processes is not None
    try:
        settled, rounds = descend(p, shifts_of, values, CAP, deadline=math.inf, half_weekend=HALF,
                                  processes=processes, at_once=2)
    finally:
        processes.shutdown()
    check = evaluate(p, _pairs(p, settled))
    assert check.violations == ()
    assert check.objective < evaluate(p, _pairs(p, values)).objective
    assert rounds > 1
    assert _gains_alone(p, shifts_of, settled) == []


def test_the_labelling_in_a_process_answers_as_it_does_here() -> None:
    p = synthetic(staff=6, weeks=6, kinds=3, seed=1)
    shifts_of = candidate_shifts(p)
    rng = random.Random(1)
    processes = labelling_processes(p, shifts_of, 2)
    assert processes is not None
    try:
        for pi, mine in enumerate(shifts_of):
            rewards: dict[int, float | None] = {si: float(rng.choice([-1, 0, 5, 100])) for si in mine}
            here = Person(p, pi, mine).best(rewards, CAP, half_weekend=HALF)
            assert here is not None
            there = processes.submit(labelled_in_process, pi, rewards, CAP, HALF).result()
            assert there == here.shifts
    finally:
        processes.shutdown()


def test_a_descent_whose_processes_died_goes_on_here_to_the_same_end() -> None:
    p, shifts_of, values = _start(2)
    processes = labelling_processes(p, shifts_of, 2)
    assert processes is not None
    try:
        assert processes.submit(int).result() == 0  # started
        for process in list(processes._processes.values()):  # as if killed from outside
            process.kill()
            process.join()
        settled, _ = descend(p, shifts_of, values, CAP, deadline=math.inf, half_weekend=HALF,
                             processes=processes, at_once=2)
    finally:
        processes.shutdown()
    here, _ = descend(p, shifts_of, values, CAP, deadline=math.inf, half_weekend=HALF)
    assert evaluate(p, _pairs(p, settled)).violations == ()
    assert _gains_alone(p, shifts_of, settled) == []
    assert settled == here
