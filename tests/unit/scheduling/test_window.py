"""Window LNS: a window's small model must be exact about everything beyond its edges."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional
from asta.scheduling.solver.construct import by_labels
from asta.scheduling.solver.core import WINDOW_LNS_PAIRS, by_windows
from asta.scheduling.solver.lns import Incumbent
from asta.scheduling.solver.weekends import half_weekends
from asta.scheduling.solver.window import cut, margin, span, windowable
from asta.scheduling.solver.window_lns import LEAST_SHARE, RECENT, WindowLns
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import daily, problem

Values = dict[tuple[int, int], int]
GENEROUS_S = 30.0
"""Tiny windows are proven optimal in milliseconds; the limit only guards a hang."""


def _pairs(p: Problem, values: Values) -> list[tuple[str, str]]:
    return [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]


def _start(p: Problem) -> tuple[list[list[int]], Incumbent]:
    shifts_of = candidate_shifts(p)
    values, missing = by_labels(p, shifts_of, cap=16)
    assert missing == []
    check = evaluate(p, _pairs(p, values))
    assert check.violations == ()
    return shifts_of, Incumbent(values, check.objective)


def _search(p: Problem, shifts_of: list[list[int]], start: Incumbent) -> WindowLns:
    return WindowLns(p, shifts_of, start, -(1 << 60), float("inf"), lambda _: None, seed=0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_window_step_is_legal_and_moves_the_objective_by_its_own_change(seed: int) -> None:
    """Every rule of the format binds in these instances (runs, rest runs, successions,
    weekends, minutes, per-kind maxima, requests); windows at both horizon edges and
    inside, with everybody or a few people free."""
    p = synthetic(staff=5, weeks=6, kinds=3, seed=seed)
    assert windowable(p)
    shifts_of, start = _start(p)
    search = _search(p, shifts_of, start)
    rng = random.Random(seed)
    for first, last in ((0, 5), (37, 42), (15, 22)):
        chosen = None if first else frozenset(rng.sample(range(5), 2))
        code, _, found = search.step(start, first, last, chosen, GENEROUS_S, seed)
        assert code == cp_model.OPTIMAL
        assert found is not None
        check = evaluate(p, _pairs(p, found.values))
        assert check.violations == ()
        assert check.objective == found.objective <= start.objective
        # Nothing outside the free cells moved.
        for (pi, si), value in found.values.items():
            day = p.shifts[si].day
            if not first <= day < last or (chosen is not None and pi not in chosen):
                assert value == start.values.get((pi, si), 0)


def _edge_problem(**person: object) -> tuple[Problem, Values]:
    """Two people, one shift a day for 21 days; A works days 4-6 and 14-16, B 7-9 and 17-19."""
    people = [Professional("A", **person), Professional("B")]  # type: ignore[arg-type]
    p = problem(daily(21, positions=2), people)
    shifts_of = candidate_shifts(p)
    values: Values = {(pi, si): 0 for pi, mine in enumerate(shifts_of) for si in mine}
    for day in (4, 5, 6, 14, 15, 16):
        values[0, day] = 1
    for day in (7, 8, 9, 17, 18, 19):
        values[1, day] = 1
    return p, values


def test_a_run_pinned_before_the_free_days_limits_them() -> None:
    """A worked days 4-6 (pinned); day 7 free would make a run of 4 past A's maximum of 3."""
    p, values = _edge_problem(max_consecutive_days=3)
    shifts_of = candidate_shifts(p)
    window = cut(p, shifts_of, values, 7, 9)
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    _, _, found = _search(p, shifts_of, start).step(start, 7, 9, None, GENEROUS_S, 0)
    assert window.start == 0 and window.end == 14
    assert found is not None
    assert found.values[0, 7] == 0  # cover pays, but the run across the edge forbids it
    assert found.values[0, 8] == 1  # a day off, then a new run is fine
    assert evaluate(p, _pairs(p, found.values)).violations == ()


def test_people_without_free_cells_are_left_out_and_their_staff_narrows_the_shifts() -> None:
    """Only A is freed on days 7-9, which B works: the window holds A alone, and each of
    those shifts needs one more person, not two."""
    p, values = _edge_problem()
    shifts_of = candidate_shifts(p)
    window = cut(p, shifts_of, values, 7, 10, free_person=lambda pi: pi == 0)
    assert [q.id for q in window.problem.professionals] == ["A"]
    assert window.person_of == [0]
    by_day = {s.day + window.start: s for s in window.problem.shifts}
    assert [by_day[day].positions for day in (6, 7, 8, 9, 10)] == [2, 1, 1, 1, 2]
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    _, _, found = _search(p, shifts_of, start).step(start, 7, 10, frozenset({0}), GENEROUS_S, 0)
    assert found is not None
    assert all(found.values[1, day] == 1 for day in (7, 8, 9))  # B's cells stay as they were
    check = evaluate(p, _pairs(p, found.values))
    assert check.violations == ()
    assert check.objective == found.objective < start.objective


def test_horizon_wide_limits_count_the_roster_outside_the_window() -> None:
    """A may work 7 shifts in the period and has 6 outside the free days (3 of them
    outside the window, 3 pinned in it): one more at most; B has no limit."""
    p, values = _edge_problem(max_minutes=7 * 8 * 60, max_shifts_per_kind={"D": 7})
    shifts_of = candidate_shifts(p)
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    _, _, found = _search(p, shifts_of, start).step(start, 0, 3, None, GENEROUS_S, 0)
    assert found is not None
    assert sum(found.values[0, day] for day in range(3)) == 1
    check = evaluate(p, _pairs(p, found.values))
    assert check.violations == ()
    assert check.objective == found.objective == start.objective - 4  # B takes all three


def test_windows_start_on_whole_weeks_and_keep_a_margin() -> None:
    p = synthetic(staff=2, weeks=8, kinds=2, seed=1)
    first, last = 20, 27
    start, end = span(p, first, last)
    pad = margin(p)
    assert pad >= max(q.max_consecutive_days or 0 for q in p.professionals) >= 2
    assert start % 7 == 0 and end % 7 == 0
    assert start <= first - pad and end >= last + pad


def test_window_lns_improves_a_constructed_roster_within_a_step_budget() -> None:
    """A budget of steps, one thread and a fixed seed: the same search on any machine
    (each tiny window is proven optimal long before its time limit)."""
    p = synthetic(staff=4, weeks=6, kinds=3, seed=4)
    shifts_of, start = _start(p)
    search = WindowLns(p, shifts_of, start, -(1 << 60), float("inf"), lambda _: None, seed=0,
                       step_s=GENEROUS_S, max_steps=6)
    best = search.run(threads=1)
    check = evaluate(p, _pairs(p, best.values))
    assert search.stats.steps == 6
    assert check.violations == ()
    assert check.objective == best.objective < start.objective
    # Under a step budget a step's kind is weighed by its gain a step, not a second.
    recorded = [cost for steps in search.recent.values() for _, cost in steps]
    assert recorded == [1.0] * 6


def test_days_and_people_steps_share_the_draws_by_what_their_last_steps_gained() -> None:
    """Half and half until both kinds have steps, then by what their last `RECENT` steps gained
    a second, each kind keeping at least `LEAST_SHARE` of the draws."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=1)
    shifts_of, start = _start(p)
    search = _search(p, shifts_of, start)
    search.chains_from = float("inf")
    rng = random.Random(0)

    def people_drawn() -> int:
        return Counter(search._kind(rng) for _ in range(1000))["people"]

    assert 430 <= people_drawn() <= 570
    search.recent["days"].extend([(120, 1.0)] * 4)
    search.recent["people"].append((0, 1.0))
    assert search._people_share() == LEAST_SHARE
    assert 100 <= people_drawn() <= 200
    search.recent["people"].extend([(600, 0.5)] * RECENT)  # the step that gained nothing drops out
    assert search._people_share() == 1 - LEAST_SHARE
    search.recent["days"].extend([(1200, 1.0)] * RECENT)
    assert search._people_share() == 0.5


def test_the_search_goes_on_from_the_roster_it_is_given() -> None:
    """After the closing moves, which may stop early: from their roster (here the constructed
    one again), further steps that count on and improve it."""
    p = synthetic(staff=4, weeks=6, kinds=3, seed=4)
    shifts_of, start = _start(p)
    search = WindowLns(p, shifts_of, start, -(1 << 60), float("inf"), lambda _: None, seed=0,
                       step_s=GENEROUS_S, max_steps=3)
    first = search.run(threads=1)
    assert first.objective < start.objective
    assert search.go_on(start, float("inf"), threads=1, steps=0) is start
    again = search.go_on(start, float("inf"), threads=1, steps=3)
    check = evaluate(p, _pairs(p, again.values))
    assert search.stats.steps == 6
    assert check.violations == ()
    assert check.objective == again.objective < start.objective


def test_two_threads_changes_in_distant_windows_add_up() -> None:
    """A step that finishes after another thread improved the roster is applied onto
    the new best; the evaluator prices the merged roster."""
    p = synthetic(staff=5, weeks=6, kinds=3, seed=1)
    shifts_of, start = _start(p)
    search = _search(p, shifts_of, start)
    _, _, early = search.step(start, 7, 14, None, GENEROUS_S, 0)
    _, _, late = search.step(start, 35, 42, None, GENEROUS_S, 0)
    assert early is not None and late is not None
    assert early.objective < start.objective and late.objective < start.objective
    search.best = early
    merged = search._onto_best(start, late)
    check = evaluate(p, _pairs(p, merged.values))
    assert check.violations == ()
    assert check.objective == merged.objective
    assert merged.objective == early.objective + late.objective - start.objective
    assert search.stats.merged == 1


@pytest.mark.parametrize("max_weekends", [1, None])
def test_people_steps_free_those_with_half_weekends_first_where_weekends_are_scarce(
        max_weekends: int | None) -> None:
    """Six people, one weekend each at most, three positions a day: the weekends need all
    that full weekends give. A works Saturday of the first weekend only, B Sunday of the
    second; every people step frees both (a pair that can make one full weekend). With
    no weekend limit there is slack, and the steps draw people at random."""
    p = problem(daily(14, positions=3), [Professional(n, max_weekends=max_weekends) for n in "ABCDEF"])
    shifts_of = candidate_shifts(p)
    values: Values = {(pi, si): 0 for pi, mine in enumerate(shifts_of) for si in mine}
    values[0, 5] = values[1, 13] = 1  # days are shift indices here
    values[2, 5] = values[2, 6] = 1
    assert half_weekends(p, values) == [(0, 5), (1, 12)]
    assert half_weekends(p, values, 7, 14) == [(1, 12)]
    search = _search(p, shifts_of, Incumbent(values, evaluate(p, _pairs(p, values)).objective))
    picks = [search._pick("people", 14, values, random.Random(seed))[2] for seed in range(20)]
    both = [chosen is not None and {0, 1} <= chosen for chosen in picks]
    assert all(both) if max_weekends else not all(both)


def test_the_lns_goes_by_windows_on_long_horizons_and_large_models() -> None:
    """A step on the whole model costs what the whole model costs: four weeks of 120 people
    and 18 kinds go by windows as 26 weeks do, a small model keeps the whole-model LNS, and
    goals that do not split over days keep it whatever the size."""
    large = synthetic(staff=120, weeks=4, kinds=18, seed=1)
    small = synthetic(staff=20, weeks=4, kinds=3, seed=1)
    long = synthetic(staff=8, weeks=26, kinds=2, seed=1)
    assert sum(map(len, candidate_shifts(large))) >= WINDOW_LNS_PAIRS
    assert by_windows(large, candidate_shifts(large))
    assert not by_windows(small, candidate_shifts(small))
    assert by_windows(long, candidate_shifts(long))
    unsplit = replace(large, rules=replace(large.rules, one_shift_per_day=False))
    assert not by_windows(unsplit, candidate_shifts(unsplit))
