"""How many e-mail links one address (IP) may ask for: a bound on mail sent to strangers and
on probing. Counted in its own transaction, so a refused request still counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from asta.core.db import unit_of_work
from asta.core.errors import TooManyAttemptsError

WINDOW = timedelta(hours=1)
PER_WINDOW = 20
TOO_MANY = "Too many requests from this address; wait a while before trying again"

# The row's timestamp is the start of the current window.
_COUNT = text("""
    INSERT INTO sign_in_throttles AS t (key, failures, last_failure_at) VALUES (:key, 1, :now)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at <= :since THEN 1 ELSE t.failures + 1 END,
        last_failure_at = CASE WHEN t.last_failure_at <= :since THEN :now
                               ELSE t.last_failure_at END
    RETURNING failures, last_failure_at
""")


async def admit(ip: str, now: datetime) -> None:
    async with unit_of_work() as session:
        count, started = (await session.execute(_COUNT, {
            "key": f"mail-link:{ip}", "now": now, "since": now - WINDOW})).one()
    if count > PER_WINDOW:
        wait = max(1, int((started + WINDOW - now).total_seconds()))
        raise TooManyAttemptsError(TOO_MANY, retry_after_s=wait)
