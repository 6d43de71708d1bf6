"""The labelling: one person's best legal roster, and the construction built from it."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from asta.scheduling._model import Model, candidate_shifts
from asta.scheduling.curtois_qu import load
from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem, Professional, Request, Rules, Weights
from asta.scheduling.solver import solve
from asta.scheduling.solver.by_labels import labelled
from asta.scheduling.solver.construct import (
    HALF_WEEKEND_SHARE,
    by_labels,
    cap_for,
    descend,
    half_weekend_charge,
    rewards_left,
)
from asta.scheduling.solver.label_pricing import LabelPricer
from asta.scheduling.solver.labelling import EXACT_CAP, Person
from asta.scheduling.solver.minute_prices import minute_prices
from asta.scheduling.solver.pricing import SCALE, Pricer
from asta.scheduling.solver.weekends import half_weekends
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import DAY, HOUR, daily, problem, shift
from tests.unit.scheduling.test_solver import DETERMINISTIC, random_problem

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"


def _alone(p: Problem, pi: int) -> Problem:
    """`p` with only person `pi` (every shift kept, cover as it is)."""
    prof = p.professionals[pi]
    return replace(
        p,
        professionals=(prof,),
        fixed=frozenset(pair for pair in p.fixed if pair[0] == prof.id),
        days=p.horizon_days,
    )


def _labelled_roster(p: Problem, cap: int = 1 << 30) -> list[tuple[str, str]]:
    mine = candidate_shifts(p)[0]
    roster = Person(p, 0, mine).best(rewards_left(p, mine, [0] * len(p.shifts)), cap)
    assert roster is not None
    return [(p.professionals[0].id, p.shifts[si].id) for si in sorted(roster.shifts)]


@pytest.mark.parametrize("seed", range(4))
def test_labelling_equals_the_one_person_cp_sat_optimum(seed: int) -> None:
    """Rest, successions, runs, rest runs, weekends, weekly and period minutes, days
    off and requests: the exact labelling and CP-SAT agree on every person's optimum."""
    whole = random_problem(seed)
    for pi in range(len(whole.professionals)):
        p = _alone(whole, pi)
        optimum = solve(p, time_limit_s=120, lns=False, workers=1, cp_params=DETERMINISTIC)
        labelled = evaluate(p, _labelled_roster(p))
        if optimum.status == "infeasible":
            pytest.fail(f"seed {seed}: person {pi} has no legal roster")
        assert optimum.status == "optimal"
        assert labelled.violations == ()
        assert labelled.objective == optimum.objective


def test_labelling_meets_a_minimum_run_a_rest_run_and_a_kind_limit() -> None:
    # Seven day shifts worth 10 each; at most 3 in a row, runs of 2+ inside, 2 days off
    # between runs, at most 4 of kind D in all. Best: 4 shifts (D) plus 0 other kinds.
    p = problem(
        daily(7, under_weight=10),
        [
            Professional(
                "x",
                max_consecutive_days=3,
                min_consecutive_days=2,
                min_consecutive_days_off=2,
                max_shifts_per_kind={"D": 4},
            )
        ],
    )
    roster = _labelled_roster(p)
    check = evaluate(p, roster)
    assert check.violations == ()
    assert len(roster) == 4
    assert check.objective == 30


def test_labelling_respects_rest_between_night_and_morning() -> None:
    # Night 22-07 then morning 07-15 the next day leaves no rest; both pay 10.
    night = shift("N0", 0, 22, 9, kind="N", under_weight=10)
    morning = shift("M1", 1, 7, 8, kind="M", under_weight=10)
    p = problem([night, morning], [Professional("x")], Rules(min_rest_minutes=11 * 60))
    roster = _labelled_roster(p)
    assert len(roster) == 1
    assert evaluate(p, roster).violations == ()


def test_labelling_honours_requests_when_they_outweigh_cover() -> None:
    p = problem(
        daily(2, under_weight=1),
        [Professional("x", shift_off_requests=(Request(0, None, 5),))],
    )
    assert _labelled_roster(p) == [("x", "D1")]


def test_a_small_cap_still_gives_a_legal_roster() -> None:
    p = load(INSTANCE1)
    for pi in range(len(p.professionals)):
        sub = _alone(p, pi)
        assert evaluate(sub, _labelled_roster(sub, cap=2)).violations == ()


def test_construction_and_descent_are_legal_and_descent_never_worsens() -> None:
    p = load(INSTANCE1)
    shifts_of = candidate_shifts(p)
    values, missing = by_labels(p, shifts_of, cap=16)
    assert missing == []
    first = evaluate(p, _pairs(p, values))
    assert first.violations == ()
    improved, rounds = descend(p, shifts_of, values, 16, deadline=float("inf"), rounds=3)
    second = evaluate(p, _pairs(p, improved))
    assert rounds >= 1
    assert second.violations == ()
    assert second.objective <= first.objective


def test_a_descent_that_widens_its_beam_goes_on_past_a_narrow_local_optimum() -> None:
    """Two labels a day stall after a few rounds; doubling the cap each round goes on
    improving (6 people over 6 weeks: 2 650 against 2 146) and stays legal."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=1)
    shifts_of = candidate_shifts(p)
    values, missing = by_labels(p, shifts_of, cap=2)
    assert missing == []
    narrow, narrow_rounds = descend(p, shifts_of, values, 2, deadline=float("inf"))
    wide, wide_rounds = descend(p, shifts_of, values, 2, deadline=float("inf"), grow=2)
    stalled, widened = evaluate(p, _pairs(p, narrow)), evaluate(p, _pairs(p, wide))
    assert widened.violations == ()
    assert wide_rounds > narrow_rounds
    assert widened.objective < stalled.objective


@pytest.mark.parametrize("seed", range(3))
def test_a_descent_by_days_ends_where_no_one_can_do_better_alone(seed: int) -> None:
    """Re-rostering by the days programme is exact: when it stops, the exact labelling finds
    no one a cheaper roster against everyone else's cover; the capped one did not get there."""
    p = synthetic(staff=6, weeks=6, kinds=3, seed=seed)
    shifts_of = candidate_shifts(p)
    half = 20.0
    values, missing = by_labels(p, shifts_of, cap=2, half_weekend=half)
    assert missing == []
    capped, _ = descend(p, shifts_of, values, 2, deadline=float("inf"), half_weekend=half)
    exact, _ = descend(p, shifts_of, values, 2, deadline=float("inf"), half_weekend=half, by_days=True)
    assert evaluate(p, _pairs(p, exact)).violations == ()
    assert _best_alone_gains(p, shifts_of, exact, half) == []
    assert _best_alone_gains(p, shifts_of, capped, half) != []


def _best_alone_gains(p: Problem, shifts_of: list[list[int]], values: dict[tuple[int, int], int],
                      half: float, cap: int = EXACT_CAP) -> list[float]:
    """What each person would gain by the labelling's roster (exact, or with `cap` labels a
    day) against the others' cover."""
    gains = []
    for pi, mine in enumerate(shifts_of):
        staff = [0] * len(p.shifts)
        for (other, si), value in values.items():
            staff[si] += value and other != pi
        rewards = rewards_left(p, mine, staff)
        person = Person(p, pi, mine)
        best = person.best(rewards, cap, half_weekend=half)
        assert best is not None
        current = frozenset(si for si in mine if values.get((pi, si)))
        gain = person.cost_of(current, rewards, half) - best.cost
        if gain > 1e-6:
            gains.append(gain)
    return gains


@pytest.mark.slow
def test_a_150_people_52_week_instance_gets_a_legal_roster() -> None:
    """The largest size the Curtois & Qu format reaches, generated with a fixed seed;
    the cap (not the clock) bounds the work, so the result is the same on any machine."""
    p = synthetic(staff=150, weeks=52, kinds=8, seed=1)
    assert len(p.professionals) == 150 and p.horizon_days == 364
    values, missing = by_labels(p, candidate_shifts(p), cap=3)
    assert missing == []
    check = evaluate(p, _pairs(p, values))
    assert check.violations == ()
    assert check.breakdown["fill"] < sum(s.positions * s.under_weight for s in p.shifts)


def _pairs(p: Problem, values: dict[tuple[int, int], int]) -> list[tuple[str, str]]:
    return [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]


def test_solve_starts_from_the_labelling_when_cp_sat_finds_nothing() -> None:
    p = load(INSTANCE1)
    # A deterministic-time budget too small for CP-SAT to find any roster.
    result = solve(p, time_limit_s=5, workers=1, cp_params={"max_deterministic_time": 1e-9})
    assert result.stats["labelled_start"] == 1.0
    check = evaluate(p, result.assignments)
    assert result.status in ("feasible", "optimal")
    assert check.violations == ()
    assert check.objective == result.objective


def test_solve_uses_the_labelling_alone_on_problems_too_large_for_a_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from asta.scheduling.solver import core

    monkeypatch.setattr(core, "LABELS_ONLY_PAIRS", 0)
    p = load(INSTANCE1)
    result = solve(p, time_limit_s=2)
    check = evaluate(p, result.assignments)
    assert result.status == "feasible"
    assert result.stats["label_cap"] >= 2
    assert check.violations == ()
    assert check.objective == result.objective


@pytest.mark.parametrize("labels_only", [True, False])
def test_a_solve_counts_its_explanation_in_its_time(
    monkeypatch: pytest.MonkeyPatch, labels_only: bool
) -> None:
    """An explanation is part of the answer, so it is inside `time_s`, on the labelling's path
    as on CP-SAT's: here explaining moves the result's clock on by an hour."""
    import types

    from asta.scheduling.solver import core
    from asta.scheduling.solver import result as module

    hours = [0.0]
    real_clock, real_explain = module.time.monotonic, module.explain
    clock = types.SimpleNamespace(monotonic=lambda: real_clock() + 3600 * hours[0])

    def slow_explain(*args: object) -> object:
        hours[0] = 1.0
        return real_explain(*args)

    if labels_only:
        monkeypatch.setattr(core, "LABELS_ONLY_PAIRS", 0)
    monkeypatch.setattr(module, "time", clock)
    monkeypatch.setattr(module, "explain", slow_explain)
    result = solve(load(INSTANCE1), time_limit_s=2)
    assert result.explanation is not None
    assert result.time_s >= 3600


@pytest.mark.parametrize("explain_result", [True, False])
def test_a_solve_keeps_time_back_for_explaining_its_roster(
    monkeypatch: pytest.MonkeyPatch, explain_result: bool
) -> None:
    """So that an explained answer comes within the limit, the search ends early by the share
    kept for explaining, and only when there is an explanation to make; the explanation is
    told when the answer is due."""
    from asta.scheduling.solver import core

    searched: list[tuple[float, float | None]] = []
    real = core.solve_by_labels

    def spy(problem: object, deadline: float, started: float, seed: int, workers: int,
            explain_by: float | None) -> object:
        searched.append((deadline - started, None if explain_by is None else explain_by - started))
        return real(problem, deadline, started, seed, workers, explain_by)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "LABELS_ONLY_PAIRS", 0)
    monkeypatch.setattr(core, "solve_by_labels", spy)
    result = solve(load(INSTANCE1), time_limit_s=1, explain_result=explain_result)
    assert (result.explanation is not None) == explain_result
    expected = (1 - core.EXPLAIN_SHARE, 1.0) if explain_result else (1.0, None)
    assert searched == [pytest.approx(expected)]


def test_a_small_problem_keeps_back_only_what_its_explanation_needs() -> None:
    """The share of the limit is for large problems: Instance1 over a minute keeps back its
    explanation's least work, a quarter second, and 2,000 people on 2,000 shifts the share."""
    from asta.scheduling.solver import core

    small = load(INSTANCE1)
    assert core.explain_reserve(small, 60) == pytest.approx(core.EXPLAIN_S + 112 * core.EXPLAIN_S_PER_PAIR)
    assert core.explain_reserve(small, 60) < core.EXPLAIN_SHARE * 60
    large = problem([shift(f"s{i}", i // 10) for i in range(2_000)],
                    [Professional(f"p{i}") for i in range(2_000)])
    assert core.explain_reserve(large, 60) == pytest.approx(core.EXPLAIN_SHARE * 60)


def test_labelling_keeps_an_agreed_shift_even_when_another_pays_more() -> None:
    early = shift("E0", 0, 7, 8, kind="E", under_weight=1)
    late = shift("L0", 0, 14, 8, kind="L", under_weight=50)
    p = problem([early, late], [Professional("x")], fixed=frozenset({("x", "E0")}))
    roster = _labelled_roster(p)
    assert roster == [("x", "E0")]
    assert evaluate(p, roster).violations == ()


def _marketplace_problem(seed: int) -> Problem:
    """Asta's own kind of problem: start times, 11 h rest, availability, eligibility,
    weekly hours, units, home organisation, hourly cost and an hours target."""
    rng = random.Random(seed)
    shifts = []
    for day in range(14):
        for n, start in enumerate((7, 13, 21)):
            shifts.append(shift(f"s{day}-{n}", day, start, rng.choice([6, 8, 10]), kind=f"k{n}",
                                unit=rng.choice(["u1", "u2"]), organisation=rng.choice(["a", "b"]),
                                positions=rng.randint(0, 2), under_weight=rng.choice([10, 40])))
    windows = tuple(sorted((d * DAY, d * DAY + rng.choice([14, 24]) * HOUR)
                           for d in rng.sample(range(14), 10)))
    person = Professional(
        "x",
        eligible=frozenset(s.id for s in shifts if rng.random() < 0.8),
        availability=windows,
        max_week_minutes=rng.choice([24, 40]) * HOUR,
        max_consecutive_days=rng.choice([3, 5]),
        preferred_units=frozenset({"u1"}),
        home_organisation="a",
        hourly_cost=rng.choice([0, 3000]),
        wants_minutes=rng.choice([20, 40]) * HOUR,
    )
    weights = Weights(fill=10, requests=5, preferred_unit=3, fairness=2, own_pool=4, cost=1)
    return problem(shifts, [person], Rules(min_rest_minutes=11 * HOUR), weights)


@pytest.mark.parametrize("seed", range(3))
def test_labelling_equals_cp_sat_on_a_marketplace_person(seed: int) -> None:
    p = _marketplace_problem(seed)
    optimum = solve(p, time_limit_s=120, lns=False, workers=1, cp_params=DETERMINISTIC)
    labelled = evaluate(p, _labelled_roster(p))
    assert optimum.status == "optimal"
    assert labelled.violations == ()
    assert labelled.objective == optimum.objective


def test_labelling_equals_cp_sat_with_binding_kind_and_weekend_limits() -> None:
    """Per-kind and weekend counts are where labels dominate one another."""
    rng = random.Random(11)
    shifts = [shift(f"{k}{d}", d, 8 if k == "D" else 20, 8, kind=k, positions=1,
                    under_weight=rng.choice([5, 20]))
              for d in range(21) for k in ("D", "N")]
    people = [Professional(f"p{i}", max_shifts_per_kind={"N": 2 + i, "D": 6 - i},
                           max_weekends=1 + i % 2, max_consecutive_days=4,
                           min_consecutive_days=2, min_minutes=40 * HOUR,
                           shift_off_requests=(Request(rng.randrange(21), "D", 30),))
              for i in range(3)]
    whole = problem(shifts, people, Rules(forbidden_successions=frozenset({("N", "D")})))
    for pi in range(len(people)):
        p = _alone(whole, pi)
        optimum = solve(p, time_limit_s=120, lns=False, workers=1, cp_params=DETERMINISTIC)
        roster = _labelled_roster(p)
        labelled = evaluate(p, roster)
        assert optimum.status == "optimal"
        assert labelled.violations == ()
        assert labelled.objective == optimum.objective
        assert len(roster) >= 5


def test_the_labelling_pricer_finds_cp_sat_pricings_minimum() -> None:
    p = random_problem(2)
    m = Model.build(p)
    rng = random.Random(3)
    duals = [rng.uniform(0, 60) for _ in p.shifts]
    for pi in range(3):
        cp_columns, cp_low = Pricer(p, pi, m.shifts_of[pi]).price(duals, 5.0, 60, 0)
        columns, low = LabelPricer(p, pi, m.shifts_of[pi]).price(duals, 5.0, 60, 0)
        assert cp_low is not None and low is not None and cp_columns
        # CP-SAT's bound sits up to twice its rounding slack below the true minimum.
        slack = 0.5 * len(m.shifts_of[pi]) / SCALE
        assert cp_low - 1e-6 <= low <= cp_low + 2 * slack + 1e-6
        assert columns[0].reduced_cost(duals, [5.0] * len(p.professionals)) == pytest.approx(low)


def test_a_start_for_column_generation_is_the_construction_without_descent() -> None:
    p = load(INSTANCE1)
    m = Model.build(p)
    plain = labelled(m, float("inf"), descent=False)
    found, missing = by_labels(
        p, m.shifts_of, cap_for(p), half_weekend=half_weekend_charge(p),
        minute_prices=minute_prices(p, m.shifts_of),
    )
    assert missing == [] and plain == {**dict.fromkeys(m.x, 0), **found}
    descended = labelled(m, float("inf"))
    assert plain is not None and descended is not None
    after = evaluate(p, _pairs(p, descended))
    assert after.violations == ()
    assert after.objective < evaluate(p, _pairs(p, plain)).objective


def test_a_capped_labelling_saves_its_minutes_for_the_rewards_later() -> None:
    """Ten shifts' minutes, rewards of 1 in the first fortnight and 100 in the second:
    a beam ranked by the run bound alone spends the minutes early (every label that
    works now looks cheaper); the shift-count bound on the minutes left keeps a label
    that waits, so even two labels a day find the optimum."""
    p = problem(
        daily(28),
        [Professional("P", max_minutes=10 * 8 * HOUR, max_consecutive_days=5)],
    )
    mine = candidate_shifts(p)[0]
    rewards: dict[int, float | None] = {si: 1.0 if p.shifts[si].day < 14 else 100.0 for si in mine}
    person = Person(p, 0, mine)
    exact = person.best(rewards)
    capped = person.best(rewards, cap=2)
    assert exact is not None and capped is not None
    assert exact.cost == -1000.0
    assert capped.cost == exact.cost


def test_a_capped_labelling_saves_its_weekends_for_the_rewards_later() -> None:
    """Two weekends allowed in six, weekend rewards of 1 in the first three weeks and
    100 in the last three: a beam ranked by the run and minutes bounds alone works the
    early weekends (nothing tells it they are scarce: -17.5 against the optimum's -414);
    the weekend bound keeps labels that wait, so two labels a day work both late
    weekends and end within a weekday's reward of the optimum."""
    p = problem(daily(42), [Professional("P", max_weekends=2, max_consecutive_days=5)])
    mine = candidate_shifts(p)[0]
    rewards: dict[int, float | None] = {
        si: (1.0 if p.shifts[si].day < 21 else 100.0) if p.shifts[si].day % 7 >= 5 else 0.5
        for si in mine
    }
    person = Person(p, 0, mine)
    exact = person.best(rewards)
    capped = person.best(rewards, cap=2)
    assert exact is not None and capped is not None
    assert exact.cost == -414.0
    assert capped.cost <= exact.cost + 1.0
    assert sum(1 for si in capped.shifts if p.shifts[si].day >= 21 and p.shifts[si].day % 7 >= 5) == 4


def _half_weekends(p: Problem, shifts: frozenset[int]) -> int:
    return len(half_weekends(p, dict.fromkeys(((0, si) for si in shifts), 1)))


@pytest.mark.parametrize("max_weekends", [2, None])
def test_a_half_weekend_charge_pairs_weekends_where_the_weekend_limit_binds(
        max_weekends: int | None) -> None:
    """Six days in a row at most, weekdays worth 5, Saturdays 10, Sundays 1: Monday to
    Saturday (35) beats Tuesday to Sunday (31), so two allowed weekends go one day each.
    Charged 10 a half weekend, the person works both days of their two weekends instead;
    without a weekend limit the charge changes nothing (no weekend is spent in vain)."""
    p = problem(daily(28), [Professional("P", max_weekends=max_weekends, max_consecutive_days=6)])
    mine = candidate_shifts(p)[0]
    reward = {5: 10.0, 6: 1.0}
    rewards: dict[int, float | None] = {si: reward.get(p.shifts[si].day % 7, 5.0) for si in mine}
    person = Person(p, 0, mine)
    plain = person.best(rewards)
    charged = person.best(rewards, half_weekend=10.0)
    assert plain is not None and charged is not None
    if max_weekends is None:
        assert charged == plain
        return
    assert _half_weekends(p, plain.shifts) == 2
    assert _half_weekends(p, charged.shifts) == 0
    assert sum(p.shifts[si].day % 7 >= 5 for si in charged.shifts) == 4
    # The descent compares a person's rosters by `cost_of`: it must charge as `best` does.
    assert person.cost_of(charged.shifts, rewards, 10.0) == charged.cost
    assert person.cost_of(plain.shifts, rewards, 10.0) == plain.cost + 2 * 10.0


def test_half_weekends_are_charged_only_where_weekends_are_scarce() -> None:
    """Two weekends, one position a day: one weekend each for two people gives exactly
    the four weekend shifts needed (charged); without a weekend limit there is slack."""
    scarce = problem(daily(14, under_weight=7), [Professional(n, max_weekends=1) for n in "AB"])
    assert half_weekend_charge(scarce) == HALF_WEEKEND_SHARE * scarce.weights.fill * 7
    slack = problem(daily(14, under_weight=7), [Professional(n) for n in "AB"])
    assert half_weekend_charge(slack) == 0.0
