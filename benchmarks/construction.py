"""How long the labelling construction takes: every person's roster, one after another.

    python benchmarks/construction.py [--synthetic 150x52x32 ...] [--synthetic-seed 1] [--cap 2]

Where no CP-SAT model is built (150 x 52 x 32) the construction is the first roster a solve
has, so it sets the shortest time limit that still gets an answer; where CP-SAT finds nothing
in its first phase (Instance20) it is the LNS's start. With no deadline the work is fixed by
`--cap` (labels kept a day), so the roster is the same on any machine: the digest checks that
two versions agree. Prints one JSON object per instance.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asta.scheduling._model import candidate_shifts  # noqa: E402
from asta.scheduling.evaluator import evaluate  # noqa: E402
from asta.scheduling.solver.construct import by_labels, half_weekend_charge  # noqa: E402
from benchmarks.rostering import generated  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="append", metavar="STAFFxWEEKSxKINDS", default=None)
    parser.add_argument("--synthetic-seed", type=int, default=1)
    parser.add_argument("--cap", type=int, default=2)
    args = parser.parse_args(argv)
    for size in args.synthetic or ["150x52x32", "100x52x5", "50x26x3"]:
        name, problem = generated(size, args.synthetic_seed)
        shifts_of = candidate_shifts(problem)
        started = time.monotonic()
        values, missing = by_labels(problem, shifts_of, args.cap, half_weekend=half_weekend_charge(problem))
        seconds = time.monotonic() - started
        roster = sorted((problem.professionals[pi].id, problem.shifts[si].id) for (pi, si) in values)
        print(json.dumps({
            "instance": name,
            "cap": args.cap,
            "construction_s": round(seconds, 2),
            "people_without_roster": len(missing),
            "objective": evaluate(problem, roster).objective,
            "digest": hashlib.sha256(repr(roster).encode()).hexdigest()[:12],
        }), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
