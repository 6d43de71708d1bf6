"""Write the demo unit's contact history (Kaiku24 remote reception): 12 weeks, 30-minute bins.

Synthetic, with a known structure (a day profile with a morning peak, quieter weekends, Monday
rush, the day after a holiday busier, a level shift five weeks before the end) and Poisson
arrivals. Run again to regenerate: `python scripts/demo_contact_history.py`.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from asta.scheduling.forecast import finnish_holiday_dates

HELSINKI = ZoneInfo("Europe/Helsinki")
OUT = Path(__file__).resolve().parent.parent / "asta" / "demo_data" / \
    "kaiku24_contact_history.csv"
LAST = date(2026, 11, 29)
WEEKS = 12
# Contacts per 30 minutes on an ordinary Tuesday, from 07:00 to 21:00.
PROFILE = [4, 9, 22, 34, 38, 36, 31, 27, 24, 26, 28, 27, 24, 21, 19, 17, 15, 14, 13, 12, 10, 9,
           8, 7, 6, 5, 4, 3]
WEEKDAY = [1.3, 1.0, 0.95, 0.95, 1.05, 0.55, 0.5]


def main() -> None:
    rng = np.random.default_rng(2026)
    first = LAST - timedelta(days=7 * WEEKS - 1)
    holidays = finnish_holiday_dates(first, LAST)
    with OUT.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["interval_start", "contacts", "handled", "abandoned",
                         "average_handling_time_s"])
        for n in range(7 * WEEKS):
            day = first + timedelta(days=n)
            factor = WEEKDAY[6 if day in holidays else day.weekday()]
            if day - timedelta(days=1) in holidays:
                factor *= 1.25
            if n >= 7 * (WEEKS - 5):
                factor *= 1.15  # the unit took over a neighbour's callers
            for i, mean in enumerate(PROFILE):
                start = datetime.combine(day, time(7), tzinfo=HELSINKI) + timedelta(minutes=30 * i)
                contacts = int(rng.poisson(mean * factor))
                abandoned = int(rng.binomial(contacts, 0.04))
                writer.writerow([start.isoformat(), contacts, contacts - abandoned, abandoned,
                                 round(float(rng.normal(360, 25)))])


if __name__ == "__main__":
    main()
