"""CPU of one refused claim and of one winning claim, apart; print JSON.

    python benchmarks/claim_cost.py [--server-workers 2] [--profile-dir DIR]

`claim_load.py` mixes them (450 refused, 50 won, and the claims that pass the first read and
then lose); this says what each path costs. It starts the same server (`asta serve --workers
N`), then, closed loop with 32 in flight: 999 claims on a shift whose one position is taken
(every one refused) and 1,000 claims on 200 shifts x 5 positions (every one wins). For each:
API and PostgreSQL CPU ms per claim (claim_load.tree_cpu_s) and the rate. `--profile-dir`
records py-spy on the API processes during the winners.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).parent))

import claim_load as cl
from claim_race import seed


def measure(base: str, plan: list[tuple[float, str, str, str | None]],
            roots: dict[str, int]) -> dict[str, Any]:
    before: dict[str, float] = {}

    def started() -> None:
        before.update({k: cl.tree_cpu_s([pid]) for k, pid in roots.items()})

    figures = cl.generate(base, plan, mode="closed", processes=2, clients=32, on_start=started)
    cpu = {k: cl.tree_cpu_s([pid]) - before[k] for k, pid in roots.items()}
    n = figures["requests"]
    return {"claims": n, "status_counts": figures["status_counts"], "per_s": figures["per_s"],
            "api_cpu_ms_per_claim": round(1000 * cpu["api"] / n, 2),
            "postgres_cpu_ms_per_claim": round(1000 * cpu["postgres"] / n, 2)}


def _spy(directory: Path | None, pids: list[int]) -> list[subprocess.Popen[bytes]]:
    """py-spy on each API process for the next few seconds (nothing without a directory)."""
    if directory is None:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).parent / "py-spy")
    spies = [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", "4",
                               "--format", "raw", "--rate", "250",
                               "--output", str(directory / f"api-{pid}.txt")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for pid in pids]
    time.sleep(1.0)
    return spies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--profile-dir", type=Path)
    parser.add_argument("--profile", choices=("refused", "won"), default="won",
                        help="which path py-spy records (with --profile-dir)")
    args = parser.parse_args()
    os.environ.setdefault("ASTA_SECRET_KEY", secrets.token_urlsafe(32))
    from asta.core.security import issue_token

    report: dict[str, Any] = {"load_average": os.getloadavg()}
    with cl.asta_serve(args.server_workers) as (base, url, pids, roots):
        people, [shift] = asyncio.run(seed(url, 1000, 1, 1))
        tokens = [issue_token(p, minutes=60) for p in people]
        path = f"/api/shifts/{shift}/claim"
        cl.generate(base, [(0.0, "POST", path, tokens[0])], mode="closed", processes=1,
                    clients=1)  # the one position goes
        spies = _spy(args.profile_dir, pids) if args.profile == "refused" else []
        report["refused"] = measure(base, [(0.0, "POST", path, t) for t in tokens[1:]], roots)
        for process in spies:
            process.wait()
        people, shifts = asyncio.run(seed(url, 1000, 1000, 5))
        tokens = [issue_token(p, minutes=60) for p in people]
        spies = _spy(args.profile_dir, pids) if args.profile == "won" else []
        report["won"] = measure(base, [(0.0, "POST", f"/api/shifts/{shifts[k % len(shifts)]}"
                                       "/claim", t) for k, t in enumerate(tokens)], roots)
        for process in spies:
            process.wait()
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
