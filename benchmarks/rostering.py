"""Solve Curtois & Qu rostering instances and print one JSON object per instance.

    python benchmarks/rostering.py --instance PATH [--instance PATH ...]
        [--time-limit S] [--workers N] [--seed N] [--json] [--solution-out FILE]
    python benchmarks/rostering.py --synthetic 150x52x32 [--synthetic-seed N] ...

`--synthetic STAFFxWEEKSxKINDS` adds a generated instance of that size
(`asta.scheduling.synthetic`, the same generator the unit tests use).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asta.scheduling.curtois_qu import load, roster_rows  # noqa: E402
from asta.scheduling.evaluator import evaluate  # noqa: E402
from asta.scheduling.problem import Problem  # noqa: E402
from asta.scheduling.solver import solve  # noqa: E402
from asta.scheduling.synthetic import synthetic  # noqa: E402

# ../shared sits beside the repository (as in CI); unknown instances get best_known null.
BEST_KNOWN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "curtois_qu_2014" / "best_known.csv"


def best_known(name: str, table: Path = BEST_KNOWN) -> int | None:
    if not table.exists():
        return None
    with table.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["instance"] == name:
                return int(row["best_ub"])
    return None


def run(
    path: Path, time_limit: float, workers: int, seed: int, **options: object
) -> tuple[dict[str, object], list[tuple[str, int, str]]]:
    return solve_one(path.stem, load(path), time_limit, workers, seed, **options)


def generated(size: str, seed: int) -> tuple[str, Problem]:
    staff, weeks, kinds = (int(part) for part in size.lower().split("x"))
    name = f"synthetic_{staff}x{weeks}x{kinds}_seed{seed}"
    return name, synthetic(staff=staff, weeks=weeks, kinds=kinds, seed=seed)


def solve_one(
    name: str, problem: Problem, time_limit: float, workers: int, seed: int, **options: object
) -> tuple[dict[str, object], list[tuple[str, int, str]]]:
    result = solve(
        problem,
        time_limit_s=time_limit,
        seed=seed,
        workers=workers,
        explain_result=False,
        **options,  # type: ignore[arg-type]
    )
    evaluation = evaluate(problem, result.assignments)
    known = best_known(name)
    objective = result.objective
    gap = None
    if known is not None and objective is not None:
        gap = round(100.0 * (objective - known) / known, 3) if known else None
    record: dict[str, object] = {
        "instance": name,
        "objective": objective,
        "best_bound": result.best_bound,
        "status": result.status,
        "time_s": round(result.time_s, 2),
        "evaluator_objective": evaluation.objective if result.assignments else None,
        "hard_violations": len(evaluation.violations) if result.assignments else None,
        "best_known": known,
        "gap_pct": gap,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        # The largest of the solver's processes that have ended (the descent's labelling).
        "children_peak_memory_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        "stats": {key: round(value, 2) for key, value in result.stats.items()},
    }
    return record, roster_rows(problem, list(result.assignments))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instance", action="append", default=[], type=Path)
    parser.add_argument("--synthetic", action="append", default=[], metavar="STAFFxWEEKSxKINDS")
    parser.add_argument("--synthetic-seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--solution-out", type=Path, help="CSV roster (last instance)")
    parser.add_argument("--no-lns", action="store_true", help="plain CP-SAT (for comparison)")
    parser.add_argument("--first-phase", type=float, default=None, help="share before LNS")
    args = parser.parse_args(argv)
    options: dict[str, object] = {"lns": not args.no_lns}
    if args.first_phase is not None:
        options["first_phase"] = args.first_phase
    if not args.instance and not args.synthetic:
        parser.error("give --instance or --synthetic")
    problems = [(path.stem, load(path)) for path in args.instance]
    problems += [generated(size, args.synthetic_seed) for size in args.synthetic]
    for name, problem in problems:
        record, rows = solve_one(name, problem, args.time_limit, args.workers, args.seed, **options)
        print(json.dumps(record) if args.json else json.dumps(record, indent=2), flush=True)
        if args.solution_out is not None:
            out = args.solution_out
            if len(problems) > 1:
                out = out.with_name(f"{out.stem}_{name}{out.suffix}")
            with out.open("w", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["employee", "day", "shift"])
                writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
