"""Who counts as onboarded when a unit's checklist changes: one rule, a table of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asta.profiles.rules import ChecklistStep, onboarding_complete

T0 = datetime(2026, 11, 18, 8, tzinfo=UTC)
OLD = ChecklistStep("triage", T0, applies_to_onboarded=True)
TODO = ChecklistStep("phones", T0 + timedelta(days=2), applies_to_onboarded=False)
BINDING = ChecklistStep("privacy", T0 + timedelta(days=2), applies_to_onboarded=True)
ONBOARDED = T0 + timedelta(days=1)


@pytest.mark.parametrize(("steps", "done", "onboarded_at", "complete"), [
    ((OLD,), set(), None, False),
    ((OLD,), {"triage"}, None, True),
    ((OLD, TODO), {"triage"}, ONBOARDED, True),  # a later step is only a to-do for them
    ((OLD, TODO), {"triage"}, None, False),  # newcomers need every step
    ((OLD, TODO), {"triage"}, T0 + timedelta(days=3), False),  # onboarded after it was added
    ((OLD, BINDING), {"triage"}, ONBOARDED, False),  # the unit chose to require it
    ((OLD, BINDING), {"triage", "privacy"}, ONBOARDED, True),
    ((), set(), None, False),  # an empty checklist cannot be completed anew
    ((), set(), ONBOARDED, True),  # and takes nobody's onboarding away
])
def test_onboarding_complete(steps: tuple[ChecklistStep, ...], done: set[str],
                             onboarded_at: datetime | None, complete: bool) -> None:
    assert onboarding_complete(steps, done, onboarded_at) is complete
