"""The results table of benchmarks/README_scheduling.md from `rostering.py --json` lines.

    python benchmarks/rostering_table.py RESULTS.jsonl [--reference NAME=VALUE ...]

One row per instance, its runs in the order given (one per seed). The median is the middle
run's objective (the lower of the two middle ones for an even count), so it is a roster that
was found; the gap is the median's against the best known, or against `--reference` where
there is none (the synthetic instances: `cover_bound.py`'s LP bound, below the optimum).
The bound is the best proven over the runs, and time, memory and hard violations the worst.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = (
    "| Instance | Seeds | Median | Reference | Gap % | Worst seed % | Bound | Time s (max) "
    "| MB (max) | Hard violations |"
)


@dataclass(frozen=True)
class Run:
    """One line of `rostering.py --json`."""

    instance: str
    objective: int | None
    best_bound: int | None
    best_known: int | None
    time_s: float
    peak_memory_mb: int
    hard_violations: int | None

    @classmethod
    def read(cls, record: Mapping[str, Any]) -> Run:
        return cls(
            str(record["instance"]), record.get("objective"), record.get("best_bound"),
            record.get("best_known"), float(record["time_s"]), int(record.get("peak_memory_mb") or 0),
            record.get("hard_violations"),
        )


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _gap(objective: int | None, reference: int | None) -> str:
    return "-" if objective is None or not reference else f"{100.0 * (objective - reference) / reference:.2f}"


def rows(runs: Iterable[Run], references: Mapping[str, int] | None = None) -> list[str]:
    """Markdown rows, one per instance in the order first seen. A run without a roster shows
    as "no roster" among the seeds and is left out of the median and the violations."""
    by_instance: dict[str, list[Run]] = {}
    for run in runs:
        by_instance.setdefault(run.instance, []).append(run)
    out = []
    for name, mine in by_instance.items():
        found = [run.objective for run in mine if run.objective is not None]
        median = statistics.median_low(found) if found else None
        reference = (references or {}).get(name, mine[0].best_known)
        bounds = [run.best_bound for run in mine if run.best_bound is not None]
        violations = [run.hard_violations for run in mine if run.hard_violations is not None]
        cells = [
            name,
            " / ".join("no roster" if run.objective is None else _number(run.objective) for run in mine),
            _number(median),
            _number(reference),
            _gap(median, reference),
            _gap(max(found, default=None), reference),
            _number(max(bounds, default=None)),
            f"{max(run.time_s for run in mine):.1f}",
            _number(max(run.peak_memory_mb for run in mine)),
            _number(max(violations, default=None)),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("--reference", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    references = {}
    for given in args.reference:
        name, _, value = given.partition("=")
        if not value.isdigit():
            parser.error(f"--reference wants NAME=VALUE with a whole number, got {given!r}")
        references[name] = int(value)
    runs = [Run.read(json.loads(line)) for line in args.results.read_text().splitlines() if line.strip()]
    print(HEADER)
    print("| --- " * 10 + "|")
    for row in rows(runs, references):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
