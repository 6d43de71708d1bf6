"""How far to trust a forecast: its one-week-ahead errors on the unit's own history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from asta.scheduling.forecast.model import History, forecast

MIN_TRAINING_DAYS = 21
BAND = 0.8


@dataclass(frozen=True, slots=True)
class Backtest:
    weeks: int
    intervals: int
    mae: float
    mae_same_weekday_last_week: float
    band_coverage: float  # share of actual intervals inside the 80 % band

    @property
    def mae_relative(self) -> float:
        return self.mae / self.mae_same_weekday_last_week if self.mae_same_weekday_last_week \
            else 1.0


def enough_history(history: History) -> bool:
    """A week to test on after three weeks to learn from, for at least one origin."""
    return bool(history.days) and (history.days[-1] - history.days[0]).days + 1 \
        >= MIN_TRAINING_DAYS + 7


def backtest(history: History, holidays: frozenset[date], max_weeks: int = 8) -> Backtest | None:
    """Rolling origin, one week ahead, over the last `max_weeks` weeks; None if too short.

    Only intervals open in the actual week or forecast open count, so a night the unit is
    always closed does not flatter the error.
    """
    if not enough_history(history):
        return None
    index = {d: i for i, d in enumerate(history.days)}
    last = history.days[-1]
    err: list[float] = []
    base: list[float] = []
    inside: list[bool] = []
    weeks = 0
    for week in range(max_weeks, 0, -1):
        origin = last - timedelta(days=7 * week)
        if (origin - history.days[0]).days + 1 < MIN_TRAINING_DAYS:
            continue
        target = [origin + timedelta(days=n) for n in range(1, 8)]
        fc = forecast(history.until(origin), target, holidays)
        lo, hi = fc.quantile((1 - BAND) / 2), fc.quantile((1 + BAND) / 2)
        weeks += 1
        for i, d in enumerate(target):
            previous = d - timedelta(days=7)
            if d not in index or previous not in index:
                continue
            y, p = history.counts[index[d]], history.counts[index[previous]]
            used = (y > 0) | (fc.mean[i] > 0)
            err.extend(np.abs(fc.mean[i] - y)[used])
            base.extend(np.abs(p - y)[used])
            inside.extend(((lo[i] <= y) & (y <= hi[i]))[used])
    if not err:
        return None
    return Backtest(weeks, len(err), float(np.mean(err)), float(np.mean(base)),
                    float(np.mean(inside)))
