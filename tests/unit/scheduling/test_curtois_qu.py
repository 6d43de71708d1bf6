from __future__ import annotations

from pathlib import Path

from asta.scheduling.curtois_qu import load, parse, roster_rows
from asta.scheduling.evaluator import evaluate
from tests.unit.scheduling.factories import solved

TINY = "\r\n".join(
    [
        "# comment",
        "SECTION_HORIZON",
        "7",
        "",
        "SECTION_SHIFTS",
        "# ShiftID, Length in mins, Shifts which cannot follow this shift | separated",
        "E,480,",
        "L,480,E",
        "",
        "SECTION_STAFF",
        "A,E=7|L=7,2400,960,5,2,2,1",
        "B,E=7|L=0,2400,960,5,2,2,1",
        "",
        "SECTION_DAYS_OFF",
        "A,0",
        "",
        "SECTION_SHIFT_ON_REQUESTS",
        "B,1,E,3",
        "",
        "SECTION_SHIFT_OFF_REQUESTS",
        "A,2,L,2",
        "",
        "SECTION_COVER",
        *[f"{d},{k},1,100,1" for d in range(7) for k in "EL"],
        "",
    ]
)

INSTANCE1 = Path(__file__).parent / "data" / "Instance1.txt"


def test_parse_maps_every_section() -> None:
    p = parse(TINY)
    a, b = p.professionals
    assert p.horizon_days == 7
    assert len(p.shifts) == 14
    assert p.rules.forbidden_successions == frozenset({("L", "E")})
    assert dict(b.max_shifts_per_kind) == {"E": 7, "L": 0}
    assert (a.max_minutes, a.min_minutes) == (2400, 960)
    assert (a.max_consecutive_days, a.min_consecutive_days, a.min_consecutive_days_off) == (5, 2, 2)
    assert a.max_weekends == 1
    assert a.days_off == frozenset({0})
    assert [(r.day, r.kind, r.weight) for r in b.shift_on_requests] == [(1, "E", 3)]
    assert [(r.day, r.kind, r.weight) for r in a.shift_off_requests] == [(2, "L", 2)]
    e0 = next(s for s in p.shifts if s.id == "0:E")
    assert (e0.positions, e0.under_weight, e0.over_weight) == (1, 100, 1)


def test_tiny_instance_solves_and_roster_rows_are_day_indexed() -> None:
    p = parse(TINY)
    result = solved(p)
    rows = roster_rows(p, list(result.assignments))
    assert all(0 <= day < 7 for _, day, _ in rows)
    assert not any(emp == "B" and kind == "L" for emp, _, kind in rows)
    assert not any(emp == "A" and day == 0 for emp, day, _ in rows)


def test_instance1_reaches_the_proven_optimum_607() -> None:
    p = load(INSTANCE1)
    result = solved(p, time_limit_s=90, first_phase=1.0)
    assert result.objective == 607
    assert result.status == "optimal"
    assert evaluate(p, result.assignments).objective == 607
