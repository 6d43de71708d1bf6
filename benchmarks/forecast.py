"""Forecast accuracy and the staffing it gives: rolling origin, one week ahead.

    python benchmarks/forecast.py --history ../shared/forecast/bank_calls_public.csv \
        [--holdout FILE] [--quantile 0.85] [--earlier-windows 3]

30-minute bins; origins every 7 days over the last 4 weeks of the history, or over the whole
holdout when one is given (the holdout's earlier weeks join the history as they pass).
Staffing: Erlang C, average handling time 240 s, 80 % answered within 20 s, for the
forecast's `--quantile`; judged against the arrivals that came. Prints JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from asta.scheduling import erlang
from asta.scheduling.forecast import History, forecast

BIN_MIN = 30
BINS = 1440 // BIN_MIN
AHT_S, TARGET_S, SERVICE_LEVEL, BAND = 240.0, 20.0, 0.8, 0.8


def read(path: str) -> tuple[dict[date, np.ndarray], dict[date, np.ndarray]]:
    """Counts per day and 30-minute bin, and which bins had rows (the opening hours)."""
    counts: dict[date, np.ndarray] = defaultdict(lambda: np.zeros(BINS))
    rows: dict[date, np.ndarray] = defaultdict(lambda: np.zeros(BINS, dtype=bool))
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            start = datetime.fromisoformat(row["start"].replace("Z", "+00:00"))  # wall clock
            b = (start.hour * 60 + start.minute) // BIN_MIN
            counts[start.date()][b] += float(row["calls"])
            rows[start.date()][b] = True
    return dict(counts), dict(rows)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(d: date) -> date:
    return d - timedelta(days=1) if d.weekday() == 5 else d + timedelta(days=1) \
        if d.weekday() == 6 else d


def us_bank_holidays(years: range) -> frozenset[date]:
    """The North American bank's closures: US federal holidays where a bank's phones go quiet.

    Columbus and Veterans Day are left out: many banks' call centres stay open, and calling an
    open day closed costs a whole day's error while missing a closure costs only the day after.
    """
    days = set()
    for y in years:
        last_may = _nth_weekday(y, 5, 0, 4)
        if (last_may + timedelta(days=7)).month == 5:
            last_may += timedelta(days=7)
        days |= {_observed(date(y, 1, 1)), _nth_weekday(y, 1, 0, 3), _nth_weekday(y, 2, 0, 3),
                 last_may, _observed(date(y, 7, 4)), _nth_weekday(y, 9, 0, 1),
                 _nth_weekday(y, 11, 3, 4), _observed(date(y, 12, 25))}
    return frozenset(days)


def evaluate(counts: dict[date, np.ndarray], rows: dict[date, np.ndarray],
             weeks: list[date], quantile: float) -> dict[str, float | int]:
    """Score one-week-ahead forecasts made at each origin in `weeks` (last day of training)."""
    holidays = us_bank_holidays(range(min(counts).year, max(counts).year + 2))
    err, base_err, inside, met, staff, perfect, seconds = [], [], [], [], 0, 0, []
    for origin in weeks:
        train_days = tuple(sorted(d for d in counts if d <= origin))
        history = History(BIN_MIN, train_days, np.array([counts[d] for d in train_days]))
        target = [origin + timedelta(days=n) for n in range(1, 8)]
        began = time.perf_counter()
        fc = forecast(history, target, holidays)
        lo, hi, staff_for = (fc.quantile((1 - BAND) / 2), fc.quantile((1 + BAND) / 2),
                             fc.quantile(quantile))
        seconds.append(time.perf_counter() - began)
        for i, d in enumerate(target):
            if d not in counts:
                continue
            previous = next(d - timedelta(days=7 * n) for n in range(1, 60)
                            if d - timedelta(days=7 * n) in counts)
            for b in np.flatnonzero(rows[d]):
                y = counts[d][b]
                err.append(abs(fc.mean[i, b] - y))
                base_err.append(abs(counts[previous][b] - y))
                inside.append(lo[i, b] <= y <= hi[i, b])
                agents = erlang.required_agents(staff_for[i, b], BIN_MIN * 60, AHT_S,
                                                SERVICE_LEVEL, TARGET_S).agents
                need = erlang.required_agents(y, BIN_MIN * 60, AHT_S, SERVICE_LEVEL,
                                              TARGET_S).agents
                staff, perfect = staff + agents, perfect + need
                met.append(erlang.staffing(agents, y, BIN_MIN * 60, AHT_S, TARGET_S)
                           .service_level >= SERVICE_LEVEL)
    mae, base = float(np.mean(err)), float(np.mean(base_err))
    return {
        "first_day": str(weeks[0] + timedelta(days=1)), "last_day": str(weeks[-1] + timedelta(7)),
        "intervals": len(err), "mae": round(mae, 2), "mae_same_weekday_last_week": round(base, 2),
        "mae_relative": round(mae / base, 3), "band_80_coverage": round(float(np.mean(inside)), 3),
        "staffing_quantile": quantile, "target_met_share": round(float(np.mean(met)), 3),
        "staff_hours_relative": round(staff / perfect, 3),
        "fit_forecast_s_max": round(max(seconds), 3),
        "fit_forecast_s_mean": round(float(np.mean(seconds)), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--holdout")
    parser.add_argument("--quantile", type=float, default=0.85,
                        help="forecast quantile staffed for (the scheduler's caution)")
    parser.add_argument("--earlier-windows", type=int, default=0,
                        help="also score this many 4-week windows before the last one")
    args = parser.parse_args()
    counts, rows = read(args.history)
    last = max(counts)
    if args.holdout:
        extra, extra_rows = read(args.holdout)
        counts, rows = {**counts, **extra}, {**rows, **extra_rows}
        span = (max(extra) - last).days
        weeks = [last + timedelta(days=7 * n) for n in range((span + 6) // 7)]
    else:
        weeks = [last - timedelta(days=7 * n) for n in range(4, 0, -1)]
    result = evaluate(counts, rows, weeks, args.quantile)
    if args.earlier_windows and not args.holdout:
        result["earlier_windows"] = [
            evaluate({d: c for d, c in counts.items() if d <= end}, rows,
                     [end - timedelta(days=7 * n) for n in range(4, 0, -1)], args.quantile)
            for end in (last - timedelta(days=28 * k) for k in range(args.earlier_windows, 0, -1))]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
