"""A test per unfilled-position reason, and the reasons given for assignments."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from asta.scheduling._model import candidate_shifts
from asta.scheduling.evaluator import evaluate, person_violations
from asta.scheduling.explain import BLOCKING_ORDER, NOT_CHOSEN, NOT_EXAMINED, explain
from asta.scheduling.problem import Professional, Request, Rules, Shift, Weights, hourly_cost_units
from asta.scheduling.solver.construct import by_labels
from asta.scheduling.synthetic import synthetic
from tests.unit.scheduling.factories import daily, problem, shift, solved


def reason_for(p: object, roster: list[tuple[str, str]], sid: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    why = next(u for u in explain(p, roster).unfilled if u.shift == sid)  # type: ignore[arg-type]
    return why.reason, dict(why.blocked_by)


def test_nobody_eligible() -> None:
    p = problem(daily(1), [Professional("x", eligible=frozenset())])
    assert reason_for(p, [], "D0")[0] == "nobody_eligible"


def test_nobody_available() -> None:
    p = problem(daily(2), [Professional("x", days_off=frozenset({1})),
                           Professional("y", availability=((0, 600),))])
    reason, blocked = reason_for(p, [], "D1")
    assert reason == "nobody_available"
    assert blocked == {"availability": ("x", "y")}


def test_rest_rule() -> None:
    shifts = [shift("eve", 0, 14, 8), shift("morn", 1, 6, 8)]
    p = problem(shifts, [Professional("x")], Rules(min_rest_minutes=11 * 60))
    assert reason_for(p, [("x", "eve")], "morn") == (
        "min_rest_between_shifts", {"min_rest_between_shifts": ("x",)}
    )


def test_one_shift_per_day() -> None:
    shifts = [shift("am", 0, 6, 4), shift("pm", 0, 14, 4)]
    p = problem(shifts, [Professional("x")])
    assert reason_for(p, [("x", "am")], "pm")[0] == "one_shift_per_day"


def test_forbidden_succession() -> None:
    shifts = [shift("n", 0, 22, 8, kind="N"), shift("e", 1, 18, 4, kind="E")]
    p = problem(shifts, [Professional("x")], Rules(forbidden_successions=frozenset({("N", "E")})))
    assert reason_for(p, [("x", "n")], "e")[0] == "forbidden_successions"


def test_period_hour_limit_is_own_max_hours() -> None:
    p = problem(daily(3), [Professional("x", max_minutes=2 * 480)])
    assert reason_for(p, [("x", "D0"), ("x", "D2")], "D1")[0] == "period_minute_limits"


def test_weekly_hour_limit() -> None:
    p = problem(daily(3), [Professional("x", max_week_minutes=2 * 480)])
    assert reason_for(p, [("x", "D0"), ("x", "D2")], "D1")[0] == "weekly_hour_limit"


def test_consecutive_days_limit() -> None:
    p = problem(daily(3), [Professional("x", max_consecutive_days=2)])
    assert reason_for(p, [("x", "D0"), ("x", "D2")], "D1")[0] == "max_consecutive_days"


def test_max_shifts_per_kind() -> None:
    p = problem(daily(3), [Professional("x", max_shifts_per_kind={"D": 2})])
    assert reason_for(p, [("x", "D0"), ("x", "D2")], "D1")[0] == "max_shifts_per_kind"


def test_weekend_limit() -> None:
    p = problem(daily(7), [Professional("x", max_weekends=0)])
    assert reason_for(p, [], "D5")[0] == "max_working_weekends"


def test_not_chosen_when_a_soft_goal_outweighs_filling() -> None:
    x = Professional("x", shift_off_requests=(Request(0, None, 50),))
    p = problem(daily(1, under_weight=5), [x])
    result = solved(p)
    assert result.explanation is not None
    (why,) = result.explanation.unfilled
    assert (why.reason, dict(why.blocked_by)) == ("not_chosen", {"not_chosen": ("x",)})


def test_the_most_common_block_is_binding() -> None:
    p = problem(daily(3), [Professional("x", max_consecutive_days=2),
                           Professional("y", max_minutes=2 * 480),
                           Professional("z", max_minutes=2 * 480)])
    roster = [(c, d) for c in "xyz" for d in ("D0", "D2")]
    reason, blocked = reason_for(p, roster, "D1")
    assert reason == "period_minute_limits"
    assert blocked == {"max_consecutive_days": ("x",), "period_minute_limits": ("y", "z")}


def late_problem() -> object:
    """Three open days; D1 costs the most to leave open, x can work none of them, y is off on D2."""
    shifts = [shift("D0", 0), shift("D1", 1, under_weight=5), shift("D2", 2)]
    return problem(shifts, [Professional("x", max_minutes=0), Professional("y", days_off=frozenset({2}))])


def test_positions_left_when_the_answer_is_due_are_not_examined() -> None:
    """The costliest open position is examined first; once the answer is due, the rest get
    only the cheap checks, and the reasons keep the problem's order."""
    unfilled = explain(late_problem(), [], until=0.0, tried_at_least=1).unfilled  # type: ignore[arg-type]
    assert [(u.shift, u.reason, dict(u.blocked_by)) for u in unfilled] == [
        ("D0", NOT_EXAMINED, {NOT_EXAMINED: ("x", "y")}),
        ("D1", NOT_CHOSEN, {"period_minute_limits": ("x",), NOT_CHOSEN: ("y",)}),
        ("D2", NOT_EXAMINED, {NOT_EXAMINED: ("x",), "availability": ("y",)}),
    ]


def test_a_small_problem_is_explained_in_full_however_late() -> None:
    """Up to `tried_at_least` people are tried whatever the clock says, so a small problem's
    reasons do not depend on the machine's speed."""
    late = explain(late_problem(), [], until=0.0).unfilled  # type: ignore[arg-type]
    assert late == explain(late_problem(), []).unfilled  # type: ignore[arg-type]
    assert NOT_EXAMINED not in {u.reason for u in late}


def test_assignment_reasons() -> None:
    people = [
        Professional("x", home_organisation="A", preferred_units=frozenset({"er"}),
                     shift_on_requests=(Request(0, None, 1),), wants_minutes=960),
        Professional("y", home_organisation="B", max_minutes=0),
    ]
    shifts = [shift("a", 0, unit="er", organisation="A", series="s"),
              shift("b", 1, unit="er", organisation="A", series="s")]
    result = solved(problem(shifts, people, weights=Weights(continuity=1)))
    assert result.explanation is not None
    why = {w.shift: set(w.reasons) for w in result.explanation.assignments}
    assert {"eligible", "available", "requested", "preferred_unit", "own_pool",
            "series_continuity", "wants_hours"} <= why["a"]
    assert "requested" not in why["b"]


def test_every_block_is_the_evaluators_on_a_long_roster() -> None:
    """Explaining skips the evaluator where the answer is known (a person already working
    that day); every person's reason must still be the first rule the evaluator finds broken
    when the shift is added to their roster."""
    p = synthetic(staff=10, weeks=8, kinds=3, seed=5)
    values, missing = by_labels(p, candidate_shifts(p), cap=8)
    assert missing == []
    roster = [(p.professionals[pi].id, p.shifts[si].id) for (pi, si), v in values.items() if v]
    assert evaluate(p, roster).violations == ()  # a legal roster: where the skip applies
    shifts = p.shift_by_id()
    mine: dict[str, list[Shift]] = {q.id: [] for q in p.professionals}
    for pid, sid in roster:
        mine[pid].append(shifts[sid])
    unfilled = explain(p, roster).unfilled
    assert len(unfilled) > 40
    checked = 0
    for why in unfilled:
        s = shifts[why.shift]
        for rule, ids in why.blocked_by.items():
            for pid in ids:
                q = next(q for q in p.professionals if q.id == pid)
                before = Counter(v.rule for v in person_violations(p, q, mine[pid]))
                after = Counter(v.rule for v in person_violations(p, q, [*mine[pid], s]))
                new = {r for r, n in after.items() if n > before[r]}
                expected = next((r for r in BLOCKING_ORDER if r in new), NOT_CHOSEN)
                assert rule == ("availability" if s.day in q.days_off else expected), (why.shift, pid)
                checked += 1
    assert checked == sum(len(ids) for why in unfilled for ids in why.blocked_by.values()) > 500
    assert sum(len(why.blocked_by.get("one_shift_per_day", ())) for why in unfilled) > 100


def test_fewest_hours_and_lowest_cost_are_against_everyone_free_to_work_the_shift() -> None:
    """`fewest_hours`: no more minutes before this shift than any other eligible person free to
    work it has; `lowest_cost`: costs no more than any of them. Checked against every rival, with
    some people eligible by a list and some available only in the first ten days."""
    p = synthetic(staff=12, weeks=4, kinds=3, seed=5)
    listed = frozenset(s.id for s in p.shifts if s.day % 2 == 0)
    p = replace(p, professionals=tuple(
        replace(q, hourly_cost=4000 + 700 * (i % 4), eligible=listed if i % 3 == 0 else None,
                availability=((0, 10 * 24 * 60),) if i % 4 == 1 else None)
        for i, q in enumerate(p.professionals)
    ))
    # Any roster will do, even an illegal one: rosters of uneven length, so that hours differ.
    roster = [(q.id, s.id) for i, q in enumerate(p.professionals) for s in p.shifts
              if s.day < 7 * (1 + i % 4) and (s.day + i) % 3 == 0 and s.kind == p.shifts[i % 3].kind]
    minutes = Counter[str]()
    for pid, sid in roster:
        minutes[pid] += p.shift_by_id()[sid].minutes

    def free(r: Professional, s: Shift) -> bool:
        return (s.day not in r.days_off and (r.eligible is None or s.id in r.eligible)
                and (r.availability is None or any(a <= s.start and s.end <= b for a, b in r.availability)))

    found = Counter[tuple[str, bool]]()
    for why in explain(p, roster).assignments:
        s, me = p.shift_by_id()[why.shift], why.professional
        q = next(q for q in p.professionals if q.id == me)
        rivals = [r for r in p.professionals if r.id != me and free(r, s)]
        fewest = bool(rivals) and all(minutes[me] - s.minutes <= minutes[r.id] for r in rivals)
        cheapest = bool(rivals) and all(
            0 < hourly_cost_units(q, s) <= hourly_cost_units(r, s) for r in rivals
        )
        assert ("fewest_hours" in why.reasons, "lowest_cost" in why.reasons) == (fewest, cheapest)
        found["fewest_hours", fewest] += 1
        found["lowest_cost", cheapest] += 1
    assert min(found.values()) > 5 and len(found) == 4  # each reason both given and not
