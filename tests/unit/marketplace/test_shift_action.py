"""The one decision of what a professional can do with a shift now, rule by rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from asta.marketplace.rules import Eligibility, Interval, Reason
from asta.marketplace.rules.shift_action import (
    ShiftAction,
    ShiftSituation,
    decide_action,
)
from asta.marketplace.rules.working_time import RuleViolation

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
START = NOW + timedelta(days=2)
OK = Eligibility(True, False, ())
REST = RuleViolation("min_rest", {"rest_hours": 8, "required_hours": 11},
                     (Interval(START - timedelta(hours=16), START - timedelta(hours=8)),))
BASE = ShiftSituation(status="published", starts_at=START, positions=2, free_positions=1,
                      request_mode=False, eligibility=OK)


@pytest.mark.parametrize(("changes", "action", "codes"), [
    ({}, ShiftAction.CLAIM, []),
    ({"request_mode": True}, ShiftAction.REQUEST, []),
    ({"own_assignment": "confirmed"}, ShiftAction.CANCEL, ["already_confirmed"]),
    ({"own_assignment": "requested", "free_positions": 0}, ShiftAction.CANCEL,
     ["already_requested"]),
    ({"own_assignment": "confirmed", "starts_at": NOW}, ShiftAction.NONE, ["already_confirmed"]),
    ({"status": "cancelled"}, ShiftAction.NONE, ["shift_cancelled"]),
    ({"starts_at": NOW - timedelta(minutes=1)}, ShiftAction.NONE, ["shift_started"]),
    ({"working_time": (REST,)}, ShiftAction.NONE, ["min_rest"]),
    ({"working_time": (REST,), "free_positions": 0}, ShiftAction.NONE, ["min_rest"]),
    ({"eligibility": Eligibility(False, True, (Reason("missing_competence",
                                                       {"competence": "triage"}),))},
     ShiftAction.NONE, ["missing_competence"]),
    ({"eligibility": Eligibility(True, True, ())}, ShiftAction.NONE, ["onboarding_needed"]),
    ({"eligibility": Eligibility(True, True, ()), "request_mode": True}, ShiftAction.REQUEST, []),
    ({"free_positions": 0, "status": "filled"}, ShiftAction.STANDBY, ["shift_full"]),
    ({"free_positions": 0, "standby": "waiting", "standby_position": 2}, ShiftAction.NONE,
     ["already_standing_by"]),
    ({"free_positions": 0, "standby": "offered", "offer_expires_at": NOW + timedelta(hours=1)},
     ShiftAction.ACCEPT_OFFER, []),
    ({"free_positions": 0, "standby": "offered", "offer_expires_at": NOW}, ShiftAction.STANDBY,
     ["shift_full"]),
    ({"free_positions": 0, "standby": "offered", "working_time": (REST,)}, ShiftAction.NONE,
     ["min_rest"]),
])
def test_decide_action(changes: dict[str, object], action: ShiftAction,
                       codes: list[str]) -> None:
    decision = decide_action(replace(BASE, **changes), NOW)  # type: ignore[arg-type]
    assert (decision.action, [r.code for r in decision.refusals]) == (action, codes)
    assert decision.can_take == (action in (ShiftAction.CLAIM, ShiftAction.REQUEST))


def test_a_refusal_carries_the_rules_numbers() -> None:
    decision = decide_action(replace(BASE, working_time=(REST,)), NOW)
    assert dict(decision.refusals[0].params) == {"rest_hours": 8, "required_hours": 11}
    assert decision.refusals[0].message == ("Only 8 h rest between shifts; the unit requires "
                                            "11 h")
