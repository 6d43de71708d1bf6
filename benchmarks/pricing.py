"""Time one pricing call: CP-SAT (`pricing.Pricer`), labelling (`label_pricing.LabelPricer`)
and the dynamic programme over days (`dp_pricing.DaysPricer`).

    python benchmarks/pricing.py --instance PATH [--people 4] [--rounds 3]

Duals come from the master LP after a few rounds of column generation (as in a real
run); the three pricers then price the same people at the same duals. Prints one JSON
object per instance: seconds per call for each, whether they agree on the least reduced
cost, and how many of the dynamic programme's calls went to CP-SAT (an answer over a
per-kind limit).
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
from asta.scheduling.solver.dp_pricing import DaysPricer  # noqa: E402
from asta.scheduling.solver.label_pricing import LabelPricer  # noqa: E402
from asta.scheduling.solver.pricing import SCALE, Pricer  # noqa: E402


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
    times: dict[str, list[float]] = {"cp_sat": [], "labelling": [], "days": []}
    agree: list[bool | None] = []
    to_cp_sat = 0
    for pi in everyone[:people]:
        mine = m.shifts_of[pi]
        days = DaysPricer(problem, pi, mine)
        bounds: dict[str, float | None] = {}
        for name, pricer in (("cp_sat", Pricer(problem, pi, mine)),
                             ("labelling", LabelPricer(problem, pi, mine)), ("days", days)):
            began = time.monotonic()
            _, bounds[name] = pricer.price(solution.duals, solution.mu[pi], limit_s, 0)
            times[name].append(time.monotonic() - began)
        to_cp_sat += days.cp_sat_calls
        # CP-SAT rounds each price by up to half a unit (see pricing.py): its bound is the
        # true minimum less up to twice that slack.
        slack = 0.5 * len(mine) / SCALE
        cp_bound = bounds["cp_sat"]
        exact = [bounds["labelling"], bounds["days"]]
        agree.append(
            None
            if cp_bound is None or None in exact
            else all(cp_bound - 1e-6 <= b <= cp_bound + 2 * slack + 1e-6 for b in exact if b is not None)
        )
    search.close()
    return {
        "instance": path.stem,
        "calls": people,
        **{f"{name}_s_median": round(statistics.median(t), 3) for name, t in times.items()},
        **{f"{name}_s": [round(x, 3) for x in t] for name, t in times.items()},
        "days_to_cp_sat": to_cp_sat,
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
