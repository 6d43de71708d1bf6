"""What the staffing goal would need: the forecast benchmark with part of each day's level
error taken away by hindsight (a diagnostic, not a forecast).

    python benchmarks/forecast_day_level.py --history ../shared/forecast/bank_calls_public.csv \
        --removed 0.5 [--quantile 0.85] [--earlier-windows 3]

Every day's forecast (in the band's calibration too) is scaled by (actual total / forecast
total) ** removed, so `--removed 1` knows each day's total and leaves only the error of the
shape within the day; 0 is the benchmark itself. Prints the same JSON as forecast.py, and
the floor: staffing for the quantile of Poisson arrivals around each interval's actual count
taken as the known rate (3 seeded draws), against perfect foresight of the draws.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import forecast as bench  # the benchmark beside this script

from asta.scheduling import erlang
from asta.scheduling.forecast import model


def poisson_floor(counts: dict[date, np.ndarray], rows: dict[date, np.ndarray],
                  days: list[date], quantile: float) -> dict[str, float]:
    """Target met and staff-hours when only the Poisson noise around a known rate is left."""
    rates = np.concatenate([counts[d][rows[d]] for d in days if d in counts])
    rng = np.random.default_rng(0)

    def agents(contacts: float) -> int:
        return erlang.required_agents(contacts, bench.BIN_MIN * 60, bench.AHT_S,
                                      bench.SERVICE_LEVEL, bench.TARGET_S).agents

    staff = perfect = met = 0
    for _ in range(3):
        for rate, came in zip(rates, rng.poisson(rates), strict=True):
            n = agents(float(np.quantile(rng.poisson(rate, 4000), quantile)))
            staff, perfect = staff + n, perfect + agents(float(came))
            met += erlang.staffing(n, float(came), bench.BIN_MIN * 60, bench.AHT_S,
                                   bench.TARGET_S).service_level >= bench.SERVICE_LEVEL
    return {"target_met_share": round(met / (3 * rates.size), 3),
            "staff_hours_relative": round(staff / perfect, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--removed", type=float, required=True,
                        help="share of each day's level error taken away (0-1)")
    parser.add_argument("--quantile", type=float, default=0.85)
    parser.add_argument("--earlier-windows", type=int, default=0)
    args = parser.parse_args()
    counts, rows = bench.read(args.history)
    plain_mean = model._mean

    def hindsight(core: model._Core, days: list[date], holidays: frozenset[date]) -> model.Array:
        mean = plain_mean(core, days, holidays)
        for i, d in enumerate(days):
            if d in counts and counts[d].sum() > 0 and mean[i].sum() > 0:
                mean[i] *= (counts[d].sum() / mean[i].sum()) ** args.removed
        return mean

    model._mean = hindsight  # type: ignore[assignment]
    last = max(counts)
    ends = [last - timedelta(days=28 * k) for k in range(args.earlier_windows, -1, -1)]
    results = [bench.evaluate({d: c for d, c in counts.items() if d <= end}, rows,
                              [end - timedelta(days=7 * n) for n in range(4, 0, -1)],
                              args.quantile) for end in ends]
    days = [end - timedelta(days=n) for end in ends for n in range(27, -1, -1)]
    print(json.dumps({"removed": args.removed, "windows": results,
                      "poisson_floor": poisson_floor(counts, rows, days, args.quantile)},
                     indent=2))


if __name__ == "__main__":
    main()
