from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asta.surveys import rules

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
QUARTER = timedelta(days=91)


@pytest.mark.parametrize(("asked_days_ago", "worked_days_ago", "due"), [
    (None, 1, True),  # first worked shift at the unit
    (None, -1, False),  # the shift has not ended yet
    (10, 1, False),  # asked recently
    (91, 1, True),  # a quarter since, and worked since
    (91, 92, False),  # a quarter since, but not worked since
    (200, 100, True),
])
def test_survey_due(asked_days_ago: int | None, worked_days_ago: int, due: bool) -> None:
    asked = None if asked_days_ago is None else NOW - timedelta(days=asked_days_ago)
    assert rules.survey_due(last_asked_at=asked, now=NOW, interval=QUARTER,
                            last_worked_at=NOW - timedelta(days=worked_days_ago)) is due


def test_survey_state() -> None:
    assert rules.survey_state(None, NOW + timedelta(days=1), NOW) == "open"
    assert rules.survey_state(None, NOW, NOW) == "expired"
    assert rules.survey_state(NOW, NOW - timedelta(days=1), NOW) == "answered"


def test_keys_are_random_and_only_their_hash_is_kept() -> None:
    first, second = rules.new_key(), rules.new_key()
    assert first.secret != second.secret and first.secret.startswith("asta_uk_")
    assert first.digest == rules.hash_key(first.secret) and first.secret not in first.digest
    assert first.secret.startswith(first.prefix) and len(first.prefix) == 14
