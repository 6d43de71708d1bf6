"""Time LNS steps on the whole model: the step against CP-SAT's own part of it.

    python benchmarks/lns_step.py --instance PATH [--steps 6] [--start-s 10]

A roster from CP-SAT (`--start-s`, 2 workers) is the start; each kind of
neighbourhood then runs `--steps` steps from the current best (3-s limit), one
thread. Prints one JSON object per kind: mean seconds per step, mean CP-SAT wall
time, and their difference, the step's own overhead (cloning, pinning, hints,
reading the solution back).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ortools.sat.python import cp_model  # noqa: E402

from asta.scheduling.curtois_qu import load  # noqa: E402
from asta.scheduling.solver.built import build  # noqa: E402
from asta.scheduling.solver.lns import KINDS, Incumbent, Lns  # noqa: E402

SIZES = {"people": 3, "days": 3, "cover": 2}


def measure(path: Path, steps: int, start_s: float) -> list[dict[str, object]]:
    built = build(load(path))
    m = built.model
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = start_s
    solver.parameters.num_workers = 2
    if solver.solve(m.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SystemExit(f"{path.stem}: no start roster in {start_s} s")
    values = {key: int(solver.boolean_value(var)) for key, var in m.x.items()}
    lns = Lns(m, Incumbent(values, round(solver.objective_value)), -(1 << 62), float("inf"),
              lambda _: None, seed=0)
    rng = random.Random(0)
    out: list[dict[str, object]] = []
    for kind in KINDS:
        totals, walls = [], []
        for _ in range(steps):
            free = lns._neighbourhood(kind, SIZES[kind], lns.best.values, rng)
            began = time.monotonic()
            _, wall, found = lns._step(lns.best, free, 3.0, rng)
            totals.append(time.monotonic() - began)
            walls.append(wall)
            if found is not None and found.objective < lns.best.objective:
                lns.best = found
        step, cp_sat = statistics.mean(totals), statistics.mean(walls)
        out.append({"instance": path.stem, "kind": kind, "size": SIZES[kind], "step_s": round(step, 3),
                    "cp_sat_s": round(cp_sat, 3), "overhead_s": round(step - cp_sat, 3)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, action="append", required=True)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--start-s", type=float, default=10.0)
    args = parser.parse_args()
    for path in args.instance:
        for row in measure(path, args.steps, args.start_s):
            print(json.dumps(row))


if __name__ == "__main__":
    main()
