"""Contacts per interval for the coming days: a multiplicative model fitted with numpy.

contacts(day, bin) = level x weekday effect x special-day effects x month cycle
                    x intraday profile(weekday, bin)

- level: exponentially weighted mean of the de-seasonalised log daily totals, so a level
  shift is followed within about a week (at once after a jump of over 16 % held for two
  weeks) and an old one is forgotten;
- weekday and special-day effects (the day before and after a holiday and the working day
  after that, the last two and first three working days of the month) against a centred
  local level, so a trend does not leak into them; rare effects are shrunk towards none;
- a smooth cycle over the month (two harmonics, shrunk; once the history spans nine weeks):
  contacts rise towards the turn of the month and mid-month, when bills and pay fall;
- intraday profile per weekday, shrunk towards the profile of all days; a bin never used is a
  closed interval and a weekday never open is a closed day; a holiday is a Sunday;
- the band: variance F + phi F^2 (Poisson arrivals plus a relative error), phi and the shape
  of the standardised errors taken from the unit's own one-week-ahead errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
SUNDAY = 6
MODEL_NAME = "asta-profile-v2"
N_FLAGS = 8
DEFAULT_DISPERSION = 0.01


@dataclass(frozen=True, slots=True)
class History:
    """Contacts per wall-clock bin on recorded days (a recorded day's empty bins count 0)."""

    interval_minutes: int
    days: tuple[date, ...]
    counts: Array  # shape (len(days), bins_per_day)

    def __post_init__(self) -> None:
        if 1440 % self.interval_minutes:
            raise ValueError("interval must divide a day")
        if self.counts.shape != (len(self.days), self.bins_per_day):
            raise ValueError("counts must have one row per day and one column per bin")
        if any(b <= a for a, b in zip(self.days, self.days[1:], strict=False)):
            raise ValueError("days must be ascending and unique")

    @property
    def bins_per_day(self) -> int:
        return 1440 // self.interval_minutes

    def until(self, last: date) -> History:
        """The history recorded up to and including `last`."""
        keep = [i for i, d in enumerate(self.days) if d <= last]
        return History(self.interval_minutes, tuple(self.days[i] for i in keep),
                       self.counts[keep])


@dataclass(frozen=True, slots=True)
class Settings:
    level_half_life_days: float = 7.0
    effect_half_life_days: float = 70.0
    profile_half_life_days: float = 35.0
    smoother_days: int = 10
    profile_prior_days: float = 3.0
    special_prior_days: float = 1.0
    calibration_weeks: int = 6
    shift_window_days: int = 14
    shift_threshold: float = 0.15  # log: a 16 % jump, three times the daily noise seen
    dispersion_prior: float = 15.0
    month_harmonics: int = 2
    month_prior_days: float = 20.0
    month_min_days: int = 63  # fewer than two cycles cannot tell the month from the level


@dataclass(frozen=True, slots=True)
class _Core:
    last_day: date
    log_level: float
    weekday: Array  # log effect per weekday; nan = never open
    special: Array  # log effect per special-day flag
    month: Array  # log effect of the position in the month, per harmonic term
    profiles: Array  # (7, bins) shares of the day per bin


@dataclass(frozen=True, slots=True)
class Forecast:
    """Expected contacts per day and bin, with the error model that gives its band."""

    interval_minutes: int
    days: tuple[date, ...]
    mean: Array
    dispersion: Array  # per bin
    errors: Array = field(repr=False)  # sorted standardised errors; empty = normal

    def quantile(self, q: float) -> Array:
        """Contacts not exceeded with probability `q` in each bin."""
        if not 0 < q < 1:
            raise ValueError("quantile must be strictly between 0 and 1")
        z = (float(np.quantile(self.errors, q)) if self.errors.size >= 200
             else NormalDist().inv_cdf(q))
        spread = np.sqrt(self.mean + self.dispersion[None, :] * self.mean**2)
        return np.asarray(np.maximum(0.0, self.mean + z * spread), dtype=np.float64)


def _flags(day: date, holidays: frozenset[date]) -> list[bool]:
    """Special days: around a holiday, and the working days around the turn of the month."""
    if day in holidays:
        return [False] * N_FLAGS

    def working(d: date) -> bool:
        return d.weekday() < 5 and d not in holidays

    if not working(day):
        return [day + timedelta(days=1) in holidays, day - timedelta(days=1) in holidays] + [
            False] * (N_FLAGS - 2)
    since = sum(working(day.replace(day=n)) for n in range(1, day.day))  # working days before
    later = (day + timedelta(days=n) for n in range(1, 10))
    until = sum(working(d) for d in later if d.month == day.month)
    previous = [day - timedelta(days=n) for n in range(1, 5)]
    second_after = next((d for d in previous if working(d)), None)
    return [day + timedelta(days=1) in holidays, day - timedelta(days=1) in holidays,
            second_after is not None and second_after - timedelta(days=1) in holidays,
            until == 1, until == 0, since == 0, since == 1, since == 2]


def _month_terms(day: date, harmonics: int) -> list[float]:
    """Where the day falls in its month, as a smooth cycle (bills and pay fall at the turn)."""
    length = ((day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    angle = 2 * np.pi * (day.day - 1) / length
    return [f(h * angle) for h in range(1, harmonics + 1) for f in (np.cos, np.sin)]


def _kind(day: date, holidays: frozenset[date]) -> int:
    return SUNDAY if day in holidays else day.weekday()


def _weights(age: Array, half_life: float) -> Array:
    return np.asarray(0.5 ** (age / half_life), dtype=np.float64)


def _level(adjusted: Array, age: Array, s: Settings) -> float:
    """Recent level; after a clear level shift in the last two weeks, only the days since."""
    recent = age <= s.shift_window_days
    if recent.sum() >= 5 and (~recent).sum() >= 5:
        jump = float(np.median(adjusted[recent]) - np.median(adjusted[~recent][-20:]))
        if abs(jump) > s.shift_threshold and np.all(np.sign(
                adjusted[recent] - np.median(adjusted[~recent][-20:]) - jump / 2) == np.sign(jump)):
            age = age[recent]
            adjusted = adjusted[recent]
    weights = _weights(age, s.level_half_life_days)
    return float(np.sum(weights * adjusted) / np.sum(weights))


def _fit_core(history: History, holidays: frozenset[date], s: Settings) -> _Core:
    totals = history.counts.sum(axis=1)
    open_ = totals > 0
    if open_.sum() < 5:
        raise ValueError("too little history to forecast from")
    days = [d for d, o in zip(history.days, open_, strict=True) if o]
    counts, x = history.counts[open_], np.log(totals[open_])
    t = np.array([d.toordinal() for d in days], dtype=np.float64)
    age = history.days[-1].toordinal() + 1 - t
    kind = np.array([_kind(d, holidays) for d in days])
    flags = np.array([_flags(d, holidays) for d in days], dtype=np.float64).reshape(-1, N_FLAGS)
    plain = flags.sum(axis=1) == 0
    seen = np.bincount(kind, minlength=7) > 0
    effect_w = _weights(age, s.effect_half_life_days)
    near = np.clip(1 - np.abs(t[:, None] - t[None, :]) / (s.smoother_days + 1), 0, None)

    harmonics = s.month_harmonics if t[-1] - t[0] + 1 >= s.month_min_days else 0
    cycle = np.array([_month_terms(d, harmonics) for d in days],
                     dtype=np.float64).reshape(len(days), 2 * harmonics)
    weekday, special, month = np.zeros(7), np.zeros(N_FLAGS), np.zeros(cycle.shape[1])
    for _ in range(4):
        adjusted = x - weekday[kind] - flags @ special - cycle @ month
        base = x - (near @ adjusted) / near.sum(axis=1)
        for k in np.flatnonzero(seen):
            m = (kind == k) & plain
            if not m.any():
                m = kind == k
            weekday[k] = np.sum(effect_w[m] * base[m]) / np.sum(effect_w[m])
        weekday -= np.mean(weekday[kind])  # the level carries the mean
        rest = base - weekday[kind]
        for j in range(N_FLAGS):
            on = flags[:, j] > 0
            others = flags[:, np.arange(N_FLAGS) != j] @ special[np.arange(N_FLAGS) != j]
            special[j] = np.sum(rest[on] - others[on]) / (on.sum() + s.special_prior_days)
        if month.size:
            left = rest - flags @ special
            month = np.linalg.solve(cycle.T @ cycle + s.month_prior_days * np.eye(month.size),
                                    cycle.T @ left)

    adjusted = x - weekday[kind] - flags @ special - cycle @ month
    log_level = _level(adjusted, age, s)

    shares = counts / counts.sum(axis=1, keepdims=True)
    profile_w = _weights(age, s.profile_half_life_days)
    pooled = profile_w @ shares / profile_w.sum()
    profiles = np.zeros((7, history.bins_per_day))
    for k in np.flatnonzero(seen):
        m = kind == k
        profiles[k] = ((profile_w[m] @ shares[m] + s.profile_prior_days * pooled)
                       / (profile_w[m].sum() + s.profile_prior_days))
    weekday[~seen] = np.nan
    return _Core(history.days[-1], log_level, weekday, special, month, profiles)


def _mean(core: _Core, days: Sequence[date], holidays: frozenset[date]) -> Array:
    rows = []
    for d in days:
        k = _kind(d, holidays)
        effect = core.weekday[k]
        if np.isnan(effect):
            rows.append(np.zeros(core.profiles.shape[1]))
            continue
        flags = np.array(_flags(d, holidays), dtype=np.float64)
        cycle = np.array(_month_terms(d, core.month.size // 2), dtype=np.float64)
        rows.append(np.exp(core.log_level + effect + flags @ core.special + cycle @ core.month)
                    * core.profiles[k])
    return np.array(rows, dtype=np.float64).reshape(len(days), core.profiles.shape[1])


def _calibrate(history: History, holidays: frozenset[date], s: Settings) -> tuple[Array, Array]:
    """Dispersion per bin and standardised errors of the model's own one-week-ahead forecasts.

    A bin's dispersion is shrunk towards the day's: the quiet edges of the day are relatively
    noisier than its busy middle, but a few weeks of one bin are a small sample.
    """
    bins = history.bins_per_day
    actual: list[Array] = []
    predicted: list[Array] = []
    last = history.days[-1]
    for week in range(1, s.calibration_weeks + 1):
        cut = last - timedelta(days=7 * week)
        train = history.until(cut)
        if len(train.days) < 10 or (cut - train.days[0]).days < 14:
            break
        ahead = [(i, d) for i, d in enumerate(history.days) if cut < d <= cut + timedelta(days=7)]
        core = _fit_core(train, holidays, s)
        predicted.append(_mean(core, [d for _, d in ahead], holidays))
        actual.append(history.counts[[i for i, _ in ahead]])
    if not actual:
        return np.full(bins, DEFAULT_DISPERSION), np.zeros(0)
    y, f = np.concatenate(actual), np.concatenate(predicted)
    excess = np.where(f > 0, (y - f) ** 2 - f, 0.0)
    f2 = f**2
    phi_all = max(0.0, float(excess.sum() / max(f2.sum(), 1e-9)))
    prior = s.dispersion_prior * np.mean(f2[f > 0])
    phi = np.maximum(0.0, (excess.sum(axis=0) + prior * phi_all) / (f2.sum(axis=0) + prior))
    used = f > 0
    z = (y - f)[used] / np.sqrt(f + phi[None, :] * f2)[used]
    return phi, np.sort(z)


def forecast(history: History, days: Sequence[date], holidays: frozenset[date] = frozenset(),
             settings: Settings | None = None) -> Forecast:
    """Forecast `days` (after the history) from `history`; `holidays` covers both."""
    s = settings or Settings()
    core = _fit_core(history, holidays, s)
    phi, errors = _calibrate(history, holidays, s)
    return Forecast(history.interval_minutes, tuple(days), _mean(core, days, holidays), phi,
                    errors)
