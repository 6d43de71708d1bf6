"""The LP bound with series continuity (`series_master`, `series_bound`)."""

from __future__ import annotations

import math
import os
import random
import time

import pytest

from asta.scheduling.evaluator import person_cost
from asta.scheduling.problem import Problem, Professional, Request, Rules, Weights
from asta.scheduling.solver import series_bound as series_bound_module
from asta.scheduling.solver import series_master
from asta.scheduling.solver.built import build
from asta.scheduling.solver.colgen import separable
from asta.scheduling.solver.label_pricing import LabelPricer
from asta.scheduling.solver.master import Column, Master, MasterNotSolved, priced_column
from asta.scheduling.solver.pricing_pool import People, Priced, Prices
from asta.scheduling.solver.series_bound import series_bound, start_columns
from asta.scheduling.solver.series_master import HIGHS_FROM, SeriesMaster
from asta.scheduling.solver.series_pricing import price_with_series
from tests.unit.scheduling.factories import DAY, HOUR, problem, shift, solved

# CP-SAT's deterministic time: the same proof of optimality on any machine at any load.
PROVE = {"max_deterministic_time": 30.0, "num_workers": 1}


def matching_like(seed: int) -> Problem:
    """A week of a ward's recurring shifts for a handful of gig workers, as Asta builds it."""
    rng = random.Random(seed)
    shifts = []
    for d in range(7):
        for unit in ("a", "b"):
            for kind, start_h, hours in (("morning", 7, 8), ("evening", 14, 8), ("night", 21, 10)):
                if rng.random() < 0.6:
                    shifts.append(shift(f"{unit}{kind}{d}", d, start_h, hours, kind=kind, unit=unit,
                                        positions=rng.choice([1, 1, 2]), under_weight=100,
                                        series=f"{unit}:{kind}"))
    people = []
    for i in range(5):
        free = sorted(rng.sample(range(7), rng.randint(3, 6)))
        people.append(Professional(
            f"p{i}",
            eligible=frozenset(s.id for s in shifts if rng.random() < 0.7),
            availability=tuple((d * DAY, (d + 1) * DAY + 9 * HOUR) for d in free),
            max_week_minutes=rng.choice([24, 40]) * HOUR,
            shift_off_requests=(Request(rng.randrange(7), None, 1),),
            preferred_units=frozenset({rng.choice("ab")}),
        ))
    weights = Weights(fill=1, requests=1, preferred_unit=2, continuity=30)
    return problem(shifts, people, Rules(min_rest_minutes=11 * HOUR), weights, days=7)


def _bound(p: Problem, by_labels: bool | None = None) -> tuple[int | None, bool, dict[str, float]]:
    m = build(p).model
    outcome = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 1, 0, by_labels)
    return outcome.bound, outcome.integral, outcome.stats


def _optimum(p: Problem) -> int:
    result = solved(p, time_limit_s=120, lns=False, cp_params=PROVE)
    assert result.status == "optimal" and result.objective is not None
    return result.objective


@pytest.mark.parametrize(("seed", "by_labels"), [(1, None), (2, None), (4, False), (5, None)])
def test_the_bound_is_never_above_the_proven_optimum(seed: int, by_labels: bool | None) -> None:
    p = matching_like(seed)
    assert not separable(p)
    optimum = _optimum(p)
    bound, _, stats = _bound(p, by_labels)
    assert stats["series_bound_converged"] == 1.0
    assert bound is not None and bound <= optimum
    # Not far below either: the rosters' own rules make the LP tight (measured within 1 %).
    assert bound >= 0.98 * optimum


@pytest.mark.parametrize("seed", [1, 2])
def test_from_a_roster_the_bound_is_never_above_the_proven_optimum(seed: int) -> None:
    p = matching_like(seed)
    result = solved(p, time_limit_s=120, lns=False, cp_params=PROVE)
    assert result.status == "optimal" and result.objective is not None
    m = build(p).model
    person = {q.id: pi for pi, q in enumerate(p.professionals)}
    shift_index = {s.id: si for si, s in enumerate(p.shifts)}
    start = {(person[pid], shift_index[sid]): 1 for pid, sid in result.assignments}
    outcome = series_bound(p, m.shifts_of, start, time.monotonic() + 60, 1, 0)
    assert outcome.stats["series_bound_converged"] == 1.0
    assert outcome.bound is not None and 0.98 * result.objective <= outcome.bound <= result.objective


def test_a_start_roster_brings_the_legal_rosters_it_leaves_by_dropping_shifts() -> None:
    # x must work d0 (agreed) and works d0-d2; a lone working day mid-horizon is illegal.
    shifts = [shift(f"d{d}", d) for d in range(4)]
    people = [Professional("x", min_consecutive_days=2), Professional("y")]
    p = problem(shifts, people, fixed=frozenset({("x", "d0")}), days=4)
    columns = start_columns(p, {(0, 0): 1, (0, 1): 1, (0, 2): 1})
    rosters = {(c.person, frozenset(p.shifts[si].id for si in c.shifts)) for c in columns}
    # Not d1-d2 (drops the agreed d0), not d0 and d2 (d2 alone); d0 alone touches the start.
    assert rosters == {(0, frozenset({"d0", "d1", "d2"})), (0, frozenset({"d0", "d1"})),
                       (0, frozenset({"d0"})), (1, frozenset())}
    for c in columns:
        worked = [p.shifts[si] for si in sorted(c.shifts)]
        assert c.cost == person_cost(p, p.professionals[c.person], worked)


@pytest.mark.parametrize("seed", [0, 3])
def test_an_integral_lp_proves_the_optimum(seed: int) -> None:
    p = matching_like(seed)
    bound, integral, _ = _bound(p)
    assert integral
    assert bound == _optimum(p)


def test_where_the_lp_is_integral_the_bound_is_the_optimum() -> None:
    # Nobody can work both days of the series: two people, one continuity penalty of 30.
    shifts = [shift("d0", 0, series="s"), shift("d1", 1, series="s")]
    people = [
        Professional("x", availability=((0, DAY),)),
        Professional("y", availability=((DAY, 2 * DAY),)),
    ]
    p = problem(shifts, people, weights=Weights(fill=100, continuity=30))
    result = solved(p, time_limit_s=30, lns=False, cp_params=PROVE)
    assert result.objective == 30
    bound, integral, _ = _bound(p)
    assert integral
    assert bound == 30


def test_the_series_rows_charge_each_extra_person_once() -> None:
    # Two people each work one shift of the series: the LP charges one extra person.
    shifts = [shift("d0", 0, series="s"), shift("d1", 1, series="s")]
    p = problem(shifts, [Professional("x"), Professional("y")],
                weights=Weights(fill=100, continuity=30))
    m = build(p).model
    master = SeriesMaster(p, m.staff_of)
    master.add(Column(0, frozenset({0}), 0))
    master.add(Column(1, frozenset({1}), 0))
    solution = master.solve()
    assert solution.value == pytest.approx(30.0)
    master.add(Column(0, frozenset({0, 1}), 0))
    master.add(Column(1, frozenset(), 0))
    solution = master.solve()
    assert solution.value == pytest.approx(0.0)
    assert master.integral(solution)


def _one_person_over_six_days(series: list[int], seed: int) -> tuple[
        LabelPricer, dict[int, list[int]], list[float], dict[int, float], float]:
    """One person free of rules, shift d on day d in series `series[d]`: every subset is a
    roster, so the least reduced cost (returned last) is known by trying them all."""
    rng = random.Random(seed)
    shifts = [shift(f"d{d}", d, series=f"s{k}") for d, k in enumerate(series)]
    p = problem(shifts, [Professional("x", shift_off_requests=(Request(0, None, 3),))],
                weights=Weights(continuity=30))
    pricer = LabelPricer(p, 0, list(range(6)))
    by_series: dict[int, list[int]] = {}
    for d, k in enumerate(series):
        by_series.setdefault(k, []).append(d)
    duals = [rng.uniform(-5, 40) for _ in shifts]
    sigma = {k: rng.uniform(0, 30) for k in by_series}

    def reduced(chosen: frozenset[int]) -> float:
        touched = {series[si] for si in chosen}
        return (pricer.column(chosen).cost - sum(duals[si] for si in chosen)
                + sum(sigma[k] for k in touched))

    rosters = [frozenset(si for si in range(6) if mask >> si & 1) for mask in range(64)]
    return pricer, by_series, duals, sigma, min(reduced(r) for r in rosters)


SERIES = {"pairs": [0, 1, 2, 0, 1, 2], "one, two and three": [0, 1, 1, 2, 2, 2]}


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("series", SERIES.values(), ids=SERIES.keys())
def test_pricing_pays_each_touched_series_once_and_finds_the_least(seed: int, series: list[int]) -> None:
    pricer, by_series, duals, sigma, least = _one_person_over_six_days(series, seed)
    columns, low = price_with_series(pricer, by_series, duals, sigma, 0.0, 5.0, 0)
    assert low == pytest.approx(least)
    assert min(
        c.cost - sum(duals[si] for si in c.shifts) + sum(sigma[k] for k in {series[si] for si in c.shifts})
        for c in columns
    ) == pytest.approx(least)


@pytest.mark.parametrize("seed", range(5))
def test_a_series_of_one_shift_is_charged_exactly_in_one_pricing(seed: int) -> None:
    # Its share is its whole charge: nothing to branch on.
    pricer, by_series, duals, sigma, least = _one_person_over_six_days(list(range(6)), seed)
    _, low = price_with_series(pricer, by_series, duals, sigma, 0.0, 5.0, 0, max_pricings=1)
    assert low == pytest.approx(least)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("pricings", [1, 2, 3])
def test_pricing_cut_short_still_bounds_the_least(seed: int, pricings: int) -> None:
    pricer, by_series, duals, sigma, least = _one_person_over_six_days([0, 0, 0, 1, 1, 2], seed)
    _, low = price_with_series(pricer, by_series, duals, sigma, 0.0, 5.0, 0, max_pricings=pricings)
    assert low is not None and low <= least + 1e-9


def _master_with_single_shift_rosters(p: Problem) -> SeriesMaster:
    m = build(p).model
    master = SeriesMaster(p, m.staff_of)
    for pi, mine in enumerate(m.shifts_of):
        master.add(priced_column(p, pi, frozenset()))
        for si in mine:
            master.add(priced_column(p, pi, frozenset({si})))
    return master


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("highs_from", [0, HIGHS_FROM])
def test_the_master_solved_afresh_agrees_with_glop_kept_and_its_duals_are_feasible(
    seed: int, highs_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small masters go to GLOP afresh; from 0 variables up, all go to HiGHS.
    monkeypatch.setattr(series_master, "HIGHS_FROM", highs_from)
    master = _master_with_single_shift_rosters(matching_like(seed))
    solution = master.solve()
    assert solution.value == pytest.approx(Master.solve(master).value)
    # Duals read by row index: at the optimum no column prices below zero, and some at zero.
    sigmas = master.sigmas()
    reduced = [master.reduced_cost(c, solution.duals, solution.mu, sigmas[c.person])
               for c in master.columns]
    assert min(reduced) == pytest.approx(0.0, abs=1e-6)


def test_a_master_out_of_time_gives_no_duals() -> None:
    master = _master_with_single_shift_rosters(matching_like(0))
    with pytest.raises(MasterNotSolved):
        master.solve(time.monotonic() - 1.0)


def test_out_of_time_the_bound_is_unknown_rather_than_late() -> None:
    p = matching_like(0)
    m = build(p).model
    outcome = series_bound(p, m.shifts_of, None, time.monotonic() - 1.0)
    assert outcome.bound is None


def test_solve_reports_the_lp_bound_where_cp_sat_proves_less() -> None:
    # CP-SAT's first phase gets too little work to prove anything; the LP proves the optimum.
    p = matching_like(1)
    result = solved(p, time_limit_s=10, cp_params={"max_deterministic_time": 0.01})
    assert result.stats["series_lp_bound"] == 1296
    assert result.best_bound == 1296
    assert result.objective is not None and result.objective >= 1296


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_pricing_cut_short_prices_again_deeper_rather_than_stopping(seed: int) -> None:
    p = matching_like(seed)
    m = build(p).model
    full = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 1, 0)
    # One pricing a person: branching over their series stops at its first roster.
    cut = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 1, 0, max_pricings=1)
    assert cut.stats["series_bound_converged"] == 1.0
    assert cut.bound == full.bound


@pytest.mark.parametrize("seed", [1, 2])
def test_pricing_in_processes_proves_the_same_bound_as_in_threads(seed: int) -> None:
    p = matching_like(seed)
    m = build(p).model
    threads = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 2, 0, processes=False)
    processes = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 2, 0, processes=True)
    assert processes.stats["series_bound_converged"] == 1.0
    assert (processes.bound, processes.lp) == (threads.bound, pytest.approx(threads.lp))
    assert processes.stats["series_bound_columns"] == threads.stats["series_bound_columns"]
    # Each process's own peak, not its parent's (a few tens of MB for this problem).
    assert "pricing_process_peak_mb" not in threads.stats
    assert 10 < processes.stats["pricing_process_peak_mb"] < 1_000


class _PeopleWhoseProcessDies(People):
    """Pricing that kills its process from the third round on (each round's seed is one up):
    the first prices at zero, the second at the first LP's prices."""

    def price(self, pi: int, prices: Prices) -> Priced:
        if prices.seed >= 3:
            os._exit(1)
        return super().price(pi, prices)


def test_a_pricing_process_that_dies_leaves_the_bound_proven_before(monkeypatch: pytest.MonkeyPatch) -> None:
    p = matching_like(1)
    m = build(p).model
    full = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 2, 0, processes=True)
    assert full.stats["series_bound_rounds"] > 3
    rounds: list[float | None] = []
    monkeypatch.setattr(series_bound_module, "People", _PeopleWhoseProcessDies)
    cut = series_bound(p, m.shifts_of, None, time.monotonic() + 60, 2, 0, processes=True,
                       on_round=lambda _, __, best: rounds.append(best))
    assert len(rounds) == 1 and rounds[-1] is not None
    assert cut.bound == math.ceil(rounds[-1] - 1e-6 * abs(rounds[-1]))
    assert full.bound is not None and cut.bound <= full.bound
    assert cut.stats["series_bound_converged"] == 0.0

