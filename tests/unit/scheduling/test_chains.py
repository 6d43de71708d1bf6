"""Ejection chains: a wish one person cannot meet alone, met by a second moving cover."""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import replace

import pytest

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Weights
from asta.scheduling.solver import chains as chains_module
from asta.scheduling.solver.chains import SLOW_CALL_S, Chains, Unfilled
from asta.scheduling.solver.construct import by_labels
from asta.scheduling.solver.lns import Incumbent
from asta.scheduling.solver.window_lns import CHAIN_S, WindowLns
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import daily, problem

Values = dict[tuple[int, int], int]
SHIFT_MINUTES = 8 * 60


def _pairs(p: Problem, values: Values) -> list[tuple[str, str]]:
    return [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]


def _swap_problem(continuity: int = 0) -> tuple[Problem, Incumbent]:
    """One position a day for six days (a second allowed, at 1); each person works exactly
    three days. A works days 0-2 and wishes to work day 4, which B works. A taking day 4
    alone leaves day 2 open (100 to gain 5); B taking day 2 instead of day 4 then closes it.
    Days 3 and 4 are one series, which costs only with `continuity`."""
    three = 3 * SHIFT_MINUTES
    people = [
        Professional("A", min_minutes=three, max_minutes=three, shift_on_requests=(Request(4, None, 5),)),
        Professional("B", min_minutes=three, max_minutes=three),
    ]
    days = daily(6, positions=1, max_staff=2, over_weight=1)
    shifts = tuple(replace(s, series="S") if s.day in (3, 4) else s for s in days)
    p = problem(shifts, people, weights=Weights(fill=100, requests=1, continuity=continuity))
    shifts_of = candidate_shifts(p)
    values: Values = {(pi, si): 0 for pi, mine in enumerate(shifts_of) for si in mine}
    for day in (0, 1, 2):
        values[0, day] = 1
    for day in (3, 4, 5):
        values[1, day] = 1
    start = evaluate(p, _pairs(p, values))
    assert start.violations == () and start.objective == 5
    return p, Incumbent(values, start.objective)


def _chains(p: Problem) -> Chains:
    chains = Chains.of(p, candidate_shifts(p))
    assert chains is not None
    return chains


def test_a_chain_meets_a_wish_that_one_person_alone_would_not() -> None:
    p, start = _swap_problem()
    chains = _chains(p)
    found = [chains.step(start, random.Random(seed)) for seed in range(8)]
    better = [f for f in found if f is not None]
    # Only a chain that starts with A leads anywhere: B has nothing to wish for.
    assert better and len(better) < len(found)
    for f in better:
        check = evaluate(p, _pairs(p, f.values))
        assert check.violations == ()
        assert check.objective == f.objective == 0
        assert sorted(p.shifts[si].day for (pi, si), v in f.values.items() if v and pi == 0) == [0, 1, 4]


def test_a_chain_is_priced_with_the_continuity_it_breaks() -> None:
    """Days 3 and 4 are one series, both B's: A meeting the wish (5) splits it between them
    (3 with continuity at 3), which only the whole roster's price shows."""
    p, start = _swap_problem(continuity=3)
    chains = _chains(p)
    better = [f for f in (chains.step(start, random.Random(seed)) for seed in range(8)) if f is not None]
    assert better
    for f in better:
        assert evaluate(p, _pairs(p, f.values)).objective == f.objective == 3


def test_a_chain_that_gains_nothing_is_not_returned() -> None:
    """With the wish met already, every chain ends where it began or worse."""
    p, start = _swap_problem()
    values = dict(start.values)
    values[0, 2], values[0, 4], values[1, 4], values[1, 2] = 0, 1, 0, 1
    best = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    assert best.objective == 0
    chains = _chains(p)
    assert all(chains.step(best, random.Random(seed)) is None for seed in range(8))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_chains_are_legal_and_priced_as_the_evaluator_finds(seed: int) -> None:
    """Every rule of the format binds in these instances (runs, rest runs, successions,
    weekends, minutes, per-kind maxima, requests)."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=seed)
    shifts_of = candidate_shifts(p)
    values, missing = by_labels(p, shifts_of, cap=4)
    assert missing == []
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    chains = _chains(p)
    rng = random.Random(seed)
    kept = 0
    for _ in range(40):
        found = chains.step(start, rng)
        if found is None:
            continue
        check = evaluate(p, _pairs(p, found.values))
        assert check.violations == ()
        assert check.objective == found.objective < start.objective
        start, kept = found, kept + 1
    assert kept > 0


def test_a_chain_past_its_deadline_gives_nothing() -> None:
    p, start = _swap_problem()
    chains = _chains(p)
    assert all(chains.step(start, random.Random(seed), deadline=0.0) is None for seed in range(8))


def test_the_window_search_draws_chains_only_where_the_days_programme_models_everyone() -> None:
    p = synthetic(staff=6, weeks=6, kinds=3, seed=1)
    shifts_of = candidate_shifts(p)
    values, _ = by_labels(p, shifts_of, cap=4)
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    search = WindowLns(p, shifts_of, start, -(1 << 60), float("inf"), lambda _: None, seed=0)
    assert search.chains is not None
    agreed = (p.professionals[0].id, p.shifts[shifts_of[0][0]].id)
    pinned = Problem(p.shifts, p.professionals, p.rules, p.weights, fixed=frozenset({agreed}))
    assert Chains.of(pinned, candidate_shifts(pinned)) is None
    assert WindowLns(pinned, candidate_shifts(pinned), start, 0, 0.0, lambda _: None, 0).chains is None


def test_chains_are_drawn_only_from_their_share_of_the_time_on() -> None:
    """Before `chains_from` a chain's draw is a days or people step; so it is in the last
    `CHAIN_S`, and while the days programme is slow."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=1)
    shifts_of = candidate_shifts(p)
    values, _ = by_labels(p, shifts_of, cap=4)
    start = Incumbent(values, evaluate(p, _pairs(p, values)).objective)
    now = time.monotonic()
    search = WindowLns(p, shifts_of, start, -(1 << 60), now + 100, lambda _: None, seed=0)
    rng = random.Random(0)
    search.chains_from = now + 50
    early = Counter(search._kind(rng) for _ in range(500))
    search.chains_from = now
    late = Counter(search._kind(rng) for _ in range(500))
    assert search.chains is not None
    search.chains.call_s = 2 * SLOW_CALL_S
    slow = Counter(search._kind(rng) for _ in range(500))
    search.chains.call_s = 0.0
    search.deadline = now + CHAIN_S / 2
    last = Counter(search._kind(rng) for _ in range(500))
    assert early["chains"] == 0 and early["days"] > 100 and early["people"] > 100
    assert late["chains"] > late["days"] and late["chains"] > late["people"] > 0
    assert slow["chains"] == 0 and last["chains"] == 0


def test_chains_start_with_people_in_proportion_to_their_unmet_wishes() -> None:
    """A's roster leaves a wish of 5 unmet and B's none: A starts six chains in seven, and B
    still some."""
    p, start = _swap_problem()
    chains = _chains(p)
    own = chains._from(start).own
    assert own == [5, 0]
    rng = random.Random(3)
    drawn = Counter(p.professionals[chains._first(own, rng)].id for _ in range(700))
    assert 540 <= drawn["A"] <= 660 and drawn["A"] + drawn["B"] == 700


def _wait(busy: bool) -> None:
    """1.5 x `SLOW_CALL_S`: working, or asleep."""
    if busy:
        until = time.thread_time() + 1.5 * SLOW_CALL_S
        while time.thread_time() < until:
            pass
    else:
        time.sleep(1.5 * SLOW_CALL_S)


def _waiting(chains: Chains, busy: bool, calls: int | None = None) -> None:
    """Every days programme call (or the first `calls` of them) first waits 1.5 x
    `SLOW_CALL_S`: asleep, or working."""
    made = [0]
    for pricer in chains.pricers:
        original = pricer.best

        def best(*args: object, _original: object = original, **kw: object) -> object:
            made[0] += 1
            if calls is None or made[0] <= calls:
                _wait(busy)
            return _original(*args, **kw)  # type: ignore[operator]

        pricer.best = best  # type: ignore[method-assign,assignment]


@pytest.mark.parametrize("busy", [False, True])
def test_chains_stop_on_calls_that_work_long_not_on_calls_that_wait(busy: bool) -> None:
    """A call that waits for a loaded machine is not slow; one that works that long is."""
    p, start = _swap_problem()
    chains = _chains(p)
    chains.step(start, random.Random(0))  # plans everybody's days
    _waiting(chains, busy)
    for seed in range(3):
        chains.step(start, random.Random(seed))
    assert chains.slow is busy


def test_one_long_call_does_not_stop_the_chains() -> None:
    """The first call timed works long, the rest are quick: the chains never look slow (the
    search draws none while they do, so they would not come back)."""
    p, start = _swap_problem()
    chains = _chains(p)
    for pricer in chains.pricers:  # plans everybody's days, untimed
        pricer.best([0.0] * len(p.shifts), 1)
    _waiting(chains, busy=True, calls=1)
    for seed in range(3):
        chains.step(start, random.Random(seed))
        assert 0 < chains.call_s <= SLOW_CALL_S and not chains.slow


def test_a_chain_no_follower_finishes_is_finished_by_a_window_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without followers, A meeting the wish leaves day 2 open: the chain comes back unfilled
    with day 2 and both people, and the window step over them fills it as B's move would."""
    monkeypatch.setattr(chains_module, "DEPTH", 0)
    p, start = _swap_problem()
    chains = _chains(p)
    outcomes = [chains.attempt(start, random.Random(seed)) for seed in range(8)]
    unfilled = [o for o in outcomes if isinstance(o, Unfilled)]
    assert unfilled and all(o is None for o in outcomes if not isinstance(o, Unfilled))
    assert all(chains.step(start, random.Random(seed)) is None for seed in range(8))
    shifts_of = candidate_shifts(p)
    search = WindowLns(p, shifts_of, start, -(1 << 60), time.monotonic() + 60, lambda _: None, seed=0)
    for chain in unfilled:
        assert chain.days == {2} and chain.people == {0, 1}
        priced = evaluate(p, _pairs(p, chain.roster.values)).objective
        assert chain.roster.objective == priced > start.objective
        found = search._finish(start, chain, random.Random(0))
        assert found is not None
        check = evaluate(p, _pairs(p, found.values))
        assert check.violations == () and check.objective == found.objective == 0
    assert search.stats.finished == search.stats.finished_better == len(unfilled)
