"""Column generation (master LP, pricing, dive) and the person-by-person start."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ortools.linear_solver import pywraplp

from asta.scheduling._model import Model
from asta.scheduling.curtois_qu import load
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Shift, Weights
from asta.scheduling.solver import colgen
from asta.scheduling.solver.built import build
from asta.scheduling.solver.by_labels import descended
from asta.scheduling.solver.colgen import QUICK_PRICING, _Search, dive_batch, price_and_dive, separable
from asta.scheduling.solver.core import _person_solver
from asta.scheduling.solver.lns import Incumbent, Lns
from asta.scheduling.solver.master import Column, Master, MasterNotSolved
from asta.scheduling.solver.pricing import Pricer
from asta.scheduling.solver.sequential import one_by_one
from tests.unit.scheduling.factories import daily, problem, shift, solved
from tests.unit.scheduling.test_solver import random_problem

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"


def _assignments(p: Problem, values: dict[tuple[int, int], int]) -> list[tuple[str, str]]:
    return [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]


def test_master_lp_prices_cover_and_mixes_rosters() -> None:
    # One shift, under-cover 10; x works it at cost 3 or stays home at 0.
    p = problem(daily(1, under_weight=10), [Professional("x")])
    master = Master(p, [1])
    master.add(Column(0, frozenset({0}), 3))
    master.add(Column(0, frozenset(), 0))
    solution = master.solve()
    assert solution.value == pytest.approx(3.0)
    assert solution.weights == pytest.approx([1.0, 0.0])
    # At optimal duals no column has a negative reduced cost, and the chosen one has none.
    costs = [c.reduced_cost(solution.duals, solution.mu) for c in master.columns]
    assert min(costs) >= -1e-6
    assert costs[0] == pytest.approx(0.0, abs=1e-6)


def test_master_keeps_each_roster_once_and_fixing_forces_it() -> None:
    p = problem(daily(1, under_weight=10), [Professional("x")])
    master = Master(p, [1])
    assert master.add(Column(0, frozenset(), 0)) == 1
    assert master.add(Column(0, frozenset(), 0)) == 0
    master.add(Column(0, frozenset({0}), 3))
    master.fix(master.columns[0])  # stay home, although working is cheaper
    assert master.solve().value == pytest.approx(10.0)


def test_pricing_takes_the_shifts_worth_more_than_their_penalty() -> None:
    # Working day 0 breaks a shift-off request of weight 5; day 1 is free of wishes.
    x = Professional("x", shift_off_requests=(Request(0, None, 5),))
    p = problem(daily(3), [x])
    pricer = Pricer(p, 0, [0, 1, 2])
    duals = [4.0, 4.0, -1.0]  # day 0 pays 4 < 5, day 1 pays 4, day 2 costs
    columns, low = pricer.price(duals, mu=0.0, limit_s=5, seed=0)
    best = columns[-1]
    assert best.shifts == frozenset({1})
    assert best.cost == 0
    assert low is not None and low <= best.reduced_cost(duals, [0.0]) + 1e-9
    assert low == pytest.approx(-4.0, abs=0.01)


def test_pricing_respects_the_persons_hard_rules() -> None:
    x = Professional("x", max_consecutive_days=2)
    p = problem(daily(4), [x])
    columns, _ = Pricer(p, 0, [0, 1, 2, 3]).price([10.0] * 4, mu=0.0, limit_s=5, seed=0)
    assert len(columns[-1].shifts) == 3  # every day pays, but only two in a row


def test_dive_on_instance1_then_settling_the_last_few_reaches_near_the_optimum() -> None:
    p = load(INSTANCE1)
    built = build(p)
    outcome = price_and_dive(built.model, None, time.monotonic() + 30, workers=2, seed=0)
    assert outcome.values is not None
    check = evaluate(p, _assignments(p, outcome.values))
    assert check.violations == ()
    # 607 is the proven optimum: the bound may not exceed it, the roster cannot beat it.
    assert outcome.bound is not None and outcome.bound <= 607 <= check.objective
    assert 1 <= len(outcome.unsettled) <= 3
    dived = Incumbent(outcome.values, check.objective)
    lns = Lns(built.model, dived, outcome.bound, time.monotonic() + 30, lambda _: None, seed=0)
    settled = lns.settle(outcome.unsettled, 20, seed=0, workers=2)
    assert evaluate(p, _assignments(p, settled.values)).objective == settled.objective
    assert settled.objective <= min(check.objective, round(607 * 1.02))


def test_dive_respects_shift_capacity() -> None:
    # Three people want the one-position shift (shift-on requests); capacity is 1.
    wants = (Request(0, None, 5),)
    people = [Professional(c, shift_on_requests=wants) for c in "xyz"]
    p = problem(daily(1, under_weight=1), people)
    outcome = price_and_dive(Model.build(p), None, time.monotonic() + 10, workers=1, seed=0)
    assert outcome.values is not None
    assert sum(outcome.values.values()) == 1
    assert evaluate(p, _assignments(p, outcome.values)).violations == ()


def test_dive_gives_up_when_out_of_time() -> None:
    p = random_problem(1)
    outcome = price_and_dive(Model.build(p), None, time.monotonic(), workers=1, seed=0)
    assert outcome.values is None


def test_series_continuity_couples_people_so_colgen_is_not_used() -> None:
    series = tuple(Shift(f"s{d}", d, d * 1440 + 480, d * 1440 + 960, "D", series="a") for d in range(2))
    with_goal = problem(series, [Professional("x")], weights=Weights(continuity=5))
    assert not separable(with_goal)
    assert separable(problem(series, [Professional("x")]))
    assert separable(problem(daily(2), [Professional("x")], weights=Weights(continuity=5)))


def test_solve_reports_column_generation_and_stays_correct() -> None:
    p = random_problem(3)
    # A first phase long enough to find a roster and its bound on a loaded machine too
    # (at 0.12 s it sometimes found none, and without a bound column generation proves none).
    result = solved(p, time_limit_s=4, first_phase=0.25)
    assert "colgen_s" in result.stats
    assert result.best_bound is not None and result.objective is not None
    assert result.best_bound <= result.objective
    assert result.stats["colgen_descended"] <= result.stats["colgen_objective"]


def test_descending_moves_a_person_off_over_cover_to_a_shift_left_open() -> None:
    # Both work day 0 (one position, two allowed); day 1 stays open: one of them alone
    # does better on day 1, and then nobody does better alone.
    p = problem(
        (shift("a", 0, max_staff=2, over_weight=1), shift("b", 1)), [Professional("x"), Professional("y")]
    )
    m = Model.build(p)
    both_on_a = {(0, 0): 1, (1, 0): 1, (0, 1): 0, (1, 1): 0}
    assert evaluate(p, _assignments(p, both_on_a)).objective == 2
    values = descended(m, both_on_a, time.monotonic() + 10)
    check = evaluate(p, _assignments(p, values))
    assert check.violations == () and check.objective == 0
    assert descended(m, values, time.monotonic() + 10) == values


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_descending_a_dived_roster_keeps_it_legal_and_never_dearer(seed: int) -> None:
    p = random_problem(seed)
    m = Model.build(p)
    outcome = price_and_dive(m, None, time.monotonic() + 10, workers=1, seed=0)
    assert outcome.values is not None
    before = evaluate(p, _assignments(p, outcome.values))
    values = descended(m, outcome.values, time.monotonic() + 10)
    after = evaluate(p, _assignments(p, values))
    assert after.violations == ()
    assert after.objective <= before.objective
    assert descended(m, values, time.monotonic() + 10) == values


def test_person_by_person_start_is_legal_and_may_run_past_its_target() -> None:
    p = random_problem(5)
    m = Model.build(p)
    now = time.monotonic()
    # The target has passed already: every person still gets a legal roster.
    values = one_by_one(m, now - 1, now + 30, _person_solver(0))
    assert values is not None
    assert evaluate(p, _assignments(p, values)).violations == ()
    assert one_by_one(m, now - 1, now - 1, _person_solver(0)) is None


class _AbnormalOnce:
    """GLOP as seen through pywraplp, ending ABNORMAL on its first `failures` solves."""

    def __init__(self, lp: pywraplp.Solver, failures: int) -> None:
        self.lp = lp
        self.failures = failures
        self.params: list[object] = []

    def Solve(self, params: object = None) -> int:  # pywraplp's name
        self.params.append(params)
        if self.failures:
            self.failures -= 1
            return pywraplp.Solver.ABNORMAL
        return self.lp.Solve() if params is None else self.lp.Solve(params)

    def __getattr__(self, name: str) -> object:
        return getattr(self.lp, name)


def _one_shift_master(failures: int) -> tuple[Master, _AbnormalOnce]:
    p = problem(daily(1, under_weight=10), [Professional("x")])
    master = Master(p, [1])
    master.add(Column(0, frozenset({0}), 3))
    glop = _AbnormalOnce(master.lp, failures)
    master.lp = glop  # type: ignore[assignment]
    return master, glop


def test_master_solves_from_scratch_when_glop_fails_warm() -> None:
    master, glop = _one_shift_master(failures=1)
    assert master.solve().value == pytest.approx(3.0)
    assert glop.params[0] is None and glop.params[1] is not None  # the retry is from scratch


def test_master_that_fails_from_scratch_too_says_so() -> None:
    master, _ = _one_shift_master(failures=2)
    with pytest.raises(MasterNotSolved):
        master.solve()


def test_a_master_failing_in_the_root_leaves_the_roster_to_the_lns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve_lp = Master.solve
    calls = [0]

    def fails_after_the_first_lp(self: Master) -> object:
        calls[0] += 1
        if calls[0] > 1:
            raise MasterNotSolved("status 4")
        return solve_lp(self)

    monkeypatch.setattr(Master, "solve", fails_after_the_first_lp)
    # Reach the root on any machine: a first phase too short to prove the optimum (CP-SAT's
    # deterministic time), and a first pricing round that may take all of column
    # generation's time (not a twentieth of it, 0.1 s here).
    monkeypatch.setattr(colgen, "ROUNDS_NEEDED", 1)
    p = random_problem(3)
    result = solved(p, time_limit_s=4, first_phase=0.25, cp_params={"max_deterministic_time": 0.001})
    assert result.stats["colgen_failed"] == 1.0
    assert calls[0] > 1


def test_a_master_failing_in_the_dive_still_gives_everyone_a_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve_lp, dive = Master.solve, _Search.dive
    dive_solves = [0, 0]  # diving?, LPs tried in the dive

    def fails_in_the_dive(self: Master) -> object:
        if dive_solves[0]:
            dive_solves[1] += 1
            raise MasterNotSolved("status 4")
        return solve_lp(self)

    def diving(self: _Search, exact: bool) -> object:
        dive_solves[0] = 1
        return dive(self, exact)

    monkeypatch.setattr(Master, "solve", fails_in_the_dive)
    monkeypatch.setattr(_Search, "dive", diving)
    p = load(INSTANCE1)
    outcome = price_and_dive(Model.build(p), None, time.monotonic() + 30, workers=1, seed=0)
    assert outcome.stats["colgen_failed"] == 1.0
    assert outcome.values is not None
    assert evaluate(p, _assignments(p, outcome.values)).violations == ()
    # Nobody was fixed before the failure: everyone keeps the root LP's favourite roster,
    # and all are left to settle.
    assert dive_solves[1] == 1
    assert len(outcome.unsettled) == len(p.professionals)


@pytest.mark.parametrize("exact", [True, False])
def test_the_dive_prices_exactly_only_after_a_root_that_proved_its_bound(exact: bool) -> None:
    p = load(INSTANCE1)
    search = _Search(Model.build(p), time.monotonic() + 30, 1, 0)
    everyone = list(range(len(p.professionals)))
    search.iterate(everyone, [0.0] * len(p.shifts), [0.0] * len(everyone), True)
    search.price_limit = QUICK_PRICING
    limits = _recording_limits(search)
    values = search.dive(exact)
    search.close()
    assert values is not None
    assert evaluate(p, _assignments(p, values)).violations == ()
    assert limits
    assert (min(limits) > 1.0) if exact else (max(limits) <= QUICK_PRICING)


def test_a_root_that_proves_nothing_is_followed_by_one_exact_round_for_its_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No time for the root at all: the exact round after it still bounds Instance1's
    optimum (607), and the dive prices quickly, as after any root short of convergence."""
    monkeypatch.setattr(colgen, "ROOT_SHARE", 0.0)
    exact_dives: list[bool] = []
    dive = _Search.dive

    def recording(self: _Search, exact: bool) -> object:
        exact_dives.append(exact)
        return dive(self, exact)

    monkeypatch.setattr(_Search, "dive", recording)
    p = load(INSTANCE1)
    outcome = price_and_dive(Model.build(p), None, time.monotonic() + 30, workers=1, seed=0)
    assert outcome.bound is not None and 0 < outcome.bound <= 607
    assert exact_dives == [False]
    assert outcome.values is not None


def test_a_dive_short_of_time_fixes_several_people_a_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three steps of the dive, and the exact step after it settling one person as usual
    and one more: one person a step would leave it five of Instance1's eight."""
    p = load(INSTANCE1)
    search, values = _dive_on_a_slow_clock(monkeypatch, p, steps=3, settle_at=1)
    assert values is not None
    assert evaluate(p, _assignments(p, values)).violations == ()
    assert search.largest_batch == 3
    assert len(search.unsettled) == 2


def test_a_dive_that_must_fix_too_many_a_step_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same three steps with at most two people a step allowed: no roster, the LNS goes on."""
    monkeypatch.setattr(colgen, "MAX_DIVE_BATCH", 2)
    search, values = _dive_on_a_slow_clock(monkeypatch, load(INSTANCE1), steps=3, settle_at=1)
    assert values is None
    assert search.largest_batch == 3


def test_a_first_round_too_slow_for_the_dive_leaves_the_time_to_the_lns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dive steps of a million first rounds each, one person a step at most: Instance1's dive
    would have to fix two a step, so there is no root, no roster and no bound."""
    monkeypatch.setattr(colgen, "DIVE_STEP_ROUNDS", 1e6)
    monkeypatch.setattr(colgen, "MAX_DIVE_BATCH", 1)
    p = load(INSTANCE1)
    outcome = price_and_dive(Model.build(p), None, time.monotonic() + 30, workers=1, seed=0)
    assert outcome.values is None and outcome.bound is None
    assert "colgen_root_s" not in outcome.stats and outcome.stats["colgen_first_round_s"] > 0


@pytest.mark.parametrize(
    ("to_fix", "left", "step_s", "spare", "batch"),
    [
        (5, 10.0, 1.0, 0, 1),
        (4, 2.0, 1.0, 0, 2),
        (5, 2.0, 1.0, 3, 1),
        (54, 18.0, 1.5, 6, 4),
        (54, 0.5, 1.5, 6, 48),
        (9, 1.0, 0.0, 3, 1),
    ],
)
def test_a_dive_step_fixes_as_many_as_the_steps_left_need(
    to_fix: int, left: float, step_s: float, spare: int, batch: int
) -> None:
    assert dive_batch(to_fix, left, step_s, spare) == batch


def _dive_on_a_slow_clock(
    monkeypatch: pytest.MonkeyPatch, p: Problem, steps: int, settle_at: int
) -> tuple[_Search, dict[tuple[int, int], int] | None]:
    """A dive with time for `steps` pricing rounds: each takes a second of a clock that
    moves only then. No roster counts as sure (those would be fixed besides)."""
    clock = [0.0]
    monkeypatch.setattr(colgen, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(colgen, "SURE", 1.01)
    search = _Search(Model.build(p), float(steps), 1, 0)
    search.settle_at = settle_at
    everyone = list(range(len(p.professionals)))
    search.iterate(everyone, [0.0] * len(p.shifts), [0.0] * len(everyone), True)
    search.price_limit = QUICK_PRICING
    one_round = search.iterate

    def a_second_a_round(*args: Any, **kwargs: Any) -> tuple[int, float | None]:
        clock[0] += 1.0
        return one_round(*args, **kwargs)

    monkeypatch.setattr(search, "iterate", a_second_a_round)
    values = search.dive(exact=False)
    search.close()
    return search, values



def _recording_limits(search: _Search) -> list[float]:
    """The time limit of every pricing call `search` makes from now on."""
    limits: list[float] = []

    def recording(price: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(duals: list[float], mu: float, limit_s: float, seed: int) -> Any:
            limits.append(limit_s)
            return price(duals, mu, limit_s, seed)

        return recorded

    for pricer in search.pricers:
        pricer.price = recording(pricer.price)  # type: ignore[method-assign]
    return limits


def test_a_pricing_round_gives_each_call_only_what_is_left_of_it() -> None:
    """Calls queue behind each other in the pool: each may take only what is left of
    the round, and none starts after it (a 26-week first round once took 517 s of 35)."""
    p = load(INSTANCE1)
    search = _Search(Model.build(p), time.monotonic() + 30, 1, 0)
    limits = _recording_limits(search)
    everyone = list(range(len(p.professionals)))
    zero, zero_mu = [0.0] * len(p.shifts), [0.0] * len(everyone)
    search.iterate(everyone, zero, zero_mu, True, until=time.monotonic() + 5.0)
    assert limits and all(0 < limit <= 5.0 for limit in limits)
    calls = len(limits)
    assert search.iterate(everyone, zero, zero_mu, True, until=time.monotonic() - 1.0) == (0, None)
    assert len(limits) == calls
    search.close()
