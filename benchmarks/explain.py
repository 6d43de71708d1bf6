"""How long explaining a roster takes: why each open position stayed open, person by person.

    python benchmarks/explain.py [--synthetic 100x26x8 ...] [--synthetic-seed 3] [--cap 4]

Every matching run explains the roster it returns (`asta.scheduling.explain`) within its
time limit (the solve keeps a share back for it), trying every eligible person on every
open shift, so its cost grows with open shifts x people.
The roster is the labelling construction's (cap `--cap` labels a day), which leaves
positions open on these generated instances. Prints one JSON object per instance, with a
digest of the explanation so that two versions can be checked to agree.
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
from asta.scheduling.explain import explain  # noqa: E402
from asta.scheduling.solver.construct import by_labels  # noqa: E402
from benchmarks.rostering import generated  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="append", metavar="STAFFxWEEKSxKINDS",
                        default=None)
    parser.add_argument("--synthetic-seed", type=int, default=3)
    parser.add_argument("--cap", type=int, default=4)
    args = parser.parse_args(argv)
    for size in args.synthetic or ["60x4x10", "120x4x18", "100x26x8", "50x52x6"]:
        name, problem = generated(size, args.synthetic_seed)
        values, missing = by_labels(problem, candidate_shifts(problem), cap=args.cap)
        roster = [(problem.professionals[pi].id, problem.shifts[si].id)
                  for (pi, si), value in values.items() if value]
        started = time.monotonic()
        explanation = explain(problem, roster)
        print(json.dumps({
            "instance": name,
            "people_without_roster": len(missing),
            "open_shifts": len(explanation.unfilled),
            "explain_s": round(time.monotonic() - started, 2),
            "digest": hashlib.sha256(repr(explanation).encode()).hexdigest()[:12],
        }), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
