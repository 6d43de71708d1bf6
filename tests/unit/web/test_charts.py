"""Charts: labels measured so none is clipped, gaps where there is no data, the running
month marked partial."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from asta.web.charts import CHAR_W, Series, line_chart, stacked_bar_chart
from asta.web.dashboard_charts import partial_index

TEXT = re.compile(r'<text class="chart-tick" x="([\d.]+)" y="[\d.]+" '
                  r'text-anchor="(end|middle)">([^<]+)</text>')


def _extents(svg: str) -> list[tuple[float, float, str]]:
    """Each tick label's left and right edge, measured as the chart measures text."""
    out = []
    for x, anchor, text in TEXT.findall(svg):
        width = len(text) * CHAR_W
        left = float(x) - (width if anchor == "end" else width / 2)
        out.append((left, left + width, text))
    return out


def _percent(v: float) -> str:
    return f"{v:.1f} %".replace(".", ",")


def test_no_label_runs_off_the_picture() -> None:
    labels = [f"Q{q}/2026" for q in (1, 2, 3, 4)]
    chart = line_chart(title="t", description="d", labels=labels, label_header="Quarter",
                       series=[Series("Fill", [95.6, 80.0, 100.0, 99.9])], fmt=_percent)
    extents = _extents(chart.svg)
    assert {text for _, _, text in extents} >= {"100,0 %", "0,0 %", "Q1/2026", "Q4/2026"}
    assert all(left >= 0 and right <= 560 for left, right, _ in extents), extents
    bars = stacked_bar_chart(title="t", description="d", labels=labels, label_header="Q",
                             total_header="Total", series=[Series("a", [1, 2, 3, 4])])
    assert all(left >= 0 and right <= 560 for left, right, _ in _extents(bars.svg))


def test_neighbouring_labels_never_overlap() -> None:
    labels = [f"tammi {2000 + i}" for i in range(12)]
    chart = line_chart(title="t", description="d", labels=labels, label_header="Month",
                       series=[Series("n", list(range(12)))])
    extents = sorted(e for e in _extents(chart.svg) if e[2].startswith("tammi"))
    assert len(extents) >= 4
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(extents)), extents


def test_a_month_without_data_is_a_gap_not_zero() -> None:
    chart = line_chart(title="t", description="d", labels=["a", "b", "c", "d", "e"],
                       label_header="Month", fmt=_percent,
                       series=[Series("Fill", [50.0, 60.0, None, 70.0, 80.0])])
    assert chart.svg.count("<polyline") == 2  # a-b and d-e; nothing drawn through c
    assert chart.svg.count("<circle") == 4
    assert [row[1] for row in chart.rows] == ["50,0 %", "60,0 %", "—", "70,0 %", "80,0 %"]


def test_the_running_month_is_drawn_partial() -> None:
    chart = line_chart(title="t", description="d", labels=["a", "b", "c"], label_header="M",
                       series=[Series("n", [1.0, 2.0, 0.5])], partial_at=2)
    assert chart.svg.count("chart-partial") == 1 and chart.svg.count("chart-hollow") == 1


def test_the_partial_bucket_is_the_one_not_over(
        clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(datetime(2026, 12, 10, 12, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False)
    months = [date(2026, m, 1) for m in (10, 11, 12)]
    assert partial_index(months, date(2026, 12, 10), 1) == 2  # running
    assert partial_index([*months, date(2027, 1, 1)], date(2027, 1, 31), 1) == 2  # then future
    assert partial_index(months[:2], date(2026, 11, 30), 1) is None  # both over
    assert partial_index(months[:2], date(2026, 11, 15), 1) == 1  # the period ends inside
    assert partial_index([date(2026, 7, 1), date(2026, 10, 1)], date(2026, 12, 10), 3) == 1
    clock.move_to(datetime(2026, 11, 30, 23, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False)
    assert partial_index(months[:2], date(2026, 11, 30), 1) == 1  # its last day is not over
    assert partial_index(months[:2], date(2026, 12, 31), 1) == 1
    assert partial_index(months[:1], date(2026, 10, 31), 1) is None  # over before today
