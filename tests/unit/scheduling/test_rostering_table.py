"""The results table that benchmarks/rostering_table.py makes of `rostering.py --json` lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.rostering_table import Run, main, rows


def _run(instance: str, objective: int | None, **fields: object) -> Run:
    record = {
        "instance": instance, "objective": objective, "best_bound": None, "best_known": None,
        "time_s": 60.0, "peak_memory_mb": 200, "hard_violations": None if objective is None else 0,
    }
    record.update(fields)
    return Run.read(record)


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_a_row_takes_the_middle_run_and_the_worst_of_the_rest() -> None:
    runs = [
        _run("Instance18", 4_684, best_known=4_459, best_bound=4_398, time_s=59.1, peak_memory_mb=250),
        _run("Instance18", 4_576, best_known=4_459, best_bound=4_415, time_s=60.2, peak_memory_mb=263),
        _run("Instance18", 4_594, best_known=4_459, time_s=58.0, peak_memory_mb=240, hard_violations=1),
    ]
    (row,) = rows(runs)
    assert _cells(row) == [
        "Instance18", "4,684 / 4,576 / 4,594", "4,594", "4,459", "3.03", "5.05", "4,415", "60.2", "263", "1",
    ]


def test_a_run_without_a_roster_shows_and_is_left_out_of_the_median() -> None:
    runs = [_run("big", None), _run("big", 100, best_known=90), _run("big", 120, best_known=90)]
    (row,) = rows(runs)
    cells = _cells(row)
    assert cells[1] == "no roster / 100 / 120"
    assert cells[2] == "100"  # the lower middle of two rosters: one that was found
    assert cells[-1] == "0"  # the rosters' violations: the run without one has none to count
    (alone,) = rows([_run("big", None)])
    assert _cells(alone)[1:] == ["no roster", "-", "-", "-", "-", "-", "60.0", "200", "-"]


def test_instances_keep_their_order_and_a_reference_stands_in_for_the_best_known() -> None:
    runs = [_run("synthetic_150x52x32_seed1", 66_694), _run("Instance1", 607, best_known=607)]
    first, second = rows(runs, {"synthetic_150x52x32_seed1": 61_934})
    assert _cells(first)[:5] == ["synthetic_150x52x32_seed1", "66,694", "66,694", "61,934", "7.69"]
    assert _cells(second)[4] == "0.00"
    assert _cells(rows(runs[:1])[0])[3:5] == ["-", "-"]  # no best known and no reference given


def test_the_script_prints_the_table_and_refuses_a_reference_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "runs.jsonl"
    results.write_text(json.dumps({"instance": "Instance1", "objective": 607, "best_known": 607,
                                   "time_s": 0.2, "hard_violations": 0}) + "\n")
    assert main([str(results)]) == 0
    header, rule, row = capsys.readouterr().out.splitlines()
    assert header.startswith("| Instance | Seeds | Median")
    assert rule.count("---") == 10 and _cells(row)[0] == "Instance1"
    with pytest.raises(SystemExit) as refused:
        main([str(results), "--reference", "Instance1=six hundred"])
    assert refused.value.code == 2
    assert "whole number" in capsys.readouterr().err
