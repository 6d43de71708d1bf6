"""The forecast model on series whose structure is known."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from asta.scheduling.forecast import History, Settings, finnish_holiday_dates, forecast

START = date(2026, 1, 5)  # a Monday
BINS = 24  # hourly
PROFILE = np.array([0, 0, 0, 0, 0, 0, 0, 2, 6, 9, 10, 9, 8, 8, 9, 8, 6, 5, 4, 3, 2, 1, 0, 0],
                   dtype=float)
PROFILE /= PROFILE.sum()
WEEKDAY = np.array([1.3, 1.0, 0.95, 0.95, 1.0, 0.6, 0.5])


def series(weeks: int, level: float = 1000.0, *, open_days: int = 7,
           shift_after: int | None = None, holidays: frozenset[date] = frozenset(),
           noise: np.random.Generator | None = None) -> History:
    days, rows = [], []
    for n in range(weeks * 7):
        d = START + timedelta(days=n)
        if d.weekday() >= open_days or d in holidays:
            continue
        scale = level * (2 if shift_after is not None and n >= shift_after else 1)
        mean = scale * WEEKDAY[d.weekday()] * PROFILE
        days.append(d)
        rows.append(noise.poisson(mean).astype(float) if noise is not None else mean)
    return History(60, tuple(days), np.array(rows))


def week_after(history: History) -> list[date]:
    return [history.days[-1] + timedelta(days=n) for n in range(1, 8)]


def test_the_holidays_a_forecast_sees_span_years_and_include_the_eves() -> None:
    # The same list as holiday pay (Easter and the moving Saturdays are tested there).
    assert finnish_holiday_dates(date(2026, 12, 1), date(2027, 1, 6)) == {
        date(2026, 12, 6), date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
        date(2027, 1, 1), date(2027, 1, 6)}


def test_recovers_profile_and_weekday_effects_exactly() -> None:
    history = series(8)
    days = week_after(history)
    fc = forecast(history, days)
    truth = np.array([1000 * WEEKDAY[d.weekday()] * PROFILE for d in days])
    np.testing.assert_allclose(fc.mean, truth, rtol=1e-3)


def test_closed_hours_and_closed_weekdays_stay_closed() -> None:
    history = series(6, open_days=5)
    days = week_after(history)
    fc = forecast(history, days)
    for i, d in enumerate(days):
        if d.weekday() >= 5:
            assert fc.mean[i].sum() == 0
        else:
            assert fc.mean[i, :7].sum() == 0 and fc.mean[i, 10] > 0
    assert fc.quantile(0.95)[:, :7].sum() == 0


def test_follows_a_level_shift_within_two_weeks() -> None:
    history = series(10, shift_after=8 * 7)
    fc = forecast(history, week_after(history))
    new_level = 2000 * sum(WEEKDAY)
    assert fc.mean.sum() == pytest.approx(new_level, rel=0.1)
    assert fc.mean.sum() > 1.7 * 1000 * sum(WEEKDAY)


def test_a_holiday_is_forecast_as_a_sunday() -> None:
    history = series(8)
    wednesday = history.days[-1] + timedelta(days=3)
    assert wednesday.weekday() == 2
    fc = forecast(history, [wednesday], frozenset({wednesday}))
    np.testing.assert_allclose(fc.mean[0], 1000 * WEEKDAY[6] * PROFILE, rtol=1e-3)


def test_a_holiday_of_a_weekday_unit_is_closed() -> None:
    history = series(6, open_days=5)
    wednesday = history.days[-1] + timedelta(days=5)
    assert wednesday.weekday() == 2
    assert forecast(history, [wednesday], frozenset({wednesday})).mean.sum() == 0


def test_learns_the_rush_after_a_holiday() -> None:
    # Past holidays on Mondays; the Tuesdays after them had 40 % more contacts.
    holidays = frozenset(START + timedelta(days=7 * n) for n in (2, 4, 6, 8))
    base = series(11, open_days=5, holidays=holidays)
    counts = base.counts.copy()
    for i, d in enumerate(base.days):
        if d - timedelta(days=1) in holidays:
            counts[i] *= 1.4
    history = History(60, base.days, counts)
    tuesday_after = date(2026, 3, 24)
    plain_tuesday = date(2026, 3, 31)
    monday = tuesday_after - timedelta(days=1)
    fc = forecast(history, [tuesday_after, plain_tuesday], holidays | {monday})
    ratio = fc.mean[0].sum() / fc.mean[1].sum()
    assert 1.2 < ratio < 1.4  # learnt from four cases, shrunk a little towards no effect


def test_band_covers_poisson_arrivals_as_promised() -> None:
    rng = np.random.default_rng(7)
    history = series(12, noise=rng)
    days = week_after(history)
    fc = forecast(history, days)
    lo, hi = fc.quantile(0.1), fc.quantile(0.9)
    truth = np.array([1000 * WEEKDAY[d.weekday()] * PROFILE for d in days])
    draws = rng.poisson(np.broadcast_to(truth, (50, *truth.shape)))
    open_ = truth > 0
    inside = ((draws >= lo) & (draws <= hi))[:, open_]
    assert 0.7 < inside.mean() < 0.92
    assert np.all(fc.quantile(0.9) >= fc.quantile(0.5))


def test_quantile_must_be_a_probability() -> None:
    fc = forecast(series(4), [date(2026, 2, 2)])
    with pytest.raises(ValueError, match="quantile"):
        fc.quantile(1.0)


def test_learns_a_cycle_within_the_month() -> None:
    # Busier around the turn of the month and mid-month (pay days), quieter between.
    def cycle(d: date) -> float:
        return float(np.exp(0.08 * np.cos(4 * np.pi * (d.day - 1) / 31)))

    base = series(16)
    counts = base.counts * np.array([cycle(d) for d in base.days])[:, None]
    history = History(60, base.days, counts)
    days = week_after(history)
    truth = np.array([1000 * WEEKDAY[d.weekday()] * cycle(d) * PROFILE for d in days])
    with_cycle = forecast(history, days)
    without = forecast(history, days, settings=Settings(month_harmonics=0))
    error = np.abs(with_cycle.mean - truth).sum() / truth.sum()
    assert error < 0.02
    assert error < 0.5 * np.abs(without.mean - truth).sum() / truth.sum()
