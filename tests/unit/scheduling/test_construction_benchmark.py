"""`benchmarks/construction.py`: the construction's time at a fixed cap, and a digest that two
versions of the code can be compared by."""

from __future__ import annotations

import json

import pytest

from benchmarks.construction import main


def test_the_construction_benchmark_gives_one_roster_each_time(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert main(["--synthetic", "8x2x3", "--cap", "2"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["instance"] == "synthetic_8x2x3_seed1"
    assert first["people_without_roster"] == 0
    assert first["digest"] == second["digest"]
    assert first["objective"] == second["objective"] > 0
