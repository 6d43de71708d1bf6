"""How far the root LP of column generation gets in a given time.

    python benchmarks/colgen_root.py --instance PATH [--seconds 16] [--workers 2] [--seed 0]

Runs the root exactly as a solve does (everyone's favourite roster at zero prices,
then quick pricing that doubles its time when it runs dry) for `--seconds`, and
prints one JSON object per instance: the restricted master's LP value after each
round (time, value), the Lagrangian bound if one was proven, rounds, columns and the
last pricing time limit. A root whose LP is still falling fast when the dive starts
explains a poor dive (Instance18).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asta.scheduling._model import Model  # noqa: E402
from asta.scheduling.curtois_qu import load  # noqa: E402
from asta.scheduling.solver.colgen import QUICK_PRICING, _Search  # noqa: E402
from asta.scheduling.solver.master import Solution  # noqa: E402


def measure(path: Path, seconds: float, workers: int, seed: int) -> dict[str, object]:
    problem = load(path)
    search = _Search(Model.build(problem), time.monotonic() + 3600, workers, seed)
    everyone = list(range(len(problem.professionals)))
    search.iterate(everyone, [0.0] * len(problem.shifts), [0.0] * len(everyone), True)
    search.price_limit = QUICK_PRICING
    began = time.monotonic()
    trace: list[tuple[float, float]] = []
    solve = search.master.solve

    def traced() -> Solution:
        solution = solve()
        trace.append((round(time.monotonic() - began, 2), round(solution.value, 1)))
        return solution

    search.master.solve = traced  # type: ignore[method-assign]
    bound = search.root(began + seconds)
    search.close()
    return {
        "instance": path.stem,
        "seconds": seconds,
        "lp_trace": trace,
        "lagrangian_bound": None if bound is None else round(bound, 1),
        "rounds": search.iterations - 1,
        "columns": len(search.master.columns),
        "last_price_limit_s": search.price_limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, action="append", required=True)
    parser.add_argument("--seconds", type=float, default=16.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in args.instance:
        print(json.dumps(measure(path, args.seconds, args.workers, args.seed)))


if __name__ == "__main__":
    main()
