from __future__ import annotations

from asta.scheduling.packaging import Template, daily_templates, demand_end, package, within


def test_flat_day_is_one_long_shift_per_head() -> None:
    # 07-17 needs 2 people every hour: two 10 h shifts, no under or over cover.
    required = [0] * 7 + [2] * 10 + [0] * 7
    result = package(required, 60, daily_templates(1), time_limit_s=5)
    assert result.status == "optimal"
    assert result.under_cover == 0
    assert result.over_cover == 0
    assert (result.shift_count, result.positions) == (1, 2)  # one shift of two positions
    assert [(s.start, s.end, s.count) for s in result.shifts] == [(420, 1020, 2)]


def test_peak_is_covered_with_a_short_extra_shift() -> None:
    # 08-16 one person, 10-14 a second: an 8 h and a 4 h shift.
    required = [0] * 8 + [1, 1, 2, 2, 2, 2, 1, 1] + [0] * 8
    result = package(required, 60, daily_templates(1), time_limit_s=5)
    assert (result.under_cover, result.over_cover, result.shift_count) == (0, 0, 2)
    assert sorted((s.end - s.start) // 60 for s in result.shifts) == [4, 8]


def test_under_cover_comes_before_over_cover() -> None:
    # Only 8 h shifts: covering a 2 h need costs 6 h of over-cover, which the
    # lexicographic order accepts rather than leaving the need uncovered.
    required = [0] * 10 + [1, 1] + [0] * 12
    templates = [Template(h * 60, h * 60 + 480) for h in range(7, 11)]
    result = package(required, 60, templates, time_limit_s=5)
    assert result.under_cover == 0
    assert result.over_cover == 6
    assert result.shift_count == 1


def test_coverage_chart_is_reported_per_interval() -> None:
    required = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # half hours, 5 h
    templates = [Template(0, 240), Template(60, 300)]
    result = package(required, 30, templates, time_limit_s=5)
    assert [c.required for c in result.coverage] == required
    assert [c.packaged for c in result.coverage] == [1, 1, 2, 2, 2, 2, 2, 2, 1, 1]
    assert result.under_cover == 0
    assert result.over_cover == 6


def test_demand_end_is_the_last_interval_that_needs_anyone() -> None:
    assert demand_end([0, 1, 2, 0, 0], 60) == 180
    assert demand_end([0, 0], 30) == 0
    templates = [Template(720, 1200), Template(660, 1140), Template(720, 960)]
    assert within(templates, 1140) == [Template(660, 1140), Template(720, 960)]
