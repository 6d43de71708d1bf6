"""The tests' clock, which every test process and every server it starts agree on."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from time_machine import escape_hatch

from asta.core.clock import utcnow
from asta.scheduling.forecast import finnish_holiday_dates

# Every test starts at this instant, whatever today is, and time passes from there. CI also
# runs the suite at both DST changes and at year end, also a month end (scripts/clock-check.sh). A value
# without an offset is Helsinki wall-clock time, as a user there would read it.
HELSINKI = ZoneInfo("Europe/Helsinki")
TEST_CLOCK = datetime.fromisoformat(os.environ.get("ASTA_TEST_CLOCK", "2026-11-18T10:00"))
if TEST_CLOCK.tzinfo is None:
    TEST_CLOCK = TEST_CLOCK.replace(tzinfo=HELSINKI)
CLOCK_SITE = Path(__file__).resolve().parent / "clock_site"


def _plain_monday(after: date) -> date:
    """The first Monday from `after` whose week has no public holiday and no change of the
    clocks, so that shifts and periods in it read the same whatever the test clock."""
    day = after + timedelta(days=-after.weekday() % 7)
    while True:
        last = day + timedelta(days=6)
        offsets = {datetime.combine(d, time(12), HELSINKI).utcoffset() for d in (day, last)}
        if len(offsets) == 1 and not finnish_holiday_dates(day, last):
            return day
        day += timedelta(days=7)


FUTURE_MONDAY = _plain_monday(TEST_CLOCK.astimezone(HELSINKI).date() + timedelta(days=100))
"""A Monday about 15 weeks after the test clock, for shifts in the future: a fixed date falls
behind the clock when the suite runs at a later one (scripts/clock-check.sh)."""


def helsinki(day: date, hour: int = 0) -> datetime:
    """`hour` o'clock on `day`, Helsinki time."""
    return datetime.combine(day, time(hour), HELSINKI)


def at_test_clock(env: dict[str, str]) -> dict[str, str]:
    """The environment for a Python process (a server, a worker) that should run at the
    test's clock, so it and the test agree on "now" whatever the real date."""
    offset_s = utcnow().timestamp() - escape_hatch.time.time()
    path = os.pathsep.join(p for p in (str(CLOCK_SITE), env.get("PYTHONPATH")) if p)
    return {**env, "PYTHONPATH": path, "ASTA_TEST_CLOCK_OFFSET_S": f"{offset_s:.3f}"}
