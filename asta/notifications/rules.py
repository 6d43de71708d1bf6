"""When a batched e-mail may go: nobody gets more than one of a kind per gap."""

from __future__ import annotations

from datetime import datetime, timedelta

NEW_SHIFTS_GAP = timedelta(hours=1)  # the default for "new shift for you" e-mails


def batch_send_at(now: datetime, last_of_kind: datetime | None,
                  gap: timedelta = NEW_SHIFTS_GAP) -> datetime | None:
    """None: send now. Otherwise the earliest moment a gap after the last one of its kind."""
    if last_of_kind is None or last_of_kind + gap <= now:
        return None
    return last_of_kind + gap
