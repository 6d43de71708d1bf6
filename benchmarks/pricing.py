"""Time one pricing call, CP-SAT (`pricing.Pricer`) against labelling (`label_pricing.LabelPricer`).

    python benchmarks/pricing.py --instance PATH [--people 4] [--rounds 3]

Duals come from the master LP after a few rounds of column generation with
CP-SAT pricing (as in a real run); both pricers then price the same people at
the same duals. Prints one JSON object per instance: seconds per call for each
and whether they agree on the least reduced cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asta.scheduling._model import Model  # noqa: E402
from asta.scheduling.curtois_qu import load  # noqa: E402
from asta.scheduling.solver.colgen import _Search  # noqa: E402
from asta.scheduling.solver.label_pricing import LabelPricer  # noqa: E402


def measure(path: Path, people: int, rounds: int, limit_s: float) -> dict[str, object]:
    problem = load(path)
    m = Model.build(problem)
    search = _Search(m, time.monotonic() + 3600, 1, 0)
    everyone = list(range(len(problem.professionals)))
    zero = [0.0] * len(problem.shifts)
    search.iterate(everyone, zero, [0.0] * len(everyone), True)
    search.price_limit = 1.0
    for _ in range(rounds):
        solution = search.master.solve()
        search.iterate(everyone, solution.duals, solution.mu)
    solution = search.master.solve()
    cp_times, label_times, agree = [], [], []
    for pi in everyone[:people]:
        began = time.monotonic()
        _, cp_bound = search.pricers[pi].price(solution.duals, solution.mu[pi], limit_s, 0)
        cp_times.append(time.monotonic() - began)
        pricer = LabelPricer(problem, pi, m.shifts_of[pi])
        began = time.monotonic()
        _, label_bound = pricer.price(solution.duals, solution.mu[pi], limit_s, 0)
        label_times.append(time.monotonic() - began)
        # CP-SAT rounds each price by up to half a unit (see pricing.py): its bound is the
        # true minimum less up to twice that slack.
        slack = 0.5 * len(pricer.mine) / 1000
        agree.append(
            None
            if cp_bound is None or label_bound is None
            else cp_bound - 1e-6 <= label_bound <= cp_bound + 2 * slack + 1e-6
        )
    search.pool.shutdown()
    return {
        "instance": path.stem,
        "calls": people,
        "cp_sat_s_median": round(statistics.median(cp_times), 3),
        "cp_sat_s": [round(t, 3) for t in cp_times],
        "labelling_s_median": round(statistics.median(label_times), 3),
        "labelling_s": [round(t, 3) for t in label_times],
        "same_minimum": agree,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instance", action="append", required=True, type=Path)
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per call at most")
    args = parser.parse_args(argv)
    for path in args.instance:
        print(json.dumps(measure(path, args.people, args.rounds, args.limit)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
