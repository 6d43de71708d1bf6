"""The one place Asta asks what time it is.

Every module takes "now" from here, so a test can freeze or move the clock for all of Asta at
once (time-machine patches `datetime.now` underneath) or pass times in explicitly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Finland, where every shift, expiry and report period is dated."""
    return utcnow().astimezone(HELSINKI).date()
