"""The national benchmark's LP bound: one master over everyone, else area by area."""

from __future__ import annotations

import time

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Shift
from asta.scheduling.solver import solve
from benchmarks.national import generate
from benchmarks.national_bound import area_bound, joint_bound, national_bound

EVENING = 16 * 60, 22 * 60


def _two_areas_at_once() -> Problem:
    # One doctor, the only one for two evening shifts at the same time in two areas.
    shifts = tuple(
        Shift(f"{area}-evening", 0, *EVENING, "E", f"{area}/clinic", area, under_weight=1000)
        for area in ("Kainuu", "Lappi")
    )
    doctor = Professional("doctor", eligible=frozenset(s.id for s in shifts))
    return Problem(shifts=shifts, professionals=(doctor,), days=1)


def test_the_areas_sum_misses_a_person_wanted_in_two_areas_at_once_and_one_master_does_not() -> None:
    problem = _two_areas_at_once()
    one_filled = (("doctor", "Kainuu-evening"),)
    assert evaluate(problem, one_filled).objective == 1000
    areas, _ = area_bound(problem, one_filled, 30.0, 1, 0)
    joint, stats = joint_bound(problem, one_filled, time.monotonic() + 30.0, 1, 0)
    # Each area's copy of the doctor fills its own shift: the areas prove nothing.
    assert areas == 0
    assert (joint, stats["series_bound_converged"]) == (1000, 1.0)
    assert national_bound(problem, one_filled, 30.0, 1, 0)[0] == 1000


def test_the_bound_of_a_small_national_instance_holds_for_any_roster_and_beats_the_areas() -> None:
    problem, _ = generate(60, 120, 3, 1, 1)
    solved = solve(problem, time_limit_s=3.0, seed=0, workers=1, explain_result=False).assignments
    rosters = [(), solved]
    joint, stats = joint_bound(problem, solved, time.monotonic() + 60.0, 1, 0)
    areas, _ = area_bound(problem, solved, 60.0, 1, 0)
    assert joint is not None and areas is not None and stats["series_bound_converged"] == 1.0
    assert joint >= areas
    for roster in rosters:
        assert joint <= evaluate(problem, roster).objective
