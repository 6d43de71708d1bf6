"""Pricing by dynamic programming over a person's days (`dp_pricing`): exact, or CP-SAT's."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import numpy as np
import pytest

from asta.scheduling._model import Model
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Rules
from asta.scheduling.solver import dp_pricing
from asta.scheduling.solver.colgen import DAYS_PRICING_DAYS, _Search
from asta.scheduling.solver.dp_pricing import Days, DaysPricer
from asta.scheduling.solver.labelling import Late, Person
from asta.scheduling.solver.pricing import SCALE, Pricer
from tests.unit.scheduling.factories import HOUR, problem, shift
from tests.unit.scheduling.test_labelling import _alone

STARTS = {"E": 6, "D": 9, "L": 14}
# As in Curtois & Qu: a day shift or an early one may not follow a late one, nor an early one a
# day one; what the successions allow leaves room to rest.
SUCCESSIONS = frozenset({("L", "E"), ("L", "D"), ("D", "E")})


def _curtois_like(seed: int, days: int = 21, late_limits: tuple[int, ...] = (3, 21)) -> Problem:
    """Three kinds of 8 h, with every rule the Curtois & Qu instances have, drawn at random."""
    rng = random.Random(seed)
    shifts = [shift(f"{k}{d}", d, STARTS[k], 8, kind=k, positions=rng.randint(0, 2), max_staff=2)
              for d in range(days) for k in STARTS]
    people = [
        Professional(
            f"p{i}",
            max_minutes=rng.choice([10, 12, 14]) * 8 * HOUR,
            min_minutes=rng.choice([0, 8 * 8 * HOUR]),
            max_consecutive_days=rng.choice([None, 3, 5]),
            min_consecutive_days=rng.choice([1, 2, 3]),
            min_consecutive_days_off=rng.choice([1, 2]),
            max_weekends=rng.choice([None, 1, 2]),
            max_shifts_per_kind={"L": rng.choice(late_limits)},
            days_off=frozenset(rng.sample(range(days), 2)),
            shift_on_requests=tuple(Request(rng.randrange(days), rng.choice("EDL"), 2) for _ in range(2)),
            shift_off_requests=tuple(Request(rng.randrange(days), None, 3) for _ in range(2)),
        )
        for i in range(4)
    ]
    return problem(shifts, people, Rules(forbidden_successions=SUCCESSIONS))


@pytest.mark.parametrize("seed", range(6))
def test_days_finds_the_exact_labellings_minimum_and_a_legal_roster(seed: int) -> None:
    """Runs, rest runs, successions, weekends, minutes, days off and requests, at random
    duals: the same least cost as the exact labelling, on a roster every rule allows.
    Kinds not counted, an answer over a kind limit may cost less, and breaks only that."""
    whole = _curtois_like(seed)
    m = Model.build(whole)
    rng = random.Random(seed)
    duals = [rng.uniform(0, 40) for _ in whole.shifts]
    within = 0
    for pi in range(len(whole.professionals)):
        person = Person(whole, pi, m.shifts_of[pi])
        days = Days(person)
        assert days.models()
        exact = person.best({si: duals[si] for si in m.shifts_of[pi]})
        found = days.best(duals)
        assert exact is not None and found
        shifts, cost = found[0]
        alone = _alone(whole, pi)
        roster = [(alone.professionals[0].id, whole.shifts[si].id) for si in shifts]
        broken = {v.rule for v in evaluate(alone, roster).violations}
        if broken:
            assert broken == {"max_shifts_per_kind"} and cost < exact.cost
        else:
            within += 1
            assert cost == pytest.approx(exact.cost)
        # Counting the limited kinds, it is the exact minimum whatever binds.
        counting = Days(person, tuple(whole.professionals[pi].max_shifts_per_kind))
        assert counting.best(duals)[0][1] == pytest.approx(exact.cost)
    assert within >= 2


@pytest.mark.parametrize("seed", range(4))
def test_a_high_kind_limit_counted_by_the_other_shifts_is_kept_exactly(seed: int) -> None:
    """At most 9 late shifts of at most 10, 12 or 14 is at least 1, 3 or 5 others: the
    programme counts those (the last cell meaning "at least"), on a far shorter axis, and
    finds the exact minimum on a legal roster whether late shifts pay most or least."""
    whole = _curtois_like(seed, late_limits=(9,))
    m = Model.build(whole)
    rng = random.Random(seed)
    binds = 0
    for late_pay in (30, -30):
        duals = [rng.uniform(0, 40) + (late_pay if s.kind == "L" else 0) for s in whole.shifts]
        for pi in range(len(whole.professionals)):
            person = Person(whole, pi, m.shifts_of[pi])
            days = Days(person, ("L",))
            assert days.complement is not None and days.shape[2] == days.complement[1] + 1 < 10
            exact = person.best({si: duals[si] for si in m.shifts_of[pi]})
            assert exact is not None
            shifts, cost = days.best(duals)[0]
            assert cost == pytest.approx(exact.cost)
            alone = _alone(whole, pi)
            roster = [(alone.professionals[0].id, whole.shifts[si].id) for si in shifts]
            assert not evaluate(alone, roster).violations
            relaxed_shifts, relaxed = Days(person).best(duals)[0]
            binds += sum(whole.shifts[si].kind == "L" for si in relaxed_shifts) > 9 and relaxed < cost
    assert binds >= 2  # without the limit, some would work more late shifts


def test_half_weekends_and_closed_shifts_cost_as_the_labelling_charges_them() -> None:
    """The descent's terms (`construct.descend`): a weekend worked on one day of two is
    charged, a full shift (reward None, dual -inf) is closed. The same least cost as the
    exact labelling, and as `cost_of` reads the roster back; the charge changes some minima."""
    changed = 0
    for seed in range(4):
        changed += _charged_as_the_labelling(seed)
    assert changed >= 2


@pytest.mark.parametrize("kept", [dp_pricing.KEEP_BYTES, 0])
def test_a_programme_asked_again_answers_as_a_new_one(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its structure is planned once and its days' arrays are reused by the thread's next
    call (or, larger than what a thread keeps, made anew), another person's in between: each
    answer is still the one a new programme gives, the best few in order, each as `cost_of`
    reads it back."""
    monkeypatch.setattr(dp_pricing, "KEEP_BYTES", kept)
    whole = _curtois_like(3, days=28)
    m = Model.build(whole)
    rng = random.Random(3)
    programmes = [Days(Person(whole, pi, m.shifts_of[pi])) for pi in range(len(whole.professionals))]
    for _ in range(3):
        duals = [rng.uniform(0, 40) for _ in whole.shifts]
        for pi, days in enumerate(programmes):
            again = days.best(duals, 4, 10.0)
            new = Days(Person(whole, pi, m.shifts_of[pi])).best(duals, 4, 10.0)
            assert again == new and len(again) == 4
            assert [cost for _, cost in again] == sorted(cost for _, cost in again)
            rewards = {si: duals[si] for si in m.shifts_of[pi]}
            for shifts, cost in again:
                assert days.person.cost_of(shifts, rewards, 10.0) == pytest.approx(cost)


@pytest.mark.parametrize("seed", range(3))
def test_only_the_cells_a_roster_can_pass_through_are_read(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A minimum of minutes close to the maximum over eight weeks leaves each day a narrow band
    of minutes worked from which the minimum is still reachable: the programme computes only
    that, so the cells outside are whatever the memory held. Filled with -inf, which would win
    every comparison, the answers are still the exact labelling's, on legal rosters."""
    tight = _curtois_like(seed, days=56)
    people = tuple(replace(prof, max_minutes=30 * 8 * HOUR, min_minutes=28 * 8 * HOUR)
                   for prof in tight.professionals)
    tight = replace(tight, professionals=people)
    m = Model.build(tight)
    rng = random.Random(seed)
    duals = [rng.uniform(-20, 40) for _ in tight.shifts]
    for pi, prof in enumerate(people):
        person = Person(tight, pi, m.shifts_of[pi])
        days = Days(person, tuple(prof.max_shifts_per_kind))
        exact = person.best({si: duals[si] for si in m.shifts_of[pi]})
        assert exact is not None
        clean = days.best(duals, 3)
        monkeypatch.setattr(dp_pricing._SCRATCH, "held", np.full(1 << 20, -math.inf), raising=False)
        assert days.best(duals, 3) == clean
        shifts, cost = clean[0]
        assert cost == pytest.approx(exact.cost)
        alone = _alone(tight, pi)
        roster = [(alone.professionals[0].id, tight.shifts[si].id) for si in shifts]
        assert not evaluate(alone, roster).violations
        blocks = days._plan.blocks if days._plan is not None else None
        assert blocks is not None
        computed = sum((rows.stop - rows.start) * (cells.stop - cells.start) for _, rows, cells in blocks)
        assert computed < 0.5 * len(blocks) * days.axes.cells


def test_a_minimum_no_roster_reaches_has_no_answer() -> None:
    """More minutes than the days can hold: no block, no roster, as the labelling says."""
    whole = _curtois_like(1)
    prof = replace(whole.professionals[0], max_minutes=30 * 8 * HOUR, min_minutes=30 * 8 * HOUR)
    whole = replace(whole, professionals=(prof, *whole.professionals[1:]))
    person = Person(whole, 0, Model.build(whole).shifts_of[0])
    duals = [1.0] * len(whole.shifts)
    assert person.best({si: 1.0 for si in person.mine}) is None
    assert Days(person).best(duals) == []


def test_a_programme_past_its_deadline_stops() -> None:
    """The descent's calls have a deadline: on 52 weeks of 32 kinds one call takes 15-30 s."""
    whole = _curtois_like(0)
    pricer = DaysPricer(whole, 0, Model.build(whole).shifts_of[0])
    duals = [1.0] * len(whole.shifts)
    assert pricer.best(duals, 1, deadline=math.inf)
    with pytest.raises(Late):
        pricer.best(duals, 1, deadline=0.0)


def _charged_as_the_labelling(seed: int) -> int:
    whole = _curtois_like(seed, days=28)
    m = Model.build(whole)
    rng = random.Random(seed)
    changed = 0
    for pi in range(len(whole.professionals)):
        mine = m.shifts_of[pi]
        rewards = {si: None if rng.random() < 0.2 else rng.uniform(0, 40) for si in mine}
        duals = {si: -math.inf if reward is None else reward for si, reward in rewards.items()}
        pricer = DaysPricer(whole, pi, mine)
        exact = pricer.person.best(rewards, half_weekend=25.0)
        found = pricer.best(duals, 1, half_weekend=25.0)
        assert exact is not None and found
        shifts, cost = found[0]
        assert cost == pytest.approx(exact.cost)
        assert pricer.person.cost_of(shifts, rewards, 25.0) == pytest.approx(cost)
        assert all(rewards[si] is not None for si in shifts)
        uncharged = pricer.best(duals, 1)
        assert uncharged
        changed += uncharged[0][1] < cost - 1e-9
    return changed


def _late_shifts_pay_more() -> tuple[Problem, list[int], list[float]]:
    shifts = [shift(f"{k}{d}", d, STARTS[k], 8, kind=k) for d in range(14) for k in ("E", "L")]
    person = Professional("p", max_shifts_per_kind={"L": 3}, max_consecutive_days=5)
    p = problem(shifts, [person], Rules(forbidden_successions=SUCCESSIONS))
    duals = [30.0 if s.kind == "L" else 10.0 for s in p.shifts]
    return p, Model.build(p).shifts_of[0], duals


def test_an_answer_over_a_kind_limit_counts_that_kind_from_then_on() -> None:
    """Kinds are not counted until an answer works more of one than allowed; the pricer then
    counts that kind and answers with a roster that keeps the limit, at CP-SAT's minimum."""
    p, mine, duals = _late_shifts_pay_more()
    pricer = DaysPricer(p, 0, mine)
    assert pricer.days is not None
    relaxed = pricer.days.best(duals)[0]
    assert sum(p.shifts[si].kind == "L" for si in relaxed[0]) > 3
    columns, low = pricer.price(duals, 0.0, 60, 0)
    _, cp_low = Pricer(p, 0, mine).price(duals, 0.0, 60, 0)
    assert columns and low is not None and cp_low is not None
    assert pricer.days is not None and pricer.days.counted == ("L",) and pricer.cp_sat_calls == 0
    assert sum(p.shifts[si].kind == "L" for si in columns[-1].shifts) == 3
    assert low == pytest.approx(cp_low, abs=len(mine) / SCALE)
    assert low > relaxed[1]


def test_counts_too_large_to_hold_leave_the_person_to_cp_sat(monkeypatch: pytest.MonkeyPatch) -> None:
    p, mine, duals = _late_shifts_pay_more()
    pricer = DaysPricer(p, 0, mine)
    assert pricer.days is not None
    monkeypatch.setattr(dp_pricing, "MAX_CELLS", math.prod(pricer.days.shape))
    columns, _ = pricer.price(duals, 0.0, 60, 0)
    assert pricer.days is None and pricer.cp_sat_calls == 1
    assert columns and sum(p.shifts[si].kind == "L" for si in columns[-1].shifts) == 3


@pytest.mark.parametrize("rule", ["weekly minutes", "rest", "agreed shift"])
def test_a_rule_days_does_not_model_leaves_the_person_to_cp_sat(rule: str) -> None:
    shifts = [shift(f"{k}{d}", d, STARTS[k], 8, kind=k) for d in range(14) for k in STARTS]
    person = Professional("p", max_week_minutes=40 * HOUR if rule == "weekly minutes" else None)
    rules = Rules(forbidden_successions=SUCCESSIONS if rule != "rest" else frozenset(),
                  min_rest_minutes=11 * HOUR)
    fixed = frozenset({("p", "D3")}) if rule == "agreed shift" else frozenset()
    p = problem(shifts, [person], rules, fixed=fixed)
    assert DaysPricer(p, 0, Model.build(p).shifts_of[0]).days is None
    # With the successions that keep late and early apart, 11 h of rest is one of its rules.
    modelled = problem(shifts, [Professional("p")], Rules(forbidden_successions=SUCCESSIONS,
                                                          min_rest_minutes=11 * HOUR))
    assert DaysPricer(modelled, 0, Model.build(modelled).shifts_of[0]).days is not None


def test_column_generation_prices_by_days_from_four_weeks_on() -> None:
    """Below four weeks CP-SAT prices, on both threads."""
    for days, kind in ((DAYS_PRICING_DAYS - 7, Pricer), (DAYS_PRICING_DAYS, DaysPricer)):
        search = _Search(Model.build(_curtois_like(0, days)), math.inf, 1, 0)
        search.close()
        assert {type(pricer) for pricer in search.pricers} == {kind}


def test_with_two_workers_the_programme_prices_in_processes_and_finds_the_same_columns() -> None:
    """It holds the GIL, so two threads would price one call at a time."""
    p = _curtois_like(1, DAYS_PRICING_DAYS)
    rng = random.Random(1)
    duals = [rng.uniform(0, 200) for _ in p.shifts]
    found = {}
    for workers in (1, 2):
        search = _Search(Model.build(p), math.inf, workers, 0)
        try:
            assert (search.processes is not None) == (workers == 2)
            everyone = list(range(len(p.professionals)))
            added, lowest = search.iterate(everyone, duals, [0.0] * len(everyone), keep_all=True)
        finally:
            search.close()
        assert added > 0 and lowest is not None
        found[workers] = (lowest, {(c.person, c.shifts, c.cost) for c in search.master.columns})
    assert found[1] == found[2]


def test_a_pricing_process_that_dies_leaves_the_round_to_the_threads() -> None:
    p = _curtois_like(2, DAYS_PRICING_DAYS)
    search = _Search(Model.build(p), math.inf, 2, 0)
    try:
        assert search.processes is not None
        for process in search.processes._processes.values():  # no public handle on them
            process.kill()
        everyone = list(range(len(p.professionals)))
        added, lowest = search.iterate(everyone, [0.0] * len(p.shifts), [0.0] * len(everyone),
                                       keep_all=True)
    finally:
        search.close()
    assert search.processes is None
    assert lowest is not None and added > 0 and search.master.has_column_for_everyone()
