"""The evaluator catches each broken rule on a hand-made roster."""

from __future__ import annotations

import pytest

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Professional, Request, Rules, Weights
from tests.unit.scheduling.factories import DAY, daily, problem, shift


def rules_broken(p: object, roster: list[tuple[str, str]]) -> list[str]:
    return sorted({v.rule for v in evaluate(p, roster).violations})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("person", "roster", "rule"),
    [
        (Professional("x", eligible=frozenset({"D0"})), ["D1"], "eligibility"),
        (Professional("x", availability=((0, DAY),)), ["D1"], "availability"),
        (Professional("x", days_off=frozenset({1})), ["D1"], "fixed_days_off"),
        (Professional("x", max_shifts_per_kind={"D": 1}), ["D0", "D1"], "max_shifts_per_kind"),
        (Professional("x", max_minutes=480), ["D0", "D1"], "period_minute_limits"),
        (Professional("x", min_minutes=3 * 480), ["D0", "D1"], "period_minute_limits"),
        (Professional("x", max_week_minutes=480), ["D0", "D1"], "weekly_hour_limit"),
        (Professional("x", max_consecutive_days=2), ["D0", "D1", "D2"], "max_consecutive_days"),
        (Professional("x", min_consecutive_days=2), ["D1", "D3", "D4"], "min_consecutive_days"),
        (Professional("x", min_consecutive_days_off=2), ["D0", "D2", "D3"],
         "min_consecutive_days_off"),
        (Professional("x", max_weekends=1), ["D5", "D13"], "max_working_weekends"),
    ],
)
def test_each_personal_rule_is_detected(person: Professional, roster: list[str], rule: str) -> None:
    p = problem(daily(14), [person])
    assert rules_broken(p, [("x", s) for s in roster]) == [rule]


def test_min_consecutive_days_lone_day_is_legal_at_the_edges() -> None:
    p = problem(daily(7), [Professional("x", min_consecutive_days=3)])
    assert rules_broken(p, [("x", "D0"), ("x", "D6")]) == []


def test_shared_rules_are_detected() -> None:
    shifts = [shift("eve", 0, 14, 8, kind="L"), shift("morn", 1, 6, 8, kind="E"),
              shift("am", 1, 15, 2)]
    rules = Rules(min_rest_minutes=11 * 60, forbidden_successions=frozenset({("L", "E")}))
    p = problem(shifts, [Professional("x"), Professional("y")], rules)
    broken = rules_broken(p, [("x", "eve"), ("x", "morn"), ("x", "am"), ("y", "eve")])
    assert broken == [
        "forbidden_successions",
        "min_rest_between_shifts",
        "one_shift_per_day",
        "shift_cover",
    ]


def test_objective_breakdown_by_goal() -> None:
    people = [
        Professional("x", shift_on_requests=(Request(1, None, 4),), home_organisation="B",
                     preferred_units=frozenset({"u2"}), wants_minutes=600, hourly_cost=3000),
    ]
    shifts = [shift("a", 0, organisation="A", unit="u1", positions=2, under_weight=10,
                    series="s"),
              shift("b", 2, organisation="A", unit="u1", max_staff=2, over_weight=3)]
    w = Weights(fill=2, over_cover=1, requests=1, preferred_unit=5, continuity=1, fairness=1,
                own_pool=7, cost=1)
    result = evaluate(problem(shifts, people, weights=w), [("x", "a")])
    assert result.breakdown == {
        "fill": 2 * 10 + 2 * 1,
        "over_cover": 0,
        "requests": 4,
        "preferred_unit": 5,
        "continuity": 0,
        "fairness": 2,  # wanted 10 h, got 8 h
        "own_pool": 7,
        "cost": 240,
    }
    assert result.objective == sum(result.breakdown.values())
    assert result.unfilled == {"a": 1, "b": 1}


def test_unknown_and_duplicate_and_dropped_fixed() -> None:
    p = problem(daily(2), [Professional("x")], fixed=frozenset({("x", "D1")}))
    broken = rules_broken(p, [("x", "D0"), ("x", "D0"), ("nobody", "D0")])
    assert broken == ["duplicate", "fixed_assignments", "unknown_id"]
