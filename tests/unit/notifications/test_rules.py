"""When an e-mail goes, by the professional's choice per kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asta.notifications.rules import (
    Delivery,
    batch_send_at,
    choices_for,
    delivery,
    next_digest,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("choices", "kind", "last", "expected"), [
    ({}, "shift_assigned", None, Delivery(send=True)),
    ({"bookings": "off"}, "shift_assigned", None, Delivery(send=False)),
    ({"bookings": "off"}, "shift_reminder", None, Delivery(send=True)),
    ({}, "shift_match", None, Delivery(send=True, batched=True, at=None)),
    ({}, "shift_match", NOW - timedelta(minutes=20),
     Delivery(send=True, batched=True, at=NOW + timedelta(minutes=40))),
    ({}, "shift_match", NOW - timedelta(hours=2), Delivery(send=True, batched=True, at=None)),
    ({"new_shifts": "daily"}, "shift_match", None,
     Delivery(send=True, batched=True, at=datetime(2026, 12, 2, 7, 0, tzinfo=HELSINKI))),
    ({"standby_offers": "off"}, "standby_offer", None, Delivery(send=False)),
    # An offer lasts 2 h: a "daily" chosen before that choice was withdrawn goes at once.
    ({"standby_offers": "daily"}, "standby_offer", None, Delivery(send=True)),
])
def test_delivery(choices: dict[str, str], kind: str, last: datetime | None,
                  expected: Delivery) -> None:
    assert delivery(choices, kind, NOW, last) == expected


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 12, 1, 6, 59, tzinfo=HELSINKI), datetime(2026, 12, 1, 7, 0, tzinfo=HELSINKI)),
    (datetime(2026, 12, 1, 7, 0, tzinfo=HELSINKI), datetime(2026, 12, 2, 7, 0, tzinfo=HELSINKI)),
    # Across the spring DST change the digest stays at 07:00 on the wall clock.
    (datetime(2027, 3, 27, 20, 0, tzinfo=HELSINKI), datetime(2027, 3, 28, 7, 0, tzinfo=HELSINKI)),
])
def test_the_daily_digest_goes_at_seven_finnish_time(now: datetime, expected: datetime) -> None:
    assert next_digest(now) == expected
    assert next_digest(now).astimezone(HELSINKI).hour == 7


def test_one_new_shift_e_mail_an_hour() -> None:
    assert batch_send_at(NOW, None) is None
    assert batch_send_at(NOW, NOW - timedelta(minutes=59)) == NOW + timedelta(minutes=1)


def test_standby_offers_cannot_wait_for_the_daily_summary() -> None:
    assert choices_for("standby_offers") == ("instant", "off")
    assert choices_for("new_shifts") == ("instant", "daily", "off")
