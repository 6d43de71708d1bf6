"""One test per rule: a tiny problem whose optimum is known by hand."""

from __future__ import annotations

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Professional, Request, Rules, Weights
from tests.unit.scheduling.factories import DAY, daily, problem, shift, shifts_of, solved


def test_shift_cover_penalises_each_missing_position_by_its_weight() -> None:
    p = problem([shift("a", 0, positions=3, under_weight=7)], [Professional("x")])
    result = solved(p)
    assert result.objective == 2 * 7
    assert result.breakdown["fill"] == 14


def test_shift_cover_penalises_over_cover_where_allowed() -> None:
    # Two people must each work one shift (min minutes), only one position.
    people = [Professional(pid, min_minutes=480) for pid in ("x", "y")]
    p = problem([shift("a", 0, positions=1, max_staff=2, over_weight=5)], people)
    result = solved(p)
    assert result.breakdown["over_cover"] == 5
    assert len(result.assignments) == 2


def test_shift_cover_never_exceeds_capacity() -> None:
    people = [Professional(pid) for pid in "xyz"]
    result = solved(problem([shift("a", 0, positions=2)], people))
    assert len(result.assignments) == 2
    assert result.objective == 0


def test_one_shift_per_day() -> None:
    shifts = [shift("am", 0, 6, 4, under_weight=3), shift("pm", 0, 14, 4, under_weight=5)]
    result = solved(problem(shifts, [Professional("x")]))
    assert shifts_of(result, "x") == {"pm"}
    assert result.objective == 3


def test_one_shift_per_day_can_be_switched_off() -> None:
    shifts = [shift("am", 0, 6, 4), shift("pm", 0, 14, 4)]
    rules = Rules(one_shift_per_day=False)
    result = solved(problem(shifts, [Professional("x")], rules))
    assert shifts_of(result, "x") == {"am", "pm"}


def test_min_rest_between_shifts() -> None:
    # Evening 14-22 then 07-15 next day leaves 9 h; 11 h are required.
    shifts = [shift("eve", 0, 14, 8, under_weight=2), shift("morn", 1, 7, 8, under_weight=3)]
    rules = Rules(min_rest_minutes=11 * 60)
    result = solved(problem(shifts, [Professional("x")], rules))
    assert shifts_of(result, "x") == {"morn"}
    assert result.objective == 2


def test_min_rest_also_forbids_overlap_across_midnight() -> None:
    shifts = [shift("night", 0, 20, 12, under_weight=4), shift("early", 1, 6, 4, under_weight=1)]
    result = solved(problem(shifts, [Professional("x")], Rules(min_rest_minutes=0)))
    assert shifts_of(result, "x") == {"night"}
    assert result.objective == 1


def test_forbidden_successions() -> None:
    shifts = [shift("n0", 0, kind="N", under_weight=2), shift("e1", 1, kind="E", under_weight=3)]
    rules = Rules(forbidden_successions=frozenset({("N", "E")}))
    result = solved(problem(shifts, [Professional("x")], rules))
    assert shifts_of(result, "x") == {"e1"}
    assert result.objective == 2


def test_max_shifts_per_kind() -> None:
    x = Professional("x", max_shifts_per_kind={"N": 2})
    result = solved(problem(daily(4, kind="N"), [x]))
    assert len(shifts_of(result, "x")) == 2
    assert result.objective == 2


def test_period_minute_limits_maximum() -> None:
    x = Professional("x", max_minutes=2 * 480)
    result = solved(problem(daily(3), [x]))
    assert len(shifts_of(result, "x")) == 2
    assert result.breakdown["fill"] == 1


def test_period_minute_limits_minimum_forces_over_cover() -> None:
    x = Professional("x", min_minutes=3 * 480)
    shifts = [shift(f"d{d}", d, positions=1 if d == 0 else 0, max_staff=1, over_weight=4)
              for d in range(3)]
    result = solved(problem(shifts, [x]))
    assert len(shifts_of(result, "x")) == 3
    assert result.breakdown["over_cover"] == 8


def test_weekly_hour_limit() -> None:
    x = Professional("x", max_week_minutes=3 * 480)
    result = solved(problem(daily(14), [x]))
    mine = shifts_of(result, "x")
    assert sum(1 for s in mine if int(s[1:]) < 7) == 3
    assert sum(1 for s in mine if int(s[1:]) >= 7) == 3
    assert result.breakdown["fill"] == 8


def test_max_consecutive_days() -> None:
    x = Professional("x", max_consecutive_days=3)
    result = solved(problem(daily(7), [x]))
    assert len(shifts_of(result, "x")) == 6
    assert "D3" not in shifts_of(result, "x")
    assert result.objective == 1


def test_min_consecutive_days_inside_the_period() -> None:
    # Only day 3 of 7 is needed; a lone day is not allowed, so the cheapest
    # legal run is 3 days (two extra staff-days of over-cover).
    x = Professional("x", min_consecutive_days=3)
    shifts = [shift(f"D{d}", d, positions=int(d == 3), under_weight=10, max_staff=1, over_weight=1)
              for d in range(7)]
    result = solved(problem(shifts, [x]))
    assert "D3" in shifts_of(result, "x")
    assert result.objective == 2


def test_min_consecutive_days_exempts_runs_touching_the_edge() -> None:
    x = Professional("x", min_consecutive_days=3)
    shifts = [shift(f"D{d}", d, positions=int(d == 0), max_staff=1, over_weight=1)
              for d in range(5)]
    result = solved(problem(shifts, [x]))
    assert shifts_of(result, "x") == {"D0"}
    assert result.objective == 0


def test_min_consecutive_days_off() -> None:
    # Work wanted on days 0-1 and 3-4; a single day off between is too short.
    x = Professional("x", min_consecutive_days_off=2)
    shifts = [shift(f"D{d}", d, positions=int(d != 2), under_weight=5) for d in range(5)]
    p = problem(shifts, [x])
    result = solved(p)
    assert result.objective == 5
    bad = evaluate(p, [("x", f"D{d}") for d in (0, 1, 3, 4)])
    assert [v.rule for v in bad.violations] == ["min_consecutive_days_off"]


def test_max_working_weekends() -> None:
    # Three weekends, Saturday shifts only; at most one weekend may be worked.
    x = Professional("x", max_weekends=1)
    shifts = [shift(f"S{w}", 7 * w + 5, under_weight=w + 1) for w in range(3)]
    result = solved(problem(shifts, [x]))
    assert shifts_of(result, "x") == {"S2"}
    assert result.objective == 1 + 2


def test_weekend_counts_once_when_both_days_are_worked() -> None:
    x = Professional("x", max_weekends=1)
    shifts = [shift("sat", 5), shift("sun", 6)]
    result = solved(problem(shifts, [x]))
    assert shifts_of(result, "x") == {"sat", "sun"}


def test_fixed_days_off() -> None:
    x = Professional("x", days_off=frozenset({1}))
    result = solved(problem(daily(3, under_weight=2), [x]))
    assert shifts_of(result, "x") == {"D0", "D2"}
    assert result.objective == 2


def test_shift_on_requests() -> None:
    x = Professional("x", shift_on_requests=(Request(0, "E", 6), Request(1, None, 2)))
    # Only a day shift on day 0: the early-shift wish cannot be met.
    shifts = [shift("d0", 0, kind="D", positions=0, max_staff=1),
              shift("d1", 1, kind="D", positions=0, max_staff=1)]
    result = solved(problem(shifts, [x]))
    assert "d1" in shifts_of(result, "x")
    assert result.breakdown["requests"] == 6


def test_shift_off_requests() -> None:
    x = Professional("x", shift_off_requests=(Request(0, "D", 4),))
    y = Professional("y", shift_off_requests=(Request(0, "D", 9),))
    result = solved(problem([shift("d0", 0, kind="D", under_weight=100)], [x, y]))
    assert shifts_of(result, "x") == {"d0"}
    assert result.breakdown["requests"] == 4


def test_preferred_units() -> None:
    x = Professional("x", preferred_units=frozenset({"er"}))
    shifts = [shift("ward", 0, unit="ward", positions=0, max_staff=1),
              shift("er", 1, unit="er", positions=0, max_staff=1)]
    people = [x, Professional("y", min_minutes=480, eligible=frozenset({"ward"}))]
    w = Weights(preferred_unit=3)
    # y must work the ward shift; x takes nothing, no penalty.
    result = solved(problem(shifts, people, weights=w))
    assert result.breakdown["preferred_unit"] == 0
    forced = problem(shifts, [Professional("x", preferred_units=frozenset({"er"}),
                                           min_minutes=2 * 480)], weights=w)
    assert solved(forced).breakdown["preferred_unit"] == 3


def test_series_continuity() -> None:
    # Two people, each may work only two of the four series shifts per period.
    shifts = [shift(f"s{d}", d, series="mon-thu", under_weight=10) for d in range(4)]
    people = [Professional(pid, max_minutes=2 * 480) for pid in "xy"]
    result = solved(problem(shifts, people, weights=Weights(continuity=7)))
    assert result.breakdown["continuity"] == 7
    one = solved(problem(shifts[:2], people, weights=Weights(continuity=7)))
    assert one.breakdown["continuity"] == 0
    assert len({p for p, _ in one.assignments}) == 1


def test_fair_hours() -> None:
    # Four 8 h shifts; x wants 24 h and y 8 h: the fair split is 3 + 1.
    people = [Professional("x", wants_minutes=24 * 60), Professional("y", wants_minutes=8 * 60)]
    result = solved(problem(daily(4), people, weights=Weights(fairness=1)))
    assert len(shifts_of(result, "x")) == 3
    assert result.breakdown["fairness"] == 0
    skewed = [Professional("x", wants_minutes=4 * 60), Professional("y", wants_minutes=4 * 60)]
    # 32 h given where 8 h were wanted: 24 h of deviation in whole hours at best.
    filled = problem(daily(4, under_weight=100), skewed, weights=Weights(fairness=1))
    assert solved(filled).objective == 24


def test_own_pool_and_cost() -> None:
    people = [
        Professional("own", home_organisation="A", hourly_cost=6000),
        Professional("other", home_organisation="B", hourly_cost=3000),
    ]
    s = [shift("a", 0, organisation="A", under_weight=10_000)]
    pool = solved(problem(s, people, weights=Weights(own_pool=300, cost=1)))
    assert shifts_of(pool, "own") == {"a"}
    assert pool.breakdown["cost"] == 480  # 60 EUR/h * 8 h
    cheap = solved(problem(s, people, weights=Weights(own_pool=1, cost=1)))
    assert shifts_of(cheap, "other") == {"a"}
    assert cheap.objective == 240 + 1


def test_fixed_assignments_are_kept() -> None:
    people = [Professional("x", shift_off_requests=(Request(0, None, 50),)), Professional("y")]
    p = problem([shift("a", 0)], people, fixed=frozenset({("x", "a")}))
    result = solved(p)
    assert shifts_of(result, "x") == {"a"}
    assert result.breakdown["requests"] == 50


def test_availability_windows() -> None:
    x = Professional("x", availability=((0, DAY),))
    result = solved(problem(daily(2, under_weight=3), [x]))
    assert shifts_of(result, "x") == {"D0"}
    assert result.objective == 3


def test_eligibility() -> None:
    x = Professional("x", eligible=frozenset({"D1"}))
    result = solved(problem(daily(2), [x]))
    assert shifts_of(result, "x") == {"D1"}
